#include "ember/deploy/settings.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <cstdlib>
#include <map>

#include "ember/io/file_system.h"

namespace ember::deploy {

namespace {

Status Invalid(const std::string& key, const std::string& value, const std::string& expected) {
  return InvalidArgument("invalid value '" + value + "' for setting " + key + " (" + expected + ")");
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Result<bool> ParseBoolValue(const std::string& key, const std::string& v) {
  std::string lower = Lower(v);
  if (lower != "true" && lower != "false") return Invalid(key, v, "true or false");
  return lower == "true";
}

Result<int> ParseIntValue(const std::string& key, const std::string& v, const std::string& detail) {
  try {
    size_t used = 0;
    int n = std::stoi(v, &used);
    if (used == v.size() && (detail != "positive" || n > 0)) return n;
  } catch (...) {
  }
  return Invalid(key, v, detail == "positive" ? "a positive integer" : "an integer");
}

Result<double> ParseDoubleValue(const std::string& key, const std::string& v, const std::string& detail) {
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  bool number = end != v.c_str() && *end == '\0';
  if (detail == "fraction" && !(number && x > 0 && x <= 1))
    return Invalid(key, v, "a number greater than 0 and at most 1");
  if (detail == "positive" && !(number && x > 0)) return Invalid(key, v, "a positive number");
  if (!number) return Invalid(key, v, "a number");
  return x;
}

Result<double> ParseDurationValue(const std::string& key, const std::string& v, const std::string& bare_unit) {
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  std::string unit(end);
  static const std::map<std::string, double> kUnits = {
      {"us", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"min", 60}, {"h", 3600}, {"d", 86400}};
  auto known = kUnits.find(unit.empty() ? bare_unit : unit);
  if (end == v.c_str() || known == kUnits.end() || x < 0)
    return InvalidArgument("invalid duration '" + v + "' for setting " + key + " (e.g. 100ms, 2s)");
  return x * known->second;
}

Result<std::string> Text(const Conf& conf, const std::string& key) {
  EMBER_ASSIGN_OR_RETURN(std::string text, SettingText(conf, key));
  if (text.empty()) return InvalidArgument("setting " + key + " has no value and no default");
  return text;
}

const Setting& EntryOf(const std::string& key) { return *FindSetting(key); }  // after Text() succeeded

}  // namespace

Result<int64_t> ParseBytes(const std::string& key, const std::string& v) {
  char* end = nullptr;
  double n = std::strtod(v.c_str(), &end);
  std::string unit = Lower(end);
  int64_t mult = 1;
  if (unit == "k" || unit == "kb") mult = 1 << 10;
  else if (unit == "m" || unit == "mb") mult = 1 << 20;
  else if (unit == "g" || unit == "gb") mult = 1LL << 30;
  else if (unit == "t" || unit == "tb") mult = 1LL << 40;
  else if (!unit.empty() && unit != "b") mult = -1;
  if (end == v.c_str() || mult < 0 || n < 0)
    return InvalidArgument("invalid size '" + v + "' for setting " + key);
  return static_cast<int64_t>(n * static_cast<double>(mult));
}

Status ParseSettingValue(const Setting& s, const std::string& key, const std::string& v) {
  switch (s.type) {
    case SettingType::kBool: return ParseBoolValue(key, v).status();
    case SettingType::kInt: return ParseIntValue(key, v, s.detail).status();
    case SettingType::kDouble: return ParseDoubleValue(key, v, s.detail).status();
    case SettingType::kBytes: return ParseBytes(key, v).status();
    case SettingType::kDuration: return ParseDurationValue(key, v, s.detail).status();
    case SettingType::kEnum:
      if ((std::string("|") + s.detail + "|").find("|" + v + "|") != std::string::npos) return Status::OK();
      return Invalid(key, v, "one of " + std::string(s.detail));
    case SettingType::kString: return Status::OK();
  }
  return Status::OK();
}

std::string GetString(const Conf& conf, const std::string& key) {
  auto text = SettingText(conf, key);
  if (text.ok()) return *text;
  spdlog::error("{}", text.status().message());
  auto it = conf.find(key);
  return it == conf.end() ? "" : it->second;
}

Result<bool> GetBool(const Conf& conf, const std::string& key) {
  EMBER_ASSIGN_OR_RETURN(std::string v, Text(conf, key));
  return ParseBoolValue(key, v);
}

Result<int> GetInt(const Conf& conf, const std::string& key) {
  EMBER_ASSIGN_OR_RETURN(std::string v, Text(conf, key));
  return ParseIntValue(key, v, EntryOf(key).detail);
}

Result<double> GetDouble(const Conf& conf, const std::string& key) {
  EMBER_ASSIGN_OR_RETURN(std::string v, Text(conf, key));
  return ParseDoubleValue(key, v, EntryOf(key).detail);
}

Result<int64_t> GetBytes(const Conf& conf, const std::string& key) {
  EMBER_ASSIGN_OR_RETURN(std::string v, Text(conf, key));
  return ParseBytes(key, v);
}

Result<double> GetSeconds(const Conf& conf, const std::string& key) {
  EMBER_ASSIGN_OR_RETURN(std::string v, Text(conf, key));
  return ParseDurationValue(key, v, EntryOf(key).detail);
}

void ApplyHadoopConf(const Conf& conf) {
  const std::string kHadoop = "spark.hadoop.", kFaults = "ember.test.fs.";
  std::map<std::string, std::string> hadoop;
  for (const auto& [k, v] : conf) {
    if (k.rfind(kHadoop, 0) == 0) hadoop[k.substr(kHadoop.size())] = v;
    if (k.rfind(kFaults, 0) == 0) hadoop[k] = v;
  }
  io::SetHadoopConf(std::move(hadoop));
}

}  // namespace ember::deploy
