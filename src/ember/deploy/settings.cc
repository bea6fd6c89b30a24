#include "ember/deploy/settings.h"

#include <cctype>
#include <cstdlib>
#include <map>

#include "ember/io/file_system.h"

namespace ember::deploy {

std::string Get(const Conf& conf, const std::string& key, const std::string& def) {
  auto it = conf.find(key);
  return it == conf.end() ? def : it->second;
}

Result<int64_t> ParseBytes(const std::string& key, const std::string& v) {
  char* end = nullptr;
  double n = std::strtod(v.c_str(), &end);
  std::string unit(end);
  for (auto& c : unit) c = static_cast<char>(std::tolower(c));
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

Result<double> ParseSeconds(const Conf& conf, const std::string& key, double def, double bare_unit_s) {
  std::string v = Get(conf, key, "");
  if (v.empty()) return def;
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  std::string unit(end);
  static const std::map<std::string, double> kUnits = {
      {"us", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"min", 60}, {"h", 3600}, {"d", 86400}};
  auto known = kUnits.find(unit);
  double scale = unit.empty() ? bare_unit_s : known == kUnits.end() ? -1 : known->second;
  if (end == v.c_str() || scale < 0 || x < 0)
    return InvalidArgument("invalid duration '" + v + "' for setting " + key + " (e.g. 100ms, 2s)");
  return x * scale;
}

Result<double> ParsePositive(const Conf& conf, const std::string& key, double def) {
  std::string v = Get(conf, key, "");
  if (v.empty()) return def;
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  if (end == v.c_str() || *end != '\0' || !(x > 0))
    return InvalidArgument("invalid value '" + v + "' for setting " + key + " (a positive number)");
  return x;
}

Result<double> ParseFraction(const Conf& conf, const std::string& key, double def) {
  std::string v = Get(conf, key, "");
  if (v.empty()) return def;
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  if (end == v.c_str() || *end != '\0' || !(x > 0 && x <= 1))
    return InvalidArgument("invalid fraction '" + v + "' for setting " + key +
                           " (a number greater than 0 and at most 1)");
  return x;
}

Result<int> ParseInt(const Conf& conf, const std::string& key, int def) {
  std::string v = Get(conf, key, "");
  if (v.empty()) return def;
  try {
    size_t used = 0;
    int n = std::stoi(v, &used);
    if (used == v.size()) return n;
  } catch (...) {
  }
  return InvalidArgument("invalid integer '" + v + "' for setting " + key);
}

Result<int64_t> GetBytes(const Conf& conf, const std::string& key, const std::string& def) {
  return ParseBytes(key, Get(conf, key, def));
}

Result<bool> ParseBool(const Conf& conf, const std::string& key, bool def) {
  std::string v = Get(conf, key, def ? "true" : "false");
  if (v != "true" && v != "false")
    return InvalidArgument("invalid value '" + v + "' for setting " + key + " (true or false)");
  return v == "true";
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
