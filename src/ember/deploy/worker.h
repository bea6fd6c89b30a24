// Worker: the standalone cluster's `ember worker` daemon. It offers its
// cores and memory to a master and runs the executors the master places
// on it.
//
// Contract:
// - Start() returns at once; the worker then connects to the master
//   (authenticated, net/auth.h), registers with the executors it runs,
//   and heartbeats every timeout_s / 4. A master that does not answer a
//   heartbeat within timeout_s, or whose connection closes, is lost: the
//   worker keeps its executors running and tries to register again every
//   second (a restarted master, a link that came back) until Stop().
// - launch_executor starts `<executable> executor ...` by exec with an
//   argument vector — never a shell, so nothing an application sends can
//   reach a command line — in work_dir/<app id>/<executor id>, handing it
//   the secret on stdin (the application's on a cluster without
//   authentication, else the worker's own) and its TLS settings on stdin
//   (executor_bootstrap.h). Ids that are not plain names
//   are refused. kill_executor kills it (SIGKILL).
// - An executor that ends is reported (executor_exited: normal when it was
//   ordered killed or exited with code 0), its work directory removed,
//   and the application's directory once it has no executor left. If the
//   worker dies its executors follow (their stdin closes).
// - Stop() kills every executor, removes their directories and closes
//   the connection; the destructor calls it. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ember/common/status.h"
#include "ember/deploy/settings.h"
#include "ember/net/credentials.h"

namespace ember::deploy {

struct WorkerOptions {
  std::string master_host;
  uint16_t master_port = 7077;
  std::string host = "127.0.0.1";  // executors listen and are reached here
  int cores = 1;
  int memory_mb = 1024;
  std::string work_dir;
  std::string executable;  // the ember program
  net::Credentials credentials;  // what its connections prove (and TLS)
  Conf conf;               // its settings: the spark.ssl.* ones go to its executors
  double timeout_s = 60;   // spark.worker.timeout
};

class Worker {
 public:
  static Result<std::unique_ptr<Worker>> Start(WorkerOptions options);
  ~Worker();
  void Stop();
  const std::string& id() const;

 private:
  class Impl;
  explicit Worker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ember::deploy
