// The `ember master` and `ember worker` commands: settings from the
// command line, the environment (SPARK_MASTER_HOST, SPARK_WORKER_CORES,
// ...) and the properties file (daemon_conf.h), in that order of
// precedence; then the daemon runs until SIGTERM or SIGINT, and stops
// cleanly (a worker kills its executors). Bad settings print one line
// naming the setting and return 2; a daemon that cannot start (port in
// use, no secret for a non-loopback address) returns 1.
#pragma once

#include <string>

namespace ember::deploy {

struct MasterArgs {
  std::string host, properties_file;
  int port = -1, webui_port = -1;  // -1: environment, else the default
};

struct WorkerArgs {
  std::string master_url, host, memory, work_dir, properties_file;
  int cores = -1;
};

int RunMasterDaemon(const MasterArgs& args);
int RunWorkerDaemon(const WorkerArgs& args);

}  // namespace ember::deploy
