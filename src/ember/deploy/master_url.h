// Parsing the master URL into what the engine deploys.
//
// Contract: "local" = 1 slot; "local[N]", "local[*]" (all cores); and
// "local[N,F]" / "local[*,F]" = F attempts per task (local modes default to
// 1). "local-cluster[W,C,M]" = W executor processes on this machine with C
// task slots and M MiB each (tasks get 4 attempts, as in Spark's cluster
// modes). "ember://host:port" or "spark://host:port" (port 7077 when
// left out; an IPv6 host in brackets) = a standalone master. Anything else is InvalidArgument "Could not parse Master URL:
// '...'".
#pragma once

#include <string>

#include "ember/common/status.h"

namespace ember::deploy {

struct MasterSpec {
  int slots = 1;              // in all executors together
  int max_task_failures = 1;
  bool local_cluster = false;
  int executors = 1;          // local-cluster: W, C and M
  int executor_cores = 1;
  int executor_memory_mb = 1024;
  bool standalone = false;    // ember://: the master's host and port
  std::string master_host;
  int master_port = 7077;
};

Result<MasterSpec> ParseMasterUrl(const std::string& master);

}  // namespace ember::deploy
