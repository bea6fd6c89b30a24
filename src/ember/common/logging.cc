#include "ember/common/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <utility>

namespace ember {

namespace {

constexpr std::pair<const char*, spdlog::level::level_enum> kLevels[] = {
    {"ALL", spdlog::level::trace}, {"TRACE", spdlog::level::trace}, {"DEBUG", spdlog::level::debug},
    {"INFO", spdlog::level::info}, {"WARN", spdlog::level::warn},   {"ERROR", spdlog::level::err},
    {"FATAL", spdlog::level::critical}, {"OFF", spdlog::level::off}};

std::mutex g_mu;
std::string g_level = "WARN";  // guarded by g_mu

// %* in the pattern: the level as Spark names it (WARN, not "warning").
class SparkLevelFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    static const char* kNames[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF"};
    std::string_view name = kNames[static_cast<int>(msg.level)];
    dest.append(name.data(), name.data() + name.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<SparkLevelFlag>(); }
};

std::unique_ptr<spdlog::formatter> SparkFormatter() {
  auto f = std::make_unique<spdlog::pattern_formatter>();
  f->add_flag<SparkLevelFlag>('*').set_pattern("%C/%m/%d %H:%M:%S %* %n: %v");
  return f;
}

spdlog::sink_ptr Sink() {
  static auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  return sink;
}

}  // namespace

void InitLogging(const std::string& level) {
  std::lock_guard<std::mutex> lock(g_mu);
  auto logger = spdlog::get("ember");
  if (!logger) logger = std::make_shared<spdlog::logger>("ember", Sink());
  spdlog::set_default_logger(logger);  // registers it
  spdlog::set_formatter(SparkFormatter());
  for (const auto& [name, value] : kLevels) {
    if (level == name) {
      spdlog::set_level(value);
      g_level = name;
    }
  }
}

Status SetLogLevel(const std::string& level) {
  std::string upper = level;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  for (const auto& [name, value] : kLevels) {
    if (upper != name) continue;
    std::lock_guard<std::mutex> lock(g_mu);
    spdlog::set_level(value);
    g_level = name;
    return Status::OK();
  }
  return InvalidArgument("invalid log level '" + level + "' (one of ALL, DEBUG, ERROR, FATAL, INFO, OFF, TRACE, WARN)");
}

std::string LogLevel() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_level;
}

std::shared_ptr<spdlog::logger> Logger(const std::string& component) {
  std::lock_guard<std::mutex> lock(g_mu);
  if (auto existing = spdlog::get(component)) return existing;
  auto logger = std::make_shared<spdlog::logger>(component, Sink());
  spdlog::initialize_logger(logger);  // the registry's formatter and level
  return logger;
}

}  // namespace ember
