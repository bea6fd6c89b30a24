// Executor: runs tasks in a fixed number of slots, each task in its own
// thread, Python work in the executor's WorkerPool.
//
// Contract: Launch() queues a task and returns at once; `done` is called
// exactly once per launched task, from an executor thread, with its
// TaskResult. KillTask() asks a running or queued task to stop; it then
// finishes with state KILLED. RemoveShuffle() deletes this executor's map
// output files of a shuffle; RemoveRdd() its cached partitions of a node.
// The executor receives tasks only as
// TaskDescriptions, so the same code serves local mode (in-process) and
// executor processes of the cluster modes. Destruction waits for running
// tasks, then stops the worker daemon.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "ember/exec/block_fetcher.h"
#include "ember/exec/task_context.h"
#include "ember/exec/task_runner.h"
#include "ember/exec/worker_pool.h"
#include "ember.pb.h"

namespace ember::exec {

struct ExecutorOptions {
  std::string executor_id = "driver";
  int slots = 1;
  int task_cpus = 1;  // spark.task.cpus, reported to tasks
  std::string work_dir;  // shuffle files and worker scratch live here
  WorkerPoolOptions workers;
  size_t shuffle_memory_budget = 64 << 20;
  size_t storage_memory_budget = 600 << 20;  // cached partitions held in memory
  size_t max_bytes_in_flight = 48 << 20;     // spark.reducer.maxSizeInFlight
  int64_t max_result_bytes = 0;
  FaultInjector faults;
  // Cluster modes: the application's credentials, for fetching blocks
  // from other executors (no secret in local modes: every block is local).
  net::Credentials credentials;
  FetchOptions fetch;
  // Cluster modes: run on the task's slot thread before it starts (fetches
  // its broadcasts and files); an error fails the task with its message.
  std::function<Status(proto::TaskDescription*)> prepare_task;
};

class Executor {
 public:
  using Done = std::function<void(proto::TaskResult)>;

  static Result<std::unique_ptr<Executor>> Start(ExecutorOptions options);
  ~Executor();

  void Launch(proto::TaskDescription task, Done done);
  void KillTask(int64_t task_id);
  void RemoveShuffle(int shuffle_id);
  // Drops every cached partition of an RDD node.
  void RemoveRdd(int node) { blocks_->RemoveRdd(node); }
  int slots() const { return options_.slots; }
  // How barrier tasks reach the driver's coordinator; set before the first
  // Launch().
  void SetBarrierSync(BarrierSync sync) { barrier_sync_ = std::move(sync); }
  storage::BlockStore* block_store() { return blocks_.get(); }

 private:
  explicit Executor(ExecutorOptions options) : options_(std::move(options)) {}
  void SlotLoop();

  struct Queued {
    proto::TaskDescription task;
    Done done;
  };
  ExecutorOptions options_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<storage::BlockStore> blocks_;
  std::unique_ptr<BlockFetcher> fetcher_;
  ExecutorEnv env_;
  BarrierSync barrier_sync_;
  std::vector<std::thread> threads_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Queued> queue_;
  std::map<int64_t, TaskContext*> running_;
  bool stopping_ = false;
};

}  // namespace ember::exec
