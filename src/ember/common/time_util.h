// Clock readings the daemons and backends share.
//
// Contract: SteadySeconds() is monotonic seconds (for timeouts and
// heartbeats, never for display); EpochMillis() is wall-clock
// milliseconds since 1970 (for ids and /json); UtcTimestamp() is the wall
// clock as "YYYYMMDDhhmmss" in UTC, as in Spark's application and worker
// ids. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace ember {

inline double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline int64_t EpochMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline std::string UtcTimestamp() {
  std::time_t t = std::time(nullptr);
  std::tm utc;
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &utc);
  return buf;
}

}  // namespace ember
