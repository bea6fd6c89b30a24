// EventJson: listener events as the JSON lines of Spark's event log.
//
// Contract: ToJson() returns one line (no newline) in Spark 4.0's event
// log format: "Event" names the SparkListener class
// ("SparkListenerJobStart", ...) and the other fields carry Spark's names
// and shapes ("Job ID", "Stage Infos", "Task Info", "Task Metrics", ...),
// so Spark's History Server and ember's own UI read the same text. Text
// that is not valid UTF-8 (a task's error) is written with U+FFFD for the
// bad bytes. Thread-safe (no state).
#pragma once

#include <string>

#include "ember/scheduler/listener_events.h"

namespace ember::scheduler {

// The Spark version whose event log format this is (SparkListenerLogStart).
inline constexpr const char* kEventLogSparkVersion = "4.0.1";

std::string ToJson(const ListenerEvent& event);

}  // namespace ember::scheduler
