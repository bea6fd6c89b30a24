// LocalBackend: local[N] — one in-process Executor with N slots.
//
// Contract: the executor is announced as executor "driver" on host
// "localhost" when the scheduler attaches. Tasks go through the Executor's
// TaskDescription interface (each task its own message, moved to the
// executor, as a remote executor receives its own), so nothing in local
// mode depends on sharing the driver's graph.
#pragma once

#include <memory>

#include "ember/exec/executor.h"
#include "ember/scheduler/backend.h"

namespace ember::deploy {

class LocalBackend : public scheduler::SchedulerBackend {
 public:
  explicit LocalBackend(std::unique_ptr<exec::Executor> executor) : executor_(std::move(executor)) {}
  void Attach(scheduler::PostEvent post) override;
  void LaunchTask(const std::string& executor_id, proto::TaskDescription task) override;
  void KillTask(const std::string&, int64_t task_id) override { executor_->KillTask(task_id); }
  void RemoveShuffle(int shuffle_id) override { executor_->RemoveShuffle(shuffle_id); }
  void RemoveRdd(int node) override { executor_->RemoveRdd(node); }
  // Stops the executor; waits for running tasks to end.
  void Stop() override { executor_.reset(); }

 private:
  std::unique_ptr<exec::Executor> executor_;
  scheduler::PostEvent post_;
};

}  // namespace ember::deploy
