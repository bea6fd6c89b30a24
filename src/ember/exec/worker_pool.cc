#include "ember/exec/worker_pool.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <chrono>
#include <cstring>
#include <sstream>

#include <spdlog/spdlog.h>

#include "ember/common/crypto.h"
#include "ember/common/file_util.h"
#include "ember/common/frame.h"
#include "ember/common/process.h"

namespace ember::exec {

namespace {
constexpr size_t kNonceSize = 32;

Status ReadExact(int fd, char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    auto r = ReadSome(fd, buf + got, n - got);
    if (!r.ok()) return r.status();
    if (*r == 0) return IOError("worker closed the connection during the handshake");
    got += *r;
  }
  return Status::OK();
}

std::vector<std::string> DaemonEnvironment(const WorkerPoolOptions& o) {
  std::vector<std::string> env;
  std::string pythonpath = o.pythonpath;
  for (const std::string& kv : ChildEnvironment()) {
    if (kv.rfind("PYTHONPATH=", 0) == 0) {
      std::string old = kv.substr(11);
      if (!old.empty()) pythonpath += (pythonpath.empty() ? "" : ":") + old;
      continue;
    }
    env.push_back(kv);
  }
  env.push_back("PYTHONPATH=" + pythonpath);
  for (const auto& [k, v] : o.env) env.push_back(k + "=" + v);
  return env;
}
}  // namespace

Result<std::unique_ptr<WorkerPool>> WorkerPool::Start(const WorkerPoolOptions& options) {
  std::unique_ptr<WorkerPool> pool(new WorkerPool(options));
  EMBER_RETURN_IF_ERROR(pool->Launch());
  WorkerPool* p = pool.get();
  pool->expiry_ = std::thread([p] { p->ExpireIdleWorkers(); });
  return pool;
}

Status WorkerPool::Launch() {
  // An abstract socket ('@' stands for the leading NUL): no file, so no
  // limit from a long spark.local.dir (sun_path holds 108 bytes) and nothing
  // to clean up. Anyone on the host could connect, so the HMAC handshake
  // below comes before anything else.
  std::string socket_path = "@ember-" + RandomHex(12);
  {
    std::lock_guard<std::mutex> lock(mu_);
    socket_path_ = socket_path;
    ++generation_;
  }
  auto child = SpawnChild({options_.python, "-m", "ember.daemon", socket_path, options_.work_dir},
                          DaemonEnvironment(options_), /*pipe_stdout=*/true, options_.secret + "\n");
  if (!child.ok()) {
    return IOError("cannot start Python worker daemon with " + options_.python + ": " +
                   child.status().message() + " (set spark.pyspark.python or PYSPARK_PYTHON)");
  }
  daemon_pid_ = child->pid;
  daemon_stdin_ = child->stdin_fd;
  daemon_stdout_ = child->stdout_fd;
  reader_ = std::thread([this] { ReadDaemonOutput(); });
  return Status::OK();
}

Status WorkerPool::WaitReady() {
  std::unique_lock<std::mutex> lock(mu_);
  bool started = exits_cv_.wait_for(lock, std::chrono::seconds(30),
                                    [this] { return ready_ || daemon_gone_; });
  if (!started || !ready_) {
    return IOError("Python worker daemon failed to start (" + options_.python + " -m ember.daemon)" +
                   (daemon_error_.empty() ? "" : ": " + daemon_error_));
  }
  return Status::OK();
}

// The daemon reports on stdout: "READY", then "EXIT <pid> <description>" for
// every worker that ends, and "ERROR <text>" if it cannot start.
void WorkerPool::ReadDaemonOutput() {
  std::string pending;
  char buf[4096];
  for (;;) {
    auto n = ReadSome(daemon_stdout_, buf, sizeof buf);
    if (!n.ok() || *n == 0) break;
    pending.append(buf, *n);
    size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      std::lock_guard<std::mutex> lock(mu_);
      if (line == "READY") {
        ready_ = true;
      } else if (line.rfind("EXIT ", 0) == 0) {
        std::istringstream in(line.substr(5));
        int pid = 0;
        in >> pid;
        std::string how;
        std::getline(in >> std::ws, how);
        if (!discarded_.erase(pid)) exits_[pid] = how;
      } else if (line.rfind("ERROR ", 0) == 0) {
        daemon_error_ = line.substr(6);
      }
      exits_cv_.notify_all();
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  daemon_gone_ = true;
  exits_cv_.notify_all();
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  idle_cv_.notify_all();
  if (expiry_.joinable()) expiry_.join();
  StopDaemon();
}

// Stops each idle worker once it has been idle for idle_timeout.
void WorkerPool::ExpireIdleWorkers() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (idle_.empty()) {
      idle_cv_.wait(lock);
      continue;
    }
    auto expires = idle_.front().since + options_.idle_timeout;
    if (std::chrono::steady_clock::now() < expires) {
      idle_cv_.wait_until(lock, expires);
      continue;
    }
    WorkerConn worker = idle_.front().worker;
    idle_.pop_front();
    lock.unlock();
    Discard(worker);
    lock.lock();
  }
}

// Closes the idle workers and the daemon's stdin (it exits on EOF, stopping
// its workers), reaps it (SIGKILL to its group if it lingers) and its reader.
void WorkerPool::StopDaemon() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& idle : idle_) ::close(idle.worker.fd);
    idle_.clear();
  }
  if (daemon_stdin_ >= 0) ::close(daemon_stdin_);
  daemon_stdin_ = -1;
  if (daemon_pid_ > 0) {
    // Give it a moment to stop its workers, then make sure.
    for (int i = 0; i < 200; ++i) {
      if (::waitpid(daemon_pid_, nullptr, WNOHANG) == daemon_pid_) {
        daemon_pid_ = -1;
        break;
      }
      ::usleep(10000);
    }
    if (daemon_pid_ > 0) {
      ::kill(-daemon_pid_, SIGKILL);
      ::kill(daemon_pid_, SIGKILL);
      ::waitpid(daemon_pid_, nullptr, 0);
      daemon_pid_ = -1;
    }
  }
  if (reader_.joinable()) reader_.join();
  if (daemon_stdout_ >= 0) ::close(daemon_stdout_);
  daemon_stdout_ = -1;
}

Status WorkerPool::RelaunchIfGone() {
  std::lock_guard<std::mutex> relaunch(relaunch_mu_);
  int old_pid;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!daemon_gone_) return Status::OK();
    old_pid = daemon_pid_;
  }
  StopDaemon();
  {
    std::lock_guard<std::mutex> lock(mu_);
    daemon_gone_ = false;
    ready_ = false;
    daemon_error_.clear();
    exits_.clear();  // the old daemon's workers are gone with it
    discarded_.clear();
  }
  spdlog::warn("the Python worker daemon (pid {}) died; starting a new one", old_pid);
  return Launch();
}

Result<WorkerConn> WorkerPool::Connect() {
  EMBER_RETURN_IF_ERROR(WaitReady());
  std::string socket_path;
  int generation;
  {
    std::lock_guard<std::mutex> lock(mu_);
    socket_path = socket_path_;
    generation = generation_;
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return IOError(std::string("socket: ") + std::strerror(errno));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path + 1, socket_path.data() + 1, socket_path.size() - 1);
  auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path.size());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
    int err = errno;
    ::close(fd);
    return IOError("cannot reach the Python worker daemon at " + socket_path + ": " +
                   std::strerror(err));
  }
  // Handshake: nonce in, HMAC-SHA256(secret, nonce) out, pid (u32 LE) in.
  char nonce[kNonceSize];
  Status st = ReadExact(fd, nonce, kNonceSize);
  if (st.ok()) st = WriteAll(fd, HmacSha256(options_.secret, std::string_view(nonce, kNonceSize)));
  char pid_bytes[4];
  if (st.ok()) st = ReadExact(fd, pid_bytes, 4);
  if (!st.ok()) {
    ::close(fd);
    return IOError("Python worker handshake failed: " + st.message());
  }
  WorkerConn conn;
  conn.fd = fd;
  conn.daemon = generation;
  for (int i = 0; i < 4; ++i) conn.pid |= static_cast<int>(static_cast<uint8_t>(pid_bytes[i])) << (8 * i);
  return conn;
}

Result<WorkerConn> WorkerPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    while (!idle_.empty()) {
      WorkerConn w = idle_.back().worker;
      idle_.pop_back();
      if (!daemon_gone_ && !exits_.count(w.pid)) return w;
      ::close(w.fd);  // it died while idle, or with its daemon
      exits_.erase(w.pid);
    }
  }
  EMBER_RETURN_IF_ERROR(RelaunchIfGone());
  return Connect();
}

void WorkerPool::Release(WorkerConn worker) {
  std::vector<WorkerConn> evicted;
  bool was_empty;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (worker.daemon != generation_ || daemon_gone_) {
      ::close(worker.fd);  // its daemon died, and it with it
      return;
    }
    was_empty = idle_.empty();
    idle_.push_back({worker, std::chrono::steady_clock::now()});
    while (options_.max_idle > 0 && idle_.size() > options_.max_idle) {
      evicted.push_back(idle_.front().worker);
      idle_.pop_front();
    }
  }
  // Only an empty pool's expiry thread waits without a deadline; otherwise
  // it wakes at the oldest idle worker's, and finds any newer one then.
  if (was_empty) idle_cv_.notify_all();
  for (const WorkerConn& w : evicted) Discard(w);
}

void WorkerPool::Discard(WorkerConn worker) {
  ::close(worker.fd);
  std::lock_guard<std::mutex> lock(mu_);
  // Only a live worker is killed: one whose exit was reported, or whose
  // daemon died (taking it along), is gone, and its pid may be another
  // process's by now.
  if (worker.daemon == generation_ && !daemon_gone_ && !exits_.erase(worker.pid)) {
    ::kill(worker.pid, SIGKILL);
    discarded_.insert(worker.pid);
  }
}

size_t WorkerPool::IdleWorkers() {
  std::lock_guard<std::mutex> lock(mu_);
  return idle_.size();
}

size_t WorkerPool::TrackedExits() {
  std::lock_guard<std::mutex> lock(mu_);
  return exits_.size() + discarded_.size();
}

std::string WorkerPool::DescribeExit(int pid, int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  exits_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                     [&] { return exits_.count(pid) > 0 || daemon_gone_; });
  auto it = exits_.find(pid);
  if (it == exits_.end()) return daemon_gone_ ? "the worker daemon died" : "unknown exit status";
  std::string how = it->second;
  exits_.erase(it);
  return how;
}

}  // namespace ember::exec
