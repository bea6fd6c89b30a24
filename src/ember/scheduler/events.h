// Every event the scheduler reacts to, in one place.
//
// Contract: events are posted from any thread (Python threads submitting
// or cancelling jobs, backends reporting executors and finished tasks, the
// timer) and handled one at a time, in posting order, on the scheduler's
// event loop; nothing else touches scheduler state. A test may post them
// itself and drain the loop on its own thread (EventLoop::Manual).
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <string>
#include <variant>

#include "ember/scheduler/job.h"
#include "ember.pb.h"

namespace ember::scheduler {

// An executor as the task scheduler sees it: where it is and how many
// tasks it runs at once.
struct ExecutorInfo {
  std::string id;
  std::string host;
  int slots = 1;
  std::string address;  // "host:port" a barrier task reports (BarrierTaskInfo)
};

namespace event {

// A caller wants `spec` run; the promise gets the job's output.
struct JobSubmitted {
  JobSpec spec;
  std::shared_ptr<std::promise<JobOutput>> promise;
};

// Cancel the active jobs `match` accepts; `done` is set once they ended.
struct JobsCancelled {
  std::function<bool(const JobSpec&)> match;
  std::string reason;
  std::shared_ptr<std::promise<void>> done;
};

// A task attempt ended on `executor_id` (succeeded, failed, could not
// fetch a map output, or was killed).
struct TaskFinished {
  std::string executor_id;
  proto::TaskResult result;
};

// An executor registered and can take tasks.
struct ExecutorAdded {
  ExecutorInfo info;
};

// An executor is gone (process exited, connection closed, heartbeats
// stopped): its running tasks run elsewhere without counting as failures,
// and its map outputs and cached blocks are forgotten.
struct ExecutorLost {
  std::string executor_id;
  std::string reason;
};

// No RDD reads this shuffle any more: forget its stage, outputs and files.
struct ShuffleRemoved {
  int shuffle_id;
};

// The node's cached blocks were dropped: forget where they were.
struct RddUnpersisted {
  int node;
};

// How much state the scheduler holds (DAGScheduler::Counts).
struct SchedulerCounts {
  size_t stages = 0, map_stages = 0, jobs = 0, cached_partitions = 0, shuffles = 0;
};
struct Inspect {
  std::shared_ptr<std::promise<SchedulerCounts>> reply;
};

// Periodic: speculation checks and locality waits that expired.
struct Tick {};

// The backend cannot run tasks any more (its executors keep dying as soon
// as they start): every active job, and every later one, fails with this.
struct BackendFailed {
  std::string reason;
};

// A barrier task made a sync (BarrierTaskContext.barrier/allGather);
// `reply` answers it, from the event loop.
struct BarrierSync {
  proto::BarrierRequest request;
  std::function<void(proto::BarrierReply)> reply;
};

}  // namespace event

using SchedulerEvent = std::variant<event::JobSubmitted, event::JobsCancelled, event::TaskFinished,
                                    event::ExecutorAdded, event::ExecutorLost,
                                    event::ShuffleRemoved, event::RddUnpersisted, event::Inspect,
                                    event::Tick, event::BackendFailed, event::BarrierSync>;

// How a backend reports executors and finished tasks to the scheduler.
using PostEvent = std::function<void(SchedulerEvent)>;

}  // namespace ember::scheduler
