// WorkerPool: the Python workers one executor runs its Python tasks in.
//
// Contract: Start() launches `python -m ember.daemon` (posix_spawn, no
// shell; never fork the multi-threaded engine) and returns without waiting
// for it to import its modules: the first Acquire() waits for its READY
// (30 s at most), so the driver's own start-up runs meanwhile. A missing
// interpreter fails Start(); one that cannot run the daemon fails the
// first Acquire() with the daemon's error. The daemon reads the
// shared secret from its stdin, listens on a Unix socket in `work_dir`, and
// forks one worker per connection; it exits (taking its workers with it)
// when its stdin closes, so a dead executor never leaves workers behind.
// Each new connection proves it knows the secret (HMAC-SHA256 over a
// nonce) before the worker reads anything else. Acquire() hands out an idle
// authenticated worker or connects a new one; Release() returns a worker
// whose last task ended cleanly; Discard() kills one whose stream is in an
// unknown state. DescribeExit() says how a worker process ended ("killed by
// signal 9", "exited with code 3"), as reported by the daemon. A daemon that
// died (killed, out of memory) fails the tasks its workers were running;
// the next Acquire() starts a new one, so the executor keeps working; a
// worker of the dead daemon (dead too: PDEATHSIG) is never handed out again.
// The exit of a discarded worker is not kept, so a long-lived pool's
// bookkeeping stays as small as its idle workers.
//
// Idle workers: Acquire() takes the most recently released one, so the
// others stay idle when demand falls. A worker idle for `idle_timeout` is
// stopped (by the pool's expiry thread), and Release() stops the
// least-recently used idle worker beyond `max_idle` (0: no limit): a
// long-lived context keeps no more workers, and no more of their memory,
// than its tasks use. A stopped worker is discarded, never handed out.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "ember/common/status.h"

namespace ember::exec {

struct WorkerPoolOptions {
  std::string python = "/usr/bin/python3";
  std::string pythonpath;  // prepended to PYTHONPATH of the daemon
  std::string work_dir;    // socket and worker scratch space
  std::string secret;
  std::vector<std::pair<std::string, std::string>> env;  // extra environment
  std::chrono::milliseconds idle_timeout{60000};
  size_t max_idle = 0;  // idle workers kept at most; 0: no limit
};

struct WorkerConn {
  int fd = -1;
  int pid = 0;
  int daemon = 0;  // which of the pool's daemons forked it (its generation)
};

class WorkerPool {
 public:
  static Result<std::unique_ptr<WorkerPool>> Start(const WorkerPoolOptions& options);
  ~WorkerPool();

  Result<WorkerConn> Acquire();
  void Release(WorkerConn worker);
  void Discard(WorkerConn worker);
  std::string DescribeExit(int pid, int timeout_ms);
  int daemon_pid() const { return daemon_pid_; }
  // Worker exits the pool still keeps track of (bounded: a discarded
  // worker's report is dropped when it comes).
  size_t TrackedExits();
  size_t IdleWorkers();

 private:
  explicit WorkerPool(WorkerPoolOptions options) : options_(std::move(options)) {}
  Status Launch();
  Status WaitReady();  // until the last launched daemon said READY, or its error
  Status RelaunchIfGone();
  void StopDaemon();
  Result<WorkerConn> Connect();
  void ReadDaemonOutput();
  void ExpireIdleWorkers();  // the expiry thread's loop, until stopping_

  struct IdleWorker {
    WorkerConn worker;
    std::chrono::steady_clock::time_point since;
  };

  WorkerPoolOptions options_;
  std::string socket_path_;
  int daemon_pid_ = -1;
  int daemon_stdin_ = -1;
  int daemon_stdout_ = -1;
  std::thread reader_;
  std::thread expiry_;

  std::mutex relaunch_mu_;  // one relaunch at a time
  std::mutex mu_;           // guards what follows and socket_path_
  std::condition_variable exits_cv_;
  std::condition_variable idle_cv_;  // idle_ got its first worker, or stopping_
  std::map<int, std::string> exits_;  // pid -> how it ended, until asked for
  std::set<int> discarded_;           // killed by Discard(), exit not reported yet
  bool daemon_gone_ = false;
  int generation_ = 0;  // of the running daemon; a worker of an older one is dead
  bool ready_ = false;
  std::string daemon_error_;
  std::deque<IdleWorker> idle_;  // least recently released first
  bool stopping_ = false;
};

}  // namespace ember::exec
