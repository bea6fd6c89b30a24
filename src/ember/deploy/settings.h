// Reading Spark-style settings from an application's configuration.
//
// Contract: each function returns the setting's value, or `def` when it
// is unset; a value that does not parse is InvalidArgument naming the
// setting and the value. Sizes read as Spark's ("512m", "2g", bytes);
// durations as Spark's ("100ms", "2s", "1min", "1h"; a bare number is in
// the setting's own unit, as in Spark: milliseconds unless `bare_unit_s`
// says otherwise, e.g. 1.0 for spark.network.timeout, read in seconds).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "ember/common/status.h"

namespace ember::deploy {

using Conf = std::map<std::string, std::string>;

std::string Get(const Conf& conf, const std::string& key, const std::string& def);
Result<int64_t> ParseBytes(const std::string& key, const std::string& value);
Result<int64_t> GetBytes(const Conf& conf, const std::string& key, const std::string& def);
Result<double> ParseSeconds(const Conf& conf, const std::string& key, double def,
                            double bare_unit_s = 1e-3);
Result<double> ParsePositive(const Conf& conf, const std::string& key, double def);
Result<double> ParseFraction(const Conf& conf, const std::string& key, double def);  // (0, 1]
Result<int> ParseInt(const Conf& conf, const std::string& key, int def);
Result<bool> ParseBool(const Conf& conf, const std::string& key, bool def);

// Hands the application's file-system settings to io::SetHadoopConf: each
// spark.hadoop.* entry without its prefix, and the ember.test.fs.* fault
// settings as they are. Called where a process starts serving an
// application (the driver's engine, each executor).
void ApplyHadoopConf(const Conf& conf);

}  // namespace ember::deploy
