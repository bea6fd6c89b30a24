// TaskScheduler: puts the tasks of submitted stage attempts on executors'
// free slots and tells the DAG scheduler how they ended.
//
// Contract: lives on the scheduler's event loop (no locking). Free slots
// are offered to the task sets in the order of `pools` (pool.h: FIFO by
// (priority, stage id) unless spark.scheduler.mode=FAIR), re-ranked each
// time offers are made; each set is offered them level by level (process-local, node-local, any), so a task runs
// where its cached partition is when that executor has a slot, and
// elsewhere only after its set's locality wait (TaskSetManager). A
// finished task is routed to its set: a success whose partition had not
// succeeded yet reaches the listener, its running twins are killed; a
// fetch failure reaches the listener and makes the set a zombie; a set
// that aborts (too many failures, results too large, a task it could not
// build) reaches the listener once. When an executor is lost its running
// tasks run again elsewhere without counting as failures. Task starts and
// ends are reported to the JobTracker and, when there is one, to the
// listener bus (TaskStart, TaskEnd with the task's metrics and end reason).
//
// Barrier sets launch all their tasks at once, when the executors' free
// slots hold them all, each task told every task's executor address by
// partition order; a barrier task that fails or is lost ends its attempt:
// the set's other tasks are killed and the listener hears
// BarrierTaskSetFailed (the DAG scheduler decides on a new attempt). Their
// syncs go through the BarrierCoordinator, whose waiting callers are
// failed as soon as their set stops running.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ember/scheduler/backend.h"
#include "ember/scheduler/barrier_coordinator.h"
#include "ember/scheduler/clock.h"
#include "ember/scheduler/job_tracker.h"
#include "ember/scheduler/listener_bus.h"
#include "ember/scheduler/pool.h"
#include "ember/scheduler/task_set_manager.h"

namespace ember::scheduler {

class TaskScheduler {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // The first success of `partition` in a stage attempt.
    virtual void TaskSucceeded(int stage_id, int stage_attempt, int partition,
                               proto::TaskResult& result) = 0;
    virtual void FetchFailed(int stage_id, int stage_attempt, const proto::TaskResult& result) = 0;
    virtual void TaskSetFailed(int stage_id, int stage_attempt, JobFailure failure) = 0;
    // Every partition of the attempt succeeded.
    virtual void TaskSetFinished(int stage_id, int stage_attempt) = 0;
    // A task of a barrier attempt failed or was lost; the attempt's other
    // tasks are being killed.
    virtual void BarrierTaskSetFailed(int stage_id, int stage_attempt, const std::string& reason) {}
  };

  TaskScheduler(SchedulerBackend* backend, const Clock* clock, TaskSetOptions options,
                Listener* listener, JobTracker* tracker, ListenerBus* bus = nullptr,
                Pools pools = Pools());

  void Submit(TaskSetSpec spec);
  // No more launches for any attempt of the stage; with `kill`, its
  // running tasks are killed too (results of survivors still arrive). A
  // barrier attempt's tasks are killed either way, once.
  void StopStage(int stage_id, bool kill);
  bool HasRunningTasks(int stage_id) const;  // in any attempt of the stage
  void ExecutorAdded(const ExecutorInfo& info);
  void ExecutorLost(const std::string& executor_id, const std::string& reason = "");
  void TaskFinished(const std::string& executor_id, proto::TaskResult result);
  void Tick();  // speculation, offers whose locality wait may have expired, barrier timeouts
  // Slots of all executors (a barrier stage needs as many as its tasks).
  int TotalSlots() const;
  // A barrier task's sync; `reply` is called once, on the event loop.
  void BarrierSync(const proto::BarrierRequest& request, BarrierCoordinator::Reply reply);


 private:
  struct Executor {
    ExecutorInfo info;
    int free = 0;
  };
  struct Launched {
    TaskSetManager* set;
    std::string executor_id;
    listener::TaskInfo info;  // for the listener bus
    bool shuffle_map = false;
  };

  void ReviveOffers();
  void OfferTo(TaskSetManager* set, double now);
  void ReportFailure(TaskSetManager* set);
  void Launch(TaskSetManager* set, Executor* exec, proto::TaskDescription task);
  // Records a launched task (tasks_, tracker, bus) and hands it to the backend.
  void Start(TaskSetManager* set, Executor* exec, proto::TaskDescription task);
  // Tells the tracker and the bus how a task ended (`result` null: its executor was lost).
  void ReportEnd(const Launched& launched, const proto::TaskResult* result, const std::string& lost_reason);
  void OfferBarrier(TaskSetManager* set, double now);
  void KillRunning(TaskSetManager* set);
  // Tells the listener about a barrier attempt that just ended, and kills
  // the rest of it.
  void ReportBarrierFailure(TaskSetManager* set);
  void Reap();  // drops sets with nothing left to do

  SchedulerBackend* backend_;
  const Clock* clock_;
  TaskSetOptions options_;
  Listener* listener_;
  JobTracker* tracker_;
  ListenerBus* bus_;
  std::map<std::string, Executor> executors_;
  std::vector<std::unique_ptr<TaskSetManager>> sets_;  // FIFO order
  Pools pools_;
  std::map<int64_t, Launched> tasks_;
  int64_t next_task_ = 0;
  bool offering_ = false, offer_again_ = false;
  BarrierCoordinator barrier_;
};

}  // namespace ember::scheduler
