// The executor process of the cluster modes (`ember executor ...`).
//
// Contract: RunExecutorProcess reads the shared secret and the TLS settings
// from stdin (executor_bootstrap.h), starts its block transfer service on `host` (an ephemeral
// port), connects to the driver (both authenticated, net/auth.h, and in
// TLS when the settings say so),
// registers, configures its Executor from the settings the driver sends
// back (executor_conf.h), and then runs the tasks it is sent, reporting
// each result and a heartbeat every spark.executor.heartbeatInterval. It
// returns (its running tasks killed) when the driver closes the
// connection; if stdin
// closes (the driver process died) it exits at once, and its Python
// workers follow. The return value is the process exit code.
#pragma once

#include <string>

namespace ember::deploy {

struct ExecutorProcessArgs {
  std::string driver;  // host:port
  std::string executor_id;
  std::string host = "127.0.0.1";
  int cores = 1;
  int memory_mb = 1024;
  std::string work_dir;
};

int RunExecutorProcess(const ExecutorProcessArgs& args);

}  // namespace ember::deploy
