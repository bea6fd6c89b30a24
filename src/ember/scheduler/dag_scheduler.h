// DAGScheduler: turns jobs into stages and stages into tasks, and recovers
// from failures by lineage.
//
// Contract: RunJob() blocks until the job finishes and is safe to call from
// several threads at once. A job is cut into stages at shuffle
// dependencies; a shuffle map stage whose outputs all still exist is
// reused across jobs; missing parent stages run first. A failed task is
// retried until it has failed `max_task_failures` times, then the job
// fails with "Task P in stage S failed N times; most recent failure: ...".
// A fetch failure unregisters the map output it could not read and
// resubmits the parent stage for the missing outputs only (should the
// recomputed output differ from the lost one, every stage that read the
// old output runs again, so a nondeterministic map never mixes old and new
// records), at most
// `max_stage_attempts` consecutive times. A job whose results together
// exceed `max_result_bytes` fails naming spark.driver.maxResultSize. With
// speculation on, stragglers get a second copy (speculation.h); the first
// attempt of a partition to succeed wins and the others are killed. All scheduler state is owned by
// one event-loop thread; other threads only post to it.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ember/rdd/graph.h"
#include "ember/scheduler/backend.h"
#include "ember/scheduler/event_loop.h"
#include "ember/scheduler/job_tracker.h"
#include "ember/scheduler/map_output_tracker.h"
#include "ember/scheduler/speculation.h"
#include "ember.pb.h"

namespace ember::scheduler {

struct SchedulerOptions {
  int max_task_failures = 1;
  int max_stage_attempts = 4;
  int64_t max_result_bytes = 0;  // spark.driver.maxResultSize over a job; 0: unlimited
  SpeculationOptions speculation;
};

struct JobSpec {
  int final_node = 0;
  std::vector<int> partitions;
  std::map<std::string, std::string> properties;
  // Sets the sink of each result-stage task (default: results to driver).
  std::function<void(proto::TaskDescription*)> configure_sink;
};

struct JobFailure {
  Status status;        // ok() when the job succeeded
  int stage = -1;       // where it failed, when a task failed
  int partition = -1;
  int attempts = 0;
  int task_error_code = 0;  // StatusCode of the last task failure
};

struct JobOutput {
  JobFailure failure;
  std::vector<std::vector<proto::Frame>> results;  // indexed like spec.partitions
};

class DAGScheduler {
 public:
  DAGScheduler(rdd::Graph* graph, SchedulerBackend* backend, SchedulerOptions options);
  ~DAGScheduler();

  JobOutput RunJob(JobSpec spec);
  // Cancel running jobs (all of them, those whose "spark.jobGroup.id" is
  // `group`, those whose "spark.job.tags" list holds `tag`): each fails
  // with a Cancelled status and its running tasks are killed. Return once
  // done.
  void CancelAllJobs(const std::string& reason);
  void CancelJobGroup(const std::string& group);
  void CancelJobsWithTag(const std::string& tag);
  const JobTracker& tracker() const { return tracker_; }
  // Forgets a shuffle no RDD reads any more: its map stage and outputs, and
  // its files on the executors. A shuffle a running stage uses is kept.
  void RemoveShuffle(int shuffle_id);
  // Accumulator updates of finished tasks, in completion order; drained.
  std::vector<std::string> TakeAccumulatorUpdates();

 private:
  struct Stage;
  struct Job;
  struct TaskInfo;

  void CancelJobs(const std::function<bool(const JobSpec&)>& match, const std::string& reason);
  void Tick();  // the speculation timer's thread

  // All of these run on the event loop.
  void HandleJobSubmitted(std::shared_ptr<Job> job);
  Job* OwningJob(const Stage* stage);
  void HandleTaskFinished(proto::TaskResult result);
  Stage* MapStageFor(int shuffle_id);
  std::vector<Stage*> MissingParents(Stage* stage);
  bool Available(const Stage* stage) const;
  void SubmitStage(Stage* stage, int job_id);
  void SubmitTasks(Stage* stage);
  void LaunchTask(Stage* stage, int partition);
  void OnMapOutputsChanged();
  void HandleSuccess(const TaskInfo& info, proto::TaskResult& result);
  void HandleFailure(const TaskInfo& info, const proto::TaskResult& result);
  void HandleFetchFailure(const TaskInfo& info, const proto::TaskResult& result);
  void FinishJob(Job* job, JobFailure failure);
  void AbortStage(Stage* stage, JobFailure failure);
  void AddAccumulatorUpdates(proto::TaskResult& result);
  // A recomputed map output whose blocks differ from the lost one (a
  // nondeterministic map): everything that read the old output runs again.
  void RollBackReaders(int shuffle_id);
  void CheckSpeculation();
  // Running tasks of the same partition as `info` (speculative twins).
  std::vector<int64_t> OtherAttempts(const Stage* stage, const TaskInfo& info) const;

  rdd::Graph* graph_;
  SchedulerBackend* backend_;
  SchedulerOptions options_;

  // Event-loop state.
  std::map<int, std::unique_ptr<Stage>> stages_;
  std::map<int, Stage*> map_stages_;  // by shuffle id
  MapOutputTracker map_outputs_;
  std::set<Stage*> running_, waiting_;
  std::map<int, std::shared_ptr<Job>> jobs_;
  std::map<int64_t, TaskInfo> tasks_;
  int next_stage_ = 0;
  int next_job_ = 0;
  int64_t next_task_ = 0;

  JobTracker tracker_;  // thread-safe; written from the event loop

  std::thread ticker_;  // posts CheckSpeculation when spark.speculation is on
  std::mutex tick_mu_;
  std::condition_variable tick_cv_;
  bool ticking_ = true;

  std::mutex accum_mu_;
  std::vector<std::string> accum_updates_;

  EventLoop loop_;  // last: destroyed first, while the state above exists
};

}  // namespace ember::scheduler
