#include "ember/deploy/setting_registry.h"

#include <spdlog/spdlog.h>

#include <mutex>
#include <set>
#include <unordered_map>

namespace ember::deploy {

namespace {

bool IsPrefixEntry(const std::string& name) { return name.size() > 2 && name.ends_with(".*"); }

const std::unordered_map<std::string, const Setting*>& ByName() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string, const Setting*>;
    for (const Setting& s : AllSettings()) (*m)[s.name] = &s;
    return m;
  }();
  return *index;
}

// Logs a WARNING for `key` the first time this process sees it.
void WarnUnknownOnce(const std::string& key) {
  static std::mutex mu;
  static std::set<std::string> warned;
  std::lock_guard<std::mutex> lock(mu);
  if (!warned.insert(key).second) return;
  spdlog::warn("Ignoring unknown setting {}: ember does not read it (docs/configuration.md lists those it does)",
               key);
}

}  // namespace

const Setting* FindSetting(const std::string& key) {
  const std::string kSslRpc = "spark.ssl.rpc.";
  if (key.starts_with(kSslRpc)) return FindSetting("spark.ssl." + key.substr(kSslRpc.size()));
  const auto& index = ByName();
  if (auto it = index.find(key); it != index.end() && !IsPrefixEntry(key)) return it->second;
  for (size_t dot = key.rfind('.'); dot != std::string::npos && dot > 0; dot = key.rfind('.', dot - 1)) {
    if (auto it = index.find(key.substr(0, dot) + ".*"); it != index.end()) return it->second;
  }
  return nullptr;
}

Result<std::string> SettingText(const Conf& conf, const std::string& key) {
  const Setting* s = FindSetting(key);
  if (s == nullptr) return InvalidArgument("setting " + key + " is not in ember's registry of settings");
  if (auto it = conf.find(key); it != conf.end()) return it->second;
  if (*s->fallback) return SettingText(conf, s->fallback);
  return std::string(s->def);
}

Status ValidateConf(const Conf& conf) {
  for (const auto& [key, value] : conf) {
    const Setting* s = FindSetting(key);
    if (s == nullptr) {
      if (key.starts_with("spark.") || key.starts_with("ember.")) WarnUnknownOnce(key);
      continue;
    }
    if (s->no_effect) continue;
    if (Status st = ParseSettingValue(*s, key, value); !st.ok()) return st;
  }
  return Status::OK();
}

std::string SettingTypeName(SettingType type) {
  switch (type) {
    case SettingType::kBool: return "bool";
    case SettingType::kInt: return "int";
    case SettingType::kDouble: return "double";
    case SettingType::kBytes: return "bytes";
    case SettingType::kDuration: return "duration";
    case SettingType::kString: return "string";
    case SettingType::kEnum: return "enum";
  }
  return "";
}

std::string SettingScopeText(unsigned scope) {
  static const std::pair<unsigned, const char*> kNames[] = {
      {kDriver, "driver"}, {kExecutor, "executor"}, {kPythonWorker, "python worker"},
      {kDaemon, "daemon"}, {kTest, "test"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if (scope & bit) out += (out.empty() ? "" : ", ") + std::string(name);
  }
  return out;
}

}  // namespace ember::deploy
