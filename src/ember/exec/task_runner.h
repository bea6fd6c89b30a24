// RunTask: executes one task attempt on this executor and reports how it
// went.
//
// Contract: opens the final node's stream for the task's partition and
// drains it into the task's sink — result frames back to the driver,
// bucket batches into a ShuffleWriter (map output files under
// `shuffle_dir`), or lines into an output file that is renamed into the
// task commit directory only when the whole partition was written. Never
// throws; every failure becomes a TaskResult with state FAILED (or
// FETCH_FAILED naming the shuffle and map whose output was unreadable) and
// an error message. Accumulator updates ride along on success only; the
// task's metrics (exec/task_metrics.h) on every result, with whatever a
// failed or killed task measured before it ended.
#pragma once

#include <string>

#include "ember/exec/block_fetcher.h"
#include "ember/exec/fault_injection.h"
#include "ember/exec/task_context.h"
#include "ember/exec/worker_pool.h"
#include "ember/storage/block_store.h"
#include "ember.pb.h"

namespace ember::exec {

struct ExecutorEnv {
  std::string executor_id;
  std::string shuffle_dir;
  WorkerPool* pool = nullptr;
  storage::BlockStore* blocks = nullptr;  // persisted partitions
  size_t shuffle_memory_budget = 64 << 20;
  int64_t max_result_bytes = 0;  // 0: unlimited
  const FaultInjector* faults = nullptr;  // ember.test.* settings
  BlockFetcher* fetcher = nullptr;  // cluster modes: other executors' blocks
  size_t max_bytes_in_flight = 48 << 20;  // spark.reducer.maxSizeInFlight
};

proto::TaskResult RunTask(const proto::TaskDescription& task, const ExecutorEnv& env,
                          TaskContext* ctx);

}  // namespace ember::exec
