// ClusterBackend: executors as processes of their own that talk to the
// driver only over TCP — local-cluster[W,C,M], the real distributed path,
// and the standalone cluster (ember://host:port), whose master starts them.
//
// Contract: Start() listens on `bind_host` (an ephemeral port). With
// `standalone` set it registers the application with that master
// (deploy/app_client.h) and returns once the master accepted it and
// executors holding `min_registered_ratio` of cores_max registered (or
// max_registered_wait_s passed); executors then come and go as the master
// places them, each one the master announces and that does not register
// within register_timeout_s is lost, and an executor the backend loses is
// reported to the master, which kills and replaces it. Otherwise it
// launches `executors` processes (`<executable> executor ...`, by exec,
// never a shell; the secret and TLS settings go down the child's stdin
// (executor_bootstrap.h), never on a command line or in the environment)
// and returns once all registered, or fails naming what went wrong. Every
// connection authenticates (net/auth.h), in TLS when `credentials` carry
// TLS, before a frame is read. An executor is lost when its connection closes,
// its process exits, or no heartbeat came for `heartbeat_timeout_s` (a hung
// process is then killed): the scheduler gets event::ExecutorLost, no
// task result of it is reported afterwards, its work directory is
// removed, and with `replace_lost` a new executor is started in its
// place — until `max_executor_failures` are lost with no task succeeding
// in between: then the scheduler gets event::BackendFailed and every job
// fails with the last loss's reason. The backend sends each executor the application's settings at
// registration and stamps every task with the block-transfer addresses of
// all live executors; a file server on the same host serves them the
// application's broadcasts and added files. Stop() stops every executor (SIGKILL after a grace
// period) and waits for them. Thread-safe.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ember/deploy/app_client.h"
#include "ember/deploy/file_server.h"
#include "ember/deploy/settings.h"
#include "ember/net/server.h"
#include "ember/scheduler/backend.h"

namespace ember::deploy {

struct StandaloneOptions {
  std::string master_host;
  uint16_t master_port = 7077;
  net::Credentials master_credentials;  // what the link to the master proves
  proto::RegisterApplication app;    // name, user, cores and memory wanted; the backend adds its address
  double min_registered_ratio = 0;   // spark.scheduler.minRegisteredResourcesRatio, of app.cores_max()
  double max_registered_wait_s = 30; // spark.scheduler.maxRegisteredResourcesWaitingTime
};

struct ClusterOptions {
  std::string executable;  // the ember program
  std::string bind_host = "127.0.0.1";
  std::string advertise_host = "127.0.0.1";  // how executors reach the driver (spark.driver.host)
  int executors = 1;
  int cores = 1;
  int memory_mb = 1024;
  std::string work_root;  // the application dir: executor work directories go under it,
                          // and its broadcast/ and files/ are served to executors
  net::Credentials credentials;
  Conf conf;  // sent to every executor; its spark.ssl.* on stdin too
  double heartbeat_timeout_s = 120;
  double register_timeout_s = 60;
  bool replace_lost = true;
  int max_executor_failures = 10;  // lost in a row before jobs fail
  std::optional<StandaloneOptions> standalone;  // set: the master starts the executors
};

class ClusterBackend : public scheduler::SchedulerBackend {
 public:
  static Result<std::unique_ptr<ClusterBackend>> Start(ClusterOptions options);
  ~ClusterBackend() override;

  void Attach(scheduler::PostEvent post) override;
  void LaunchTask(const std::string& executor_id, proto::TaskDescription task) override;
  void KillTask(const std::string& executor_id, int64_t task_id) override;
  void RemoveShuffle(int shuffle_id) override;
  void RemoveRdd(int node) override;
  void RemoveBroadcast(int64_t id) override;
  void Stop() override;
  int port() const { return port_; }
  int registered_cores() const;
  const std::string& app_id() const;  // the master's id for the application ("" without one)

 private:
  struct Executor {
    std::string id;
    int pid = -1;
    int stdin_fd = -1;
    std::string work_dir;
    std::shared_ptr<net::Connection> conn;  // once registered
    std::string host;
    int block_port = 0;
    int cores = 0;
    double last_heartbeat = 0;
    bool lost = false;
  };

  explicit ClusterBackend(ClusterOptions options) : options_(std::move(options)) {}
  Status LaunchExecutor();                          // under mu_
  Status LaunchAll();
  Status StartStandalone();
  void Expect(const proto::ExecutorAdded& added);   // the master placed an executor
  void Serve(std::shared_ptr<net::Connection> conn);  // a session thread
  Status Register(const std::shared_ptr<net::Connection>& conn, const proto::RegisterExecutor& r);
  void Monitor();
  void Lose(const std::string& id, const std::string& reason);  // under mu_
  void Emit(scheduler::SchedulerEvent event);                   // under mu_
  void SendToAll(const proto::RpcMessage& message);
  std::shared_ptr<net::Connection> ConnectionOf(const std::string& id);
  void Snapshot(std::vector<std::string>* live, int* next_id);

  ClusterOptions options_;
  net::Server server_;
  int port_ = 0;
  std::unique_ptr<FileServer> files_;
  std::unique_ptr<AppClient> master_;  // standalone only

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Executor> executors_;  // launched and not yet reaped
  std::map<std::string, std::string> addresses_;  // registered: id -> host:port
  std::set<std::string> seen_;                    // every executor id ever expected or registered
  scheduler::PostEvent post_;
  std::vector<scheduler::SchedulerEvent> early_events_;  // before Attach
  int next_id_ = 0;
  bool stopping_ = false;
  bool started_ = false;  // all first executors registered (standalone: registered with the master)
  int consecutive_losses_ = 0;  // since a task last succeeded
  bool given_up_ = false;
  std::string launch_error_;
  std::thread monitor_;
};

}  // namespace ember::deploy
