#include "ember/deploy/app_events.h"

#include <pwd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <regex>

namespace ember::deploy {

namespace {

std::string UserName() {
  if (const char* user = std::getenv("SPARK_USER")) return user;
  if (struct passwd* pw = getpwuid(getuid())) return pw->pw_name;
  return std::to_string(getuid());
}

scheduler::listener::Properties SystemProperties() {
  scheduler::listener::Properties p{{"user.name", UserName()}};
  struct utsname u;
  if (uname(&u) == 0) {
    p["os.name"] = u.sysname;
    p["os.arch"] = u.machine;
    p["os.version"] = u.release;
  }
  return p;
}

}  // namespace

Result<Conf> Redacted(const Conf& conf) {
  std::string pattern = GetString(conf, "spark.redaction.regex");
  auto flags = std::regex::ECMAScript;
  if (pattern.rfind("(?i)", 0) == 0) {
    pattern = pattern.substr(4);
    flags |= std::regex::icase;
  }
  std::regex re;
  try {
    re = std::regex(pattern, flags);
  } catch (const std::regex_error& e) {
    return InvalidArgument("invalid spark.redaction.regex '" + pattern + "': " + e.what());
  }
  Conf out;
  for (const auto& [k, v] : conf)
    out[k] = std::regex_search(k, re) || std::regex_search(v, re) ? "*********(redacted)" : v;
  return out;
}

Result<std::vector<scheduler::ListenerEvent>> ApplicationStartEvents(const Conf& conf,
                                                                     const std::string& app_id,
                                                                     int64_t start_ms, int executor_cores) {
  namespace l = scheduler::listener;
  Conf with_id = conf;
  with_id["spark.app.id"] = app_id;
  l::EnvironmentUpdate env;
  EMBER_ASSIGN_OR_RETURN(env.spark, Redacted(with_id));
  env.system = SystemProperties();
  for (const auto& [k, v] : env.spark)
    if (k.rfind("spark.hadoop.", 0) == 0) env.hadoop[k.substr(13)] = v;
  EMBER_ASSIGN_OR_RETURN(int64_t memory, GetBytes(conf, "spark.executor.memory"));
  std::vector<scheduler::ListenerEvent> events;
  events.push_back(l::LogStart{});
  events.push_back(l::ResourceProfileAdded{executor_cores, memory >> 20});
  events.push_back(std::move(env));
  events.push_back(l::ApplicationStart{GetString(conf, "spark.app.name"), app_id, UserName(), start_ms});
  return events;
}

}  // namespace ember::deploy
