// AppEvents: the listener events that open an application's event log —
// SparkListenerLogStart, ResourceProfileAdded, EnvironmentUpdate and
// ApplicationStart, in Spark's order.
//
// Contract: the environment's Spark properties are the application's conf
// plus spark.app.id, each value whose key or value matches
// spark.redaction.regex (Spark's default "(?i)secret|password|token|
// access[.]?key"; a leading "(?i)" means case-insensitive) replaced by
// "*********(redacted)", as Spark does; an invalid regex is an error
// naming the setting. System properties name the user and the OS; Hadoop
// properties are the spark.hadoop.* settings without the prefix.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ember/deploy/settings.h"
#include "ember/scheduler/listener_events.h"

namespace ember::deploy {

Result<Conf> Redacted(const Conf& conf);

Result<std::vector<scheduler::ListenerEvent>> ApplicationStartEvents(const Conf& conf,
                                                                     const std::string& app_id,
                                                                     int64_t start_ms, int executor_cores);

}  // namespace ember::deploy
