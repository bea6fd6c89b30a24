// An executor's options from the application's settings: the same code
// builds the driver's in-process executor (local modes) and each executor
// process of the cluster modes (from the settings the driver sends it).
//
// Contract: `cores` task slots are shared by tasks of spark.task.cpus
// each; `memory_bytes` sizes the block store (x spark.memory.fraction).
// Settings that do not parse are InvalidArgument naming them. The Python
// workers get a fresh random secret for their daemon.
#pragma once

#include <string>

#include "ember/deploy/settings.h"
#include "ember/exec/executor.h"

namespace ember::deploy {

Result<exec::ExecutorOptions> ExecutorOptionsFromConf(const Conf& conf, const std::string& executor_id,
                                                      int cores, int64_t memory_bytes,
                                                      const std::string& work_dir);

}  // namespace ember::deploy
