// The engine's log: one format for every ember process and for the
// driver's Python loggers (python/ember/log.py), Spark's layout:
//   "yy/MM/dd HH:mm:ss LEVEL Component: message"   on stderr.
//
// Contract: InitLogging installs that format as spdlog's, logger "ember"
// as the default, at `level`. Logger(component) is the logger of that
// name (created on first use with the same sink, format and level).
// SetLogLevel takes Spark's level names (ALL, TRACE, DEBUG, INFO, WARN,
// ERROR, FATAL, OFF; any case) and sets every logger of this process; an
// unknown name is InvalidArgument listing the valid ones. LogLevel() is
// the current level's Spark name.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "ember/common/status.h"

namespace ember {

// The task property that carries the driver's level to executors, which
// take it when they start the task.
inline constexpr char kLogLevelProperty[] = "ember.log.level";

void InitLogging(const std::string& level);
Status SetLogLevel(const std::string& level);
std::string LogLevel();
std::shared_ptr<spdlog::logger> Logger(const std::string& component);

}  // namespace ember
