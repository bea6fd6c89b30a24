// SchedulerBackend: where the scheduler's tasks run.
//
// Contract: TotalSlots() is how many tasks may run at once; LaunchTask()
// returns at once and calls `done` exactly once, from any thread, with the
// task's result; KillTask() asks a launched task to stop; RemoveShuffle()
// deletes every map output of a shuffle nothing will read again;
// RemoveRdd() drops the cached partitions of a node. Local mode runs
// one in-process Executor; cluster modes talk to executor processes. The
// scheduler sees no difference.
#pragma once

#include <functional>

#include "ember.pb.h"

namespace ember::scheduler {

class SchedulerBackend {
 public:
  using Done = std::function<void(proto::TaskResult)>;
  virtual ~SchedulerBackend() = default;
  virtual int TotalSlots() const = 0;
  virtual void LaunchTask(const proto::TaskDescription& task, Done done) = 0;
  virtual void KillTask(int64_t task_id) = 0;
  virtual void RemoveShuffle(int shuffle_id) = 0;
  virtual void RemoveRdd(int node) = 0;
};

}  // namespace ember::scheduler
