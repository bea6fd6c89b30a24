#include "ember/deploy/cluster_backend.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "ember/common/file_util.h"
#include "ember/common/frame.h"
#include "ember/common/process.h"
#include "ember/common/time_util.h"
#include "ember/deploy/executor_bootstrap.h"

namespace ember::deploy {

Result<std::unique_ptr<ClusterBackend>> ClusterBackend::Start(ClusterOptions options) {
  std::unique_ptr<ClusterBackend> b(new ClusterBackend(std::move(options)));
  ClusterBackend* self = b.get();
  EMBER_RETURN_IF_ERROR(b->server_.Start(b->options_.bind_host, 0, b->options_.credentials,
                                         [self](auto conn) { self->Serve(std::move(conn)); }));
  b->port_ = b->server_.port();
  EMBER_ASSIGN_OR_RETURN(b->files_, FileServer::Start(b->options_.work_root, b->options_.bind_host, 0,
                                                      b->options_.credentials));
  b->monitor_ = std::thread([self] { self->Monitor(); });
  Status st = b->options_.standalone ? b->StartStandalone() : b->LaunchAll();
  if (!st.ok()) {
    b->Stop();
    return st;
  }
  return b;
}

// local-cluster: starts every executor and waits until all registered.
Status ClusterBackend::LaunchAll() {
  std::unique_lock<std::mutex> lock(mu_);
  Status st;
  for (int i = 0; i < options_.executors && st.ok(); ++i) st = LaunchExecutor();
  auto all_registered = [&] {
    return static_cast<int>(addresses_.size()) == options_.executors || !launch_error_.empty();
  };
  if (st.ok() && !cv_.wait_for(lock, std::chrono::duration<double>(options_.register_timeout_s), all_registered))
    st = IOError("executors did not register with the driver within " +
                 std::to_string(static_cast<int>(options_.register_timeout_s)) + " s");
  if (st.ok() && !launch_error_.empty()) st = IOError("cannot start executors: " + launch_error_);
  started_ = st.ok();
  return st;
}

Status ClusterBackend::StartStandalone() {
  const StandaloneOptions& so = *options_.standalone;
  proto::RegisterApplication app = so.app;
  app.set_driver_address(options_.advertise_host + ":" + std::to_string(port_));
  AppClientCallbacks callbacks;
  callbacks.executor_added = [this](const proto::ExecutorAdded& added) { Expect(added); };
  callbacks.executor_removed = [this](const std::string& id, const std::string& why) {
    std::lock_guard<std::mutex> lock(mu_);
    Lose(id, why);
  };
  callbacks.snapshot = [this](std::vector<std::string>* live, int* next_id) { Snapshot(live, next_id); };
  EMBER_ASSIGN_OR_RETURN(auto client, AppClient::Start(so.master_host, so.master_port, so.master_credentials,
                                                       std::move(app), std::move(callbacks)));
  std::unique_lock<std::mutex> lock(mu_);
  master_ = std::move(client);
  started_ = true;
  if (so.min_registered_ratio <= 0) return Status::OK();
  auto enough = [&] {
    int registered = 0, announced = 0;
    for (const auto& [id, e] : executors_) {
      if (e.lost) continue;
      announced += e.cores;
      registered += e.conn ? e.cores : 0;
    }
    int expected = so.app.cores_max() > 0 ? so.app.cores_max() : announced;
    return registered > 0 && registered >= so.min_registered_ratio * expected;
  };
  cv_.wait_for(lock, std::chrono::duration<double>(so.max_registered_wait_s), enough);
  return Status::OK();
}

void ClusterBackend::Expect(const proto::ExecutorAdded& added) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!seen_.insert(added.executor_id()).second) return;  // registered already, or lost
  Executor& e = executors_[added.executor_id()];
  e.id = added.executor_id();
  e.host = added.host();
  e.cores = added.cores();
  e.last_heartbeat = SteadySeconds();  // counts from now until it registers
}

void ClusterBackend::Snapshot(std::vector<std::string>* live, int* next_id) {
  std::lock_guard<std::mutex> lock(mu_);
  *next_id = 0;
  for (const auto& id : seen_) {
    char* end = nullptr;
    long n = std::strtol(id.c_str(), &end, 10);
    if (end && *end == '\0') *next_id = std::max(*next_id, static_cast<int>(n) + 1);
  }
  for (const auto& [id, e] : executors_)
    if (!e.lost) live->push_back(id);
}

int ClusterBackend::registered_cores() const {
  std::lock_guard<std::mutex> lock(mu_);
  int cores = 0;
  for (const auto& [id, e] : executors_) cores += !e.lost && e.conn ? e.cores : 0;
  return cores;
}

const std::string& ClusterBackend::app_id() const {
  static const std::string kNone;
  return master_ ? master_->app_id() : kNone;
}

ClusterBackend::~ClusterBackend() { Stop(); }

Status ClusterBackend::LaunchExecutor() {
  Executor e;
  e.id = std::to_string(next_id_++);
  e.work_dir = options_.work_root + "/executor-" + e.id;
  EMBER_RETURN_IF_ERROR(MakeDirs(e.work_dir));
  std::vector<std::string> argv = {
      options_.executable, "executor",
      "--driver", options_.advertise_host + ":" + std::to_string(port_),
      "--id", e.id,
      "--host", options_.advertise_host,
      "--cores", std::to_string(options_.cores),
      "--memory-mb", std::to_string(options_.memory_mb),
      "--work-dir", e.work_dir};
  auto child = SpawnChild(argv, ChildEnvironment(), false);
  if (!child.ok()) {
    RemoveTree(e.work_dir);
    return child.status();
  }
  e.pid = child->pid;
  e.stdin_fd = child->stdin_fd;  // kept open: the executor exits when it closes
  e.last_heartbeat = SteadySeconds();     // counts from the launch until it registers
  seen_.insert(e.id);
  // Down the pipe: never on a command line or in the environment.
  Status st = WriteBootstrap(e.stdin_fd, options_.credentials.secret, options_.conf);
  executors_[e.id] = e;
  if (!st.ok()) Lose(e.id, "cannot hand it the secret: " + st.message());
  return Status::OK();
}

void ClusterBackend::Attach(scheduler::PostEvent post) {
  std::lock_guard<std::mutex> lock(mu_);
  post_ = std::move(post);
  for (auto& e : early_events_) post_(std::move(e));
  early_events_.clear();
}

void ClusterBackend::Emit(scheduler::SchedulerEvent event) {
  if (stopping_) return;
  if (post_) post_(std::move(event));
  else early_events_.push_back(std::move(event));
}

void ClusterBackend::Serve(std::shared_ptr<net::Connection> conn) {
  proto::RpcMessage msg;
  auto got = conn->Receive(&msg);
  if (!got.ok() || !*got || !msg.has_register_executor()) {
    spdlog::warn("connection from {} did not register an executor; closed", conn->peer());
    conn->Close();
    return;
  }
  std::string id = msg.register_executor().executor_id();
  Status st = Register(conn, msg.register_executor());
  if (!st.ok()) {
    spdlog::warn("refused executor registration from {}: {}", conn->peer(), st.message());
    conn->Close();
    return;
  }
  std::string why = "its connection closed";
  for (;;) {
    auto more = conn->Receive(&msg);
    if (!more.ok()) why = "its connection failed: " + more.status().message();
    if (!more.ok() || !*more) break;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = executors_.find(id);
    if (it == executors_.end() || it->second.lost) break;
    if (msg.has_heartbeat()) it->second.last_heartbeat = SteadySeconds();
    else if (msg.has_task_result()) {
      if (msg.task_result().state() == proto::TaskResult::SUCCESS) consecutive_losses_ = 0;
      Emit(scheduler::event::TaskFinished{id, std::move(*msg.mutable_task_result())});
    } else if (msg.has_barrier_request()) {
      Emit(scheduler::event::BarrierSync{std::move(*msg.mutable_barrier_request()),
                                         [conn](proto::BarrierReply reply) {
                                           proto::RpcMessage out;
                                           *out.mutable_barrier_reply() = std::move(reply);
                                           (void)conn->Send(out);  // a lost executor fails its tasks anyway
                                         }});
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  Lose(id, why);
}

Status ClusterBackend::Register(const std::shared_ptr<net::Connection>& conn,
                                const proto::RegisterExecutor& r) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = executors_.find(r.executor_id());
  // The master may announce an executor after it registered here.
  if (it == executors_.end() && options_.standalone && seen_.insert(r.executor_id()).second) {
    it = executors_.emplace(r.executor_id(), Executor()).first;
    it->second.id = r.executor_id();
  }
  if (it == executors_.end() || it->second.lost || it->second.conn)
    return InvalidArgument("no executor '" + r.executor_id() + "' is expected");
  Executor& e = it->second;
  e.conn = conn;
  e.host = r.host();
  e.block_port = r.block_port();
  e.cores = r.cores();
  e.last_heartbeat = SteadySeconds();
  proto::RpcMessage reply;
  reply.mutable_registered()->mutable_conf()->insert(options_.conf.begin(), options_.conf.end());
  reply.mutable_registered()->set_file_port(files_->port());
  EMBER_RETURN_IF_ERROR(conn->Send(reply));
  addresses_[e.id] = e.host + ":" + std::to_string(e.block_port);
  auto task_cpus = GetInt(options_.conf, "spark.task.cpus");
  int slots = std::max(1, e.cores / std::max(1, task_cpus.ok() ? *task_cpus : 1));
  Emit(scheduler::event::ExecutorAdded{{e.id, e.host, slots, addresses_[e.id]}});
  spdlog::debug("executor {} (pid {}) registered from {} ({} cores)", e.id, r.pid(), conn->peer(), e.cores);
  cv_.notify_all();
  return Status::OK();
}

void ClusterBackend::Lose(const std::string& id, const std::string& reason) {
  auto it = executors_.find(id);
  if (it == executors_.end() || it->second.lost) return;
  Executor& e = it->second;
  e.lost = true;
  if (e.conn) e.conn->Close();
  if (e.pid > 0) ::kill(e.pid, SIGKILL);  // a hung executor must not come back
  if (master_ && !stopping_) master_->ExecutorLost(id);  // its worker kills it
  bool registered = addresses_.erase(id) > 0;
  if (!started_ && launch_error_.empty()) launch_error_ = "executor " + id + " " + reason;
  if (!stopping_) spdlog::warn("lost executor {}: {}", id, reason);
  if (registered) Emit(scheduler::event::ExecutorLost{id, "executor " + id + " lost: " + reason});
  // Executors that die before any task succeeds again (a setting they
  // cannot start with, a task that kills every executor it runs on) would
  // otherwise be replaced forever while jobs wait.
  if (started_ && !stopping_ && ++consecutive_losses_ >= options_.max_executor_failures && !given_up_) {
    given_up_ = true;
    if (master_) master_->Unregister();  // the master stops replacing them
    Emit(scheduler::event::BackendFailed{
        std::to_string(consecutive_losses_) + " executors were lost in a row (spark.deploy.maxExecutorRetries); "
        "the last: executor " + id + ", " + reason});
  }
  cv_.notify_all();
}

void ClusterBackend::Monitor() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    double now = SteadySeconds();
    for (auto& [id, e] : executors_) {
      if (e.lost) continue;
      int status = 0;
      if (e.pid > 0 && ::waitpid(e.pid, &status, WNOHANG) == e.pid) {
        e.pid = -1;
        Lose(id, "its process " + DescribeWaitStatus(status));
      } else if (now - e.last_heartbeat > (e.conn ? options_.heartbeat_timeout_s : options_.register_timeout_s)) {
        Lose(id, e.conn ? "no heartbeat for " + std::to_string(static_cast<int>(now - e.last_heartbeat)) +
                              " s (spark.network.timeout)"
                        : "it did not register in time");
      }
    }
    // Reap the lost: their processes were killed; their files are useless.
    for (auto it = executors_.begin(); it != executors_.end();) {
      Executor& e = it->second;
      if (!e.lost) {
        ++it;
        continue;
      }
      if (e.pid > 0) ::waitpid(e.pid, nullptr, 0);
      if (e.stdin_fd >= 0) ::close(e.stdin_fd);
      RemoveTree(e.work_dir);
      it = executors_.erase(it);
    }
    if (started_ && options_.replace_lost && !given_up_) {
      while (static_cast<int>(executors_.size()) < options_.executors) {
        Status st = LaunchExecutor();
        if (!st.ok()) {
          spdlog::error("cannot start a replacement executor: {}", st.message());
          break;
        }
      }
    }
    cv_.wait_for(lock, std::chrono::milliseconds(100));
  }
}

std::shared_ptr<net::Connection> ClusterBackend::ConnectionOf(const std::string& id) {
  auto it = executors_.find(id);
  if (it == executors_.end() || it->second.lost) return nullptr;
  return it->second.conn;
}

void ClusterBackend::LaunchTask(const std::string& executor_id, proto::TaskDescription task) {
  proto::RpcMessage msg;
  std::shared_ptr<net::Connection> conn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    conn = ConnectionOf(executor_id);
    if (!conn) return;  // lost: the scheduler runs the task elsewhere
    *msg.mutable_launch_task() = std::move(task);
    msg.mutable_launch_task()->mutable_executor_addresses()->insert(addresses_.begin(), addresses_.end());
  }
  // Not under mu_: a send to a hung executor blocks until Lose() closes it.
  Status st = conn->Send(msg);
  if (!st.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    Lose(executor_id, "cannot send it a task: " + st.message());
  }
}

void ClusterBackend::KillTask(const std::string& executor_id, int64_t task_id) {
  std::shared_ptr<net::Connection> conn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    conn = ConnectionOf(executor_id);
  }
  proto::RpcMessage msg;
  msg.set_kill_task(task_id);
  if (conn) (void)conn->Send(msg);  // a failed send means it is being lost anyway
}

void ClusterBackend::SendToAll(const proto::RpcMessage& message) {
  std::vector<std::shared_ptr<net::Connection>> conns;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, e] : executors_)
      if (!e.lost && e.conn) conns.push_back(e.conn);
  }
  for (auto& c : conns) (void)c->Send(message);
}

void ClusterBackend::RemoveShuffle(int shuffle_id) {
  proto::RpcMessage msg;
  msg.set_remove_shuffle(shuffle_id);
  SendToAll(msg);
}

void ClusterBackend::RemoveRdd(int node) {
  proto::RpcMessage msg;
  msg.set_remove_rdd(node);
  SendToAll(msg);
}

void ClusterBackend::RemoveBroadcast(int64_t id) {
  proto::RpcMessage msg;
  msg.set_remove_broadcast(id);
  SendToAll(msg);
}

void ClusterBackend::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (monitor_.joinable()) monitor_.join();
  // The master ends the application: its workers kill the executors.
  if (master_) master_->Stop();
  // A closed connection is an executor's signal to stop (it kills its
  // running tasks and workers, then exits); closing, unlike a message,
  // cannot block on an executor that stopped reading.
  std::unique_lock<std::mutex> lock(mu_);
  for (auto& [id, e] : executors_)
    if (e.conn) e.conn->Close();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (auto& [id, e] : executors_) {
    while (e.pid > 0 && ::waitpid(e.pid, nullptr, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(e.pid, SIGKILL);
        ::waitpid(e.pid, nullptr, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    e.pid = -1;
    if (e.stdin_fd >= 0) ::close(e.stdin_fd);
    e.stdin_fd = -1;
    RemoveTree(e.work_dir);
  }
  lock.unlock();
  server_.Stop();  // ends the session threads
  if (files_) files_->Stop();
}

}  // namespace ember::deploy
