// TaskContext: what one running task attempt knows about itself, shared by
// the streams that compute its partition.
//
// Contract: identity fields are set before the task starts and then only
// read; accumulator updates, metrics, workers and the cancel flag may be
// touched from the task's helper threads and from KillTask, hence the
// mutex/atomic. Streams add what they measured to the metrics (AddMetrics)
// when they end or are destroyed, so a failed task reports what it did.
#pragma once

#include <signal.h>

#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <mutex>
#include <string>
#include <vector>

#include "ember/exec/task_metrics.h"
#include "ember.pb.h"

namespace ember::exec {

// Sends a barrier task's sync to the driver's coordinator; `reply` is
// called once with the answer, from any thread.
using BarrierSync =
    std::function<void(proto::BarrierRequest, std::function<void(proto::BarrierReply)> reply)>;

struct TaskContext {
  int64_t task_id = 0;
  int stage_id = 0;
  int stage_attempt = 0;
  int partition = 0;
  int attempt = 0;
  int cpus = 1;
  std::map<std::string, std::string> properties;
  // Barrier stages: every task's executor address by partition, and the
  // way to the driver's coordinator.
  bool barrier = false;
  std::vector<std::string> barrier_addresses;
  BarrierSync barrier_sync;
  std::atomic<int> barrier_calls{0};  // syncs made so far (BarrierRequest.call)
  // Persisted partitions (node, partition) this task read or computed.
  std::set<std::pair<int, int>> persisted_blocks;

  std::atomic<bool> cancelled{false};
  // Set by the shuffle reader when a map output cannot be read, so the
  // driver knows which output to recompute.
  std::atomic<int> fetch_failed_shuffle{-1};
  std::atomic<int> fetch_failed_map{-1};
  std::atomic<int64_t> fetch_failed_map_task{-1};  // whose output it was

  void AddAccumulatorUpdate(std::string update) {
    std::lock_guard<std::mutex> lock(mu);
    accumulator_updates.push_back(std::move(update));
  }
  // Python workers running this task's code, so a cancel can stop them.
  void AddWorker(int pid) {
    std::lock_guard<std::mutex> lock(mu);
    workers.insert(pid);
    if (cancelled) ::kill(pid, SIGKILL);
  }
  void RemoveWorker(int pid) {
    std::lock_guard<std::mutex> lock(mu);
    workers.erase(pid);
  }
  // Sends `sig` to the task's running workers (fault injection).
  void SignalWorkers(int sig) {
    std::lock_guard<std::mutex> lock(mu);
    for (int pid : workers) ::kill(pid, sig);
  }
  // Marks the task cancelled and kills its running workers.
  void Cancel() {
    std::lock_guard<std::mutex> lock(mu);
    cancelled = true;
    for (int pid : workers) ::kill(pid, SIGKILL);
  }

  void AddMetrics(const proto::TaskMetrics& delta) {
    std::lock_guard<std::mutex> lock(mu);
    AddTaskMetrics(delta, &metrics);
  }
  proto::TaskMetrics TakeMetrics() {
    std::lock_guard<std::mutex> lock(mu);
    return std::move(metrics);
  }

  std::vector<std::string> TakeAccumulatorUpdates() {
    std::lock_guard<std::mutex> lock(mu);
    return std::move(accumulator_updates);
  }

 private:
  std::mutex mu;
  std::vector<std::string> accumulator_updates;
  proto::TaskMetrics metrics;
  std::set<int> workers;
};

}  // namespace ember::exec
