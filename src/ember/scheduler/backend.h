// SchedulerBackend: where the scheduler's tasks run.
//
// Contract: Attach() is called once, before anything else, with the
// function through which the backend reports, from any thread, every
// executor it has or gains (event::ExecutorAdded), every executor it loses
// (event::ExecutorLost), and the end of every launched task
// (event::TaskFinished, exactly once per LaunchTask unless its executor is
// reported lost first). LaunchTask() returns at once and runs the task on
// the named executor (the task is the backend's: a parallelized slice in
// it is not copied again); KillTask() asks a launched task to stop;
// RemoveShuffle() deletes every map output of a shuffle nothing will read
// again; RemoveRdd() drops the cached partitions of a node;
// RemoveBroadcast() deletes executors' copies of a dropped broadcast's file
// (none by default: local mode reads the driver's). Stop() ends
// every executor, waiting for running tasks. Local mode runs
// one in-process Executor; cluster modes talk to executor processes. The
// scheduler sees no difference.
#pragma once

#include <string>

#include "ember/scheduler/events.h"
#include "ember.pb.h"

namespace ember::scheduler {

class SchedulerBackend {
 public:
  virtual ~SchedulerBackend() = default;
  virtual void Attach(PostEvent post) = 0;
  virtual void LaunchTask(const std::string& executor_id, proto::TaskDescription task) = 0;
  virtual void KillTask(const std::string& executor_id, int64_t task_id) = 0;
  virtual void RemoveShuffle(int shuffle_id) = 0;
  virtual void RemoveRdd(int node) = 0;
  virtual void RemoveBroadcast(int64_t id) {}
  virtual void Stop() {}
};

}  // namespace ember::scheduler
