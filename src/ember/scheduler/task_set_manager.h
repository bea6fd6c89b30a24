// TaskSetManager: the tasks of one stage attempt — which partitions still
// have to run, where each would rather run, failures, speculation.
//
// Contract: lives on the scheduler's event loop (no locking). The task
// scheduler offers it free slots; ResourceOffer() hands back a task only
// if one may run on that executor at the offered locality level or better
// (delay scheduling, as Spark's: a task set waits up to its locality wait
// at a level, counted from its last launch, before relaxing to the next;
// tasks without preference run at any level). A task that fails is
// retried until its partition failed `max_task_failures` times, which
// aborts the set with "Task P in stage S.A failed N times ..."; a task
// whose executor was lost runs again without counting as a failure. The
// first success of a partition counts; its running twins are returned to
// be killed. Speculative copies of stragglers (speculation.h) are offered
// once no ordinary task is pending. The result sizes of successful tasks
// add up against `max_result_bytes` (spark.driver.maxResultSize). A zombie
// set (aborted, or its stage moved on) launches nothing more but still
// reports the tasks it has running. A barrier set (spec.barrier) is never
// speculated; the task scheduler launches all its tasks together; a task
// of it that fails (short of the failure limit, which aborts as above) or
// is lost with its executor ends the whole attempt: the set turns zombie
// and TakeBarrierFailure() says why, once.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ember/common/status.h"
#include "ember/scheduler/events.h"
#include "ember/scheduler/job.h"
#include "ember/scheduler/speculation.h"
#include "ember.pb.h"

namespace ember::scheduler {

enum class Locality { kProcess = 0, kNode = 1, kAny = 2 };

// Where a partition would rather run: an executor (its cached block is
// there) and/or a host. Either may be empty.
struct TaskLocation {
  std::string executor_id;
  std::string host;
};

struct TaskSetSpec {
  int stage_id = 0;
  int stage_attempt = 0;
  int priority = 0;  // lower runs first: the id of the oldest job needing it (FIFO)
  std::string pool = "default";  // its job's spark.scheduler.pool (pool.h)
  std::vector<int> partitions;
  std::vector<std::vector<TaskLocation>> preferred;  // per partition index; may be empty
  // The task for a partition, everything but its task id; called at launch.
  std::function<Result<proto::TaskDescription>(int partition)> make_task;
  bool barrier = false;  // a barrier stage: all tasks at once, a failure ends the attempt
};

struct TaskSetOptions {
  int max_task_failures = 1;
  int64_t max_result_bytes = 0;  // 0: unlimited
  double locality_wait_process_s = 3;
  double locality_wait_node_s = 3;
  SpeculationOptions speculation;
  double barrier_sync_timeout_s = 365 * 86400.0;  // spark.barrier.sync.timeout
};

class TaskSetManager {
 public:
  TaskSetManager(TaskSetSpec spec, const TaskSetOptions* options, double now);

  int stage_id() const { return spec_.stage_id; }
  int stage_attempt() const { return spec_.stage_attempt; }
  int priority() const { return spec_.priority; }
  const std::string& pool() const { return spec_.pool; }
  bool zombie() const { return zombie_; }
  bool barrier() const { return spec_.barrier; }
  size_t num_tasks() const { return spec_.partitions.size(); }
  // A barrier set launches once, every task together.
  bool NothingLaunched() const { return !launched_; }
  std::optional<std::string> TakeBarrierFailure() { return std::exchange(barrier_failure_, std::nullopt); }
  // Why this set stopped, for the barrier syncs its tasks still wait in.
  const std::string& end_reason() const { return end_reason_; }
  void MakeZombie() { zombie_ = true; }
  bool AllSucceeded() const { return succeeded_ == spec_.partitions.size(); }
  bool HasRunning() const { return !running_.empty(); }
  size_t NumRunning() const { return running_.size(); }
  // Why the set aborted (task failures, result size, a task it could not
  // build); returned once.
  std::optional<JobFailure> TakeFailure() { return std::exchange(failure_, std::nullopt); }

  // A task to run on `exec` as task `task_id`, or nothing.
  std::optional<proto::TaskDescription> ResourceOffer(const ExecutorInfo& exec, Locality max_level,
                                                      double now, int64_t task_id);

  // How a running task was launched (the listener's task info).
  struct Launch {
    size_t index = 0;  // in the set's partitions
    Locality locality = Locality::kProcess;
    bool speculative = false;
  };
  std::optional<Launch> LaunchOf(int64_t task_id) const;

  struct Ended {
    int partition = -1;
    bool first_success = false;     // counts; the DAG scheduler gets its result
    std::vector<int64_t> twins;     // still-running copies of the partition, to kill
    double seconds = 0;
  };
  // The end of one of this set's tasks; `result_bytes` of a success count
  // against maxResultSize.
  Ended TaskSucceeded(int64_t task_id, int64_t result_bytes, double now);
  void TaskFailed(int64_t task_id, const proto::TaskResult& result);
  // A task killed (a twin, a cancel) or whose executor was lost: if its
  // partition still needs it and the set is live, it is pending again.
  void TaskKilled(int64_t task_id);
  // Tasks running on a lost executor run again; returns their ids.
  std::vector<int64_t> ExecutorLost(const std::string& executor_id);
  // Marks stragglers for a speculative copy.
  void CheckSpeculation(double now);
  std::vector<int64_t> RunningTaskIds() const;

 private:
  enum class State { kPending, kRunning, kSucceeded };
  struct Running {
    size_t index;
    std::string executor_id;
    double start;
    int attempt;
    Locality locality;
    bool speculative;
  };

  void AddPending(size_t index, bool front);
  Locality AllowedLevel(double now);
  bool HasPendingAt(Locality level);
  std::optional<size_t> TakePending(std::deque<size_t>* queue);
  std::optional<size_t> FindTask(const ExecutorInfo& exec, Locality level);
  std::optional<size_t> FindSpeculative();
  void Abort(JobFailure failure);
  void EndBarrierAttempt(std::string why);

  TaskSetSpec spec_;
  const TaskSetOptions* options_;
  std::vector<State> state_;
  std::vector<int> failures_;  // per index
  std::vector<int> copies_;    // running attempts per index
  size_t succeeded_ = 0;
  int64_t result_bytes_ = 0;
  bool zombie_ = false;
  std::optional<JobFailure> failure_;
  bool aborted_ = false;
  bool launched_ = false;
  std::optional<std::string> barrier_failure_;
  std::string end_reason_;

  // Pending tasks by preference (lazily cleaned: entries no longer pending
  // are skipped when met).
  std::map<std::string, std::deque<size_t>> by_executor_, by_host_;
  std::deque<size_t> no_preference_, all_;
  std::vector<Locality> levels_;  // the levels this set has tasks for, best first
  size_t level_ = 0;              // index into levels_ currently allowed
  double last_launch_ = 0;

  std::map<int64_t, Running> running_;
  std::vector<double> finished_seconds_;
  std::set<int> speculatable_;  // partition indexes wanting a copy
  std::set<int> speculated_;    // indexes that got one
};

}  // namespace ember::scheduler
