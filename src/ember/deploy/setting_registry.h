// The registry of every setting ember knows: one entry per key with its
// type, default, meaning and where it applies (the entries are the table
// in setting_table.cc; docs/configuration.md is generated from them by
// `make docs`).
//
// Contract: FindSetting returns the entry of a key: an exact name, else
// the longest prefix entry ("spark.hadoop.*" covers spark.hadoop.X), with
// spark.ssl.rpc.X read as spark.ssl.X; nullptr for an unknown key.
// ParseSettingValue checks a value against its entry's type and names the
// key and the value when it does not parse. ValidateConf parses every known
// key of an application's conf once (the first bad value is
// InvalidArgument) and logs one WARNING per unknown spark.* / ember.* key
// per process; keys marked no_effect (Spark settings ember accepts and
// ignores on purpose) are neither parsed nor warned about.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ember/common/status.h"

namespace ember::deploy {

using Conf = std::map<std::string, std::string>;

enum class SettingType { kBool, kInt, kDouble, kBytes, kDuration, kString, kEnum };

// Where a setting is read (a bit set).
enum SettingScope : unsigned {
  kDriver = 1,
  kExecutor = 2,
  kPythonWorker = 4,
  kDaemon = 8,
  kTest = 16,
};

struct Setting {
  const char* name;      // the key, or a prefix ending in ".*"
  SettingType type;
  const char* def;       // the default, a value of `type`; "" when there is none
  unsigned scope;
  const char* section;   // which table of docs/configuration.md lists it
  const char* meaning;   // Markdown, one line
  // kDuration: the unit of a bare number ("ms" or "s"); kEnum: the values,
  // "a|b|c"; kDouble: "fraction" (0, 1] or "positive" (> 0); kInt: "" or
  // "positive".
  const char* detail = "";
  const char* def_doc = "";   // the default as the docs show it, when not `def`
  const char* fallback = "";  // unset: this key's value is used instead
  bool no_effect = false;     // accepted for Spark compatibility, ignored
};

const std::vector<Setting>& AllSettings();  // the table, in the docs' order
const Setting* FindSetting(const std::string& key);

// A setting's value as given in `conf`, else its fallback key's, else its
// default ("" when it has none). Error for a key not in the registry.
Result<std::string> SettingText(const Conf& conf, const std::string& key);

Status ParseSettingValue(const Setting& s, const std::string& key, const std::string& value);
Status ValidateConf(const Conf& conf);

std::string SettingTypeName(SettingType type);
std::string SettingScopeText(unsigned scope);

}  // namespace ember::deploy
