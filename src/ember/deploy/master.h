// Master: the standalone cluster's `ember master` daemon. It tracks
// workers and applications and decides where executors run; it never
// sees tasks or data (executors talk to their driver directly).
//
// Contract:
// - Start listens for workers and drivers on host:port (every connection
//   authenticates with options.credentials first, net/auth.h) and serves
//   GET /json (cluster state, shaped like Spark's master /json) on
//   host:webui_port. Port 0 picks a free port.
// - Workers register (deploy/worker.h) and heartbeat; one silent for
//   worker_timeout_s, or whose connection closes, is DEAD: every executor
//   on it is removed and its applications told (executor_removed), and
//   their cores are placed elsewhere.
// - Applications register (deploy/app_client.h); the master places
//   executors per executor_placement.h over the live workers until the
//   application has cores_max cores, telling the worker (launch_executor)
//   and the driver (executor_added). An executor that exits, or that the
//   driver gives up on (executor_lost: then the master has it killed), is
//   replaced. The retry limit is the driver's: after
//   spark.deploy.maxExecutorRetries executors lost in a row with no task
//   succeeding it fails its jobs and unregisters (cluster_backend.h).
// - When a driver's connection closes the application is finished: its
//   executors are killed (kill_executor; the worker removes their work
//   directories) and it moves to the completed list.
// - A master restart loses nothing that runs: the master keeps no state
//   on disk; workers re-register with the executors they run, drivers
//   with their application id, live executors and next executor id
//   (re-registration). An executor whose application does not come back
//   within worker_timeout_s, or that its application no longer uses, is
//   killed. On a cluster without authentication each application brings
//   its own secret for its executors; one that does not is refused.
// - Stop() closes every connection and joins every thread; the
//   destructor calls it. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ember/common/status.h"
#include "ember/net/credentials.h"

namespace ember::deploy {

struct MasterOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 7077;
  uint16_t webui_port = 8080;
  net::Credentials credentials;   // what every connection proves (and TLS)
  bool authenticated = false;     // false: applications bring their own executor secret
  double worker_timeout_s = 60;   // spark.worker.timeout
  bool spread_out = true;         // spark.deploy.spreadOut
};

class Master {
 public:
  static Result<std::unique_ptr<Master>> Start(MasterOptions options);
  ~Master();
  void Stop();

  uint16_t port() const;
  uint16_t webui_port() const;
  std::string url() const;          // "ember://host:port"
  std::string StatusJson() const;   // what GET /json returns

 private:
  class Impl;
  explicit Master(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ember::deploy
