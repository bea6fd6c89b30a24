// ember._core's settings and logging functions (settings_bindings.cc):
//   setting(conf, key)   the key's typed value (bool, int, float; bytes as
//                        int; durations as float seconds; else str) from the
//                        dict `conf`, its fallback or its default; None when
//                        it has none. A bad value raises (via `raise_status`)
//                        naming the key and the value.
//   settings()           the registry, a list of dicts (docs generation)
//   set_log_level(name)  this process's engine log level (Spark's names)
//   log_level()          its current Spark name
//   load_properties_file(path)  the settings of `path`, else of the default
//                        spark-defaults.conf (deploy/daemon_conf.h), as a dict
#pragma once

#include <pybind11/pybind11.h>

#include <functional>

#include "ember/common/status.h"

void BindSettings(pybind11::module_& m, std::function<void(const ember::Status&)> raise_status);
