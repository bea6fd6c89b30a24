// Reading an application's settings, typed, through the registry
// (setting_registry.h).
//
// Contract: each Get* returns the key's value from `conf`, else its
// registry fallback key's, else its registry default; a value that does not
// parse as the entry's type is InvalidArgument naming the setting and the
// value, and so is a key without value nor default. Sizes read as Spark's
// ("512m", "2g", bytes); durations as Spark's ("100ms", "2s", "1min", "1h";
// a bare number is in the entry's unit: milliseconds or seconds, as Spark
// reads that setting). Keys must be in the registry (a key that is not is
// a programming error, reported as InvalidArgument / logged).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "ember/common/status.h"
#include "ember/deploy/setting_registry.h"

namespace ember::deploy {

std::string GetString(const Conf& conf, const std::string& key);
Result<bool> GetBool(const Conf& conf, const std::string& key);
Result<int> GetInt(const Conf& conf, const std::string& key);
Result<double> GetDouble(const Conf& conf, const std::string& key);
Result<int64_t> GetBytes(const Conf& conf, const std::string& key);
Result<double> GetSeconds(const Conf& conf, const std::string& key);

// A size as Spark writes it; `key` names the setting (or option) in errors.
Result<int64_t> ParseBytes(const std::string& key, const std::string& value);

// Hands the application's file-system settings to io::SetHadoopConf: each
// spark.hadoop.* entry without its prefix, and the ember.test.fs.* fault
// settings as they are. Called where a process starts serving an
// application (the driver's engine, each executor).
void ApplyHadoopConf(const Conf& conf);

}  // namespace ember::deploy
