#include "ember/deploy/worker.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "ember.pb.h"
#include "ember/common/file_util.h"
#include "ember/common/frame.h"
#include "ember/common/process.h"
#include "ember/common/time_util.h"
#include "ember/deploy/executor_bootstrap.h"
#include "ember/net/client.h"
#include "ember/net/watchdog.h"

namespace ember::deploy {

namespace {

constexpr std::chrono::seconds kRegistrationTimeout{10};

bool PlainName(const std::string& s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string::npos && s.size() < 200;
}

}  // namespace

class Worker::Impl {
 public:
  explicit Impl(WorkerOptions options) : o_(std::move(options)) {
    id_ = "worker-" + UtcTimestamp() + "-" + o_.host + "-" + std::to_string(::getpid());
  }
  ~Impl() { Stop(); }

  Status Start() {
    EMBER_RETURN_IF_ERROR(MakeDirs(o_.work_dir));
    link_ = std::thread([this] { LinkLoop(); });
    monitor_ = std::thread([this] { Monitor(); });
    return Status::OK();
  }

  void Stop();
  const std::string& id() const { return id_; }

 private:
  struct Executor {
    proto::ExecutorSlot slot;
    int pid = -1;
    int stdin_fd = -1;
    std::string dir;
    bool killed = false;  // on an order: its end is normal
  };

  void LinkLoop();
  Status Session(const std::shared_ptr<net::Connection>& conn);
  void Launch(const proto::LaunchExecutor& l);
  void Kill(const proto::ExecutorSlot& s);
  void Monitor();
  void Reap(const std::string& key, int status);  // under mu_
  void SendLocked(const proto::DeployMessage& m);

  const WorkerOptions o_;
  std::string id_;
  std::thread link_, monitor_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::shared_ptr<net::Connection> conn_;  // to the master, once connected
  bool registered_ = false;                // and the master accepted us on it
  double last_ack_ = 0;
  std::map<std::string, Executor> executors_;  // by "<app>/<executor>"
  net::Watchdog watchdog_;
};

void Worker::Impl::LinkLoop() {
  bool warned = false;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    auto conn = net::Connect(o_.master_host, o_.master_port, o_.credentials, std::chrono::seconds(10));
    Status st = conn.status();
    if (conn.ok()) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        conn_ = *conn;  // from now on Stop() can interrupt the session
      }
      st = Session(*conn);
    }
    if (!warned || st.ok()) spdlog::warn("worker {}: no master: {}; retrying every second", id_, st.message());
    warned = !st.ok();
    std::unique_lock<std::mutex> lock(mu_);
    conn_.reset();
    registered_ = false;
    cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
  }
}

// One registration: returns when the master is lost (OK) or refused us.
Status Worker::Impl::Session(const std::shared_ptr<net::Connection>& conn) {
  proto::DeployMessage msg;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Status::OK();
    auto* r = msg.mutable_register_worker();
    r->set_worker_id(id_);
    r->set_host(o_.host);
    r->set_cores(o_.cores);
    r->set_memory_mb(o_.memory_mb);
    for (const auto& [key, e] : executors_)
      if (!e.killed) *r->add_executors() = e.slot;
    EMBER_RETURN_IF_ERROR(conn->Send(msg));
  }
  {
    auto guard = watchdog_.Watch(conn, kRegistrationTimeout);  // a master that never answers
    EMBER_ASSIGN_OR_RETURN(bool got, conn->Receive(&msg));
    if (!got || !msg.has_worker_registered()) return IOError("the master did not accept the registration");
  }
  spdlog::info("worker {} registered with {} ({} cores, {} MiB)", id_, msg.worker_registered(), o_.cores,
               o_.memory_mb);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Status::OK();
    registered_ = true;
    last_ack_ = SteadySeconds();
  }
  cv_.notify_all();
  for (;;) {
    auto more = conn->Receive(&msg);
    if (!more.ok()) return IOError("lost the master: " + more.status().message());
    if (!*more) return IOError("the master closed the connection");
    if (msg.has_launch_executor()) Launch(msg.launch_executor());
    else if (msg.has_kill_executor()) Kill(msg.kill_executor());
    else if (msg.has_heartbeat_ack()) {
      std::lock_guard<std::mutex> lock(mu_);
      last_ack_ = SteadySeconds();
    }
  }
}

void Worker::Impl::SendLocked(const proto::DeployMessage& m) {
  if (registered_) (void)conn_->Send(m);  // a lost master is noticed by the link loop
}

void Worker::Impl::Launch(const proto::LaunchExecutor& l) {
  const auto& s = l.slot();
  std::string key = s.app_id() + "/" + s.executor_id();
  std::lock_guard<std::mutex> lock(mu_);
  proto::DeployMessage exited;
  auto* x = exited.mutable_executor_exited();
  x->set_app_id(s.app_id());
  x->set_executor_id(s.executor_id());
  if (!PlainName(s.app_id()) || !PlainName(s.executor_id()) || executors_.count(key)) {
    x->set_message("refused: bad or duplicate executor id '" + key + "'");
    SendLocked(exited);
    return;
  }
  Executor e;
  e.slot = s;
  e.dir = o_.work_dir + "/" + key;
  std::vector<std::string> argv = {o_.executable, "executor", "--driver", l.driver_address(),
                                   "--id", s.executor_id(), "--host", o_.host,
                                   "--cores", std::to_string(s.cores()),
                                   "--memory-mb", std::to_string(s.memory_mb()), "--work-dir", e.dir};
  Status st = MakeDirs(e.dir);
  Result<ChildProcess> child = st.ok() ? SpawnChild(argv, ChildEnvironment(), false) : Result<ChildProcess>(st);
  if (child.ok())
    st = WriteBootstrap(child->stdin_fd, l.secret().empty() ? o_.credentials.secret : l.secret(), o_.conf);
  if (!child.ok() || !st.ok()) {
    if (child.ok()) {
      ::kill(child->pid, SIGKILL);
      ::waitpid(child->pid, nullptr, 0);
      ::close(child->stdin_fd);
    }
    RemoveTree(e.dir);
    x->set_message("cannot start the executor: " + (child.ok() ? st : child.status()).message());
    spdlog::error("worker {}: executor {}: {}", id_, key, x->message());
    SendLocked(exited);
    return;
  }
  e.pid = child->pid;
  e.stdin_fd = child->stdin_fd;  // kept open: the executor exits when it closes
  spdlog::info("worker {}: started executor {} (pid {}) for driver {}", id_, key, e.pid, l.driver_address());
  executors_[key] = std::move(e);
}

void Worker::Impl::Kill(const proto::ExecutorSlot& s) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = executors_.find(s.app_id() + "/" + s.executor_id());
  if (it == executors_.end() || it->second.killed) return;
  it->second.killed = true;
  ::kill(it->second.pid, SIGKILL);
}

void Worker::Impl::Reap(const std::string& key, int status) {
  Executor& e = executors_[key];
  ::close(e.stdin_fd);
  RemoveTree(e.dir);
  std::string app = e.slot.app_id();
  proto::DeployMessage m;
  auto* x = m.mutable_executor_exited();
  x->set_app_id(app);
  x->set_executor_id(e.slot.executor_id());
  x->set_normal(e.killed || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
  x->set_message("executor " + key + " on " + o_.host + " " + DescribeWaitStatus(status));
  if (!x->normal()) spdlog::warn("worker {}: {}", id_, x->message());
  SendLocked(m);
  executors_.erase(key);
  bool others = false;
  for (const auto& [k, other] : executors_) others = others || other.slot.app_id() == app;
  if (!others) RemoveTree(o_.work_dir + "/" + app);
}

void Worker::Impl::Monitor() {
  proto::DeployMessage beat;
  beat.mutable_heartbeat();
  double next_beat = 0;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    for (auto it = executors_.begin(); it != executors_.end();) {
      auto key = (it++)->first;
      int status = 0;
      if (::waitpid(executors_[key].pid, &status, WNOHANG) == executors_[key].pid) Reap(key, status);
    }
    double now = SteadySeconds();
    if (registered_ && now - last_ack_ > o_.timeout_s) {
      spdlog::warn("worker {}: the master did not answer for {} s (spark.worker.timeout)", id_,
                   static_cast<int>(o_.timeout_s));
      conn_->Close();  // the link loop registers again
      registered_ = false;
    }
    if (registered_ && now >= next_beat) {
      SendLocked(beat);
      next_beat = now + o_.timeout_s / 4;
    }
    cv_.wait_for(lock, std::chrono::milliseconds(100));
  }
}

void Worker::Impl::Stop() {
  std::shared_ptr<net::Connection> conn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    conn = conn_;
  }
  cv_.notify_all();
  if (conn) conn->Close();
  if (monitor_.joinable()) monitor_.join();
  // The link loop may be inside Connect (bounded by its timeout) or Receive (closed above).
  if (link_.joinable()) link_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [key, e] : executors_) {
    ::kill(e.pid, SIGKILL);
    ::waitpid(e.pid, nullptr, 0);
    ::close(e.stdin_fd);
    RemoveTree(e.dir);
  }
  for (auto& [key, e] : executors_) RemoveTree(o_.work_dir + "/" + e.slot.app_id());
  executors_.clear();
}

Result<std::unique_ptr<Worker>> Worker::Start(WorkerOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  EMBER_RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<Worker>(new Worker(std::move(impl)));
}

Worker::Worker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Worker::~Worker() = default;
void Worker::Stop() { impl_->Stop(); }
const std::string& Worker::id() const { return impl_->id(); }

}  // namespace ember::deploy
