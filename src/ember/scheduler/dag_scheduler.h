// DAGScheduler: turns jobs into stages, keeps the map outputs, and
// recovers from lost outputs by lineage. The TaskScheduler below it puts
// each stage attempt's tasks on executors.
//
// Contract: RunJob() blocks until the job finishes and is safe to call from
// several threads at once. A job is cut into stages at shuffle
// dependencies; a shuffle map stage whose outputs all still exist is
// reused across jobs; missing parent stages run first. A task set that
// aborts (a partition failed spark.task.maxFailures times, results over
// spark.driver.maxResultSize) fails every job that needs its stage. A fetch
// failure unregisters the map output it could not read (in the cluster
// modes, every output of that shuffle on the executor that served it),
// unless that output has been replaced since (a late failure about a lost
// copy), and
// resubmits the parent stage for the missing outputs only (should the
// recomputed output differ from the lost one, every stage that read the
// old output runs again, so a nondeterministic map never mixes old and new
// records), at most `max_stage_attempts` consecutive times. A lost
// executor loses its map outputs and cached blocks; only what is missing
// is recomputed. Tasks prefer the executor holding their cached partition.
// A stage's task set runs in the scheduler pool (pool.h) of the oldest job
// needing it: that job's spark.scheduler.pool property, else "default".
// When a job ends, the tasks of its result stage still running (the
// speculative twins of finished partitions, or every task of a failed job)
// are killed, and the job returns only once they have ended (or their
// executor is lost), so a save commits or removes its output with no
// straggler writing after it.
// A barrier stage (rdd/barrier_lineage.h) of a forbidden shape fails its
// job; one with more tasks than the executors' slots waits for slots
// (re-checked every barrier_slots_check_interval_s) and fails its job after
// barrier_slots_check_max_failures checks, or at once when slots are fixed
// (local[N]); a failed attempt of it runs again whole — a map stage as a
// new attempt with all its outputs dropped, at most max_stage_attempts
// times; a result stage fails its job (its output may be half committed),
// as in Spark.
// Job, stage, task, executor and cached-block events go to the listener
// bus when SchedulerOptions has one (listener_events.h): a job's start
// lists every stage it needs and comes before their submissions; a stage
// attempt is completed (with its failure, if any) once, before the
// resubmission of the same stage.
// All state is owned by one event loop (events.h); other threads only post
// to it. With a manual loop and clock (tests), SubmitJob() and
// RunUntilIdle() drive it synchronously.
#pragma once

#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ember/rdd/graph.h"
#include "ember/scheduler/backend.h"
#include "ember/scheduler/clock.h"
#include "ember/scheduler/event_loop.h"
#include "ember/scheduler/events.h"
#include "ember/scheduler/job.h"
#include "ember/scheduler/job_tracker.h"
#include "ember/scheduler/map_output_tracker.h"
#include "ember/scheduler/task_scheduler.h"
#include "ember.pb.h"

namespace ember::scheduler {

struct SchedulerOptions {
  int max_stage_attempts = 4;  // spark.stage.maxConsecutiveAttempts
  // Cluster modes: a fetch failure loses every output of the shuffle on
  // the executor that served it (its disk or process is likely gone). In
  // local modes that executor is the driver itself: only the file is lost.
  bool fetch_failure_loses_executor_outputs = false;
  TaskSetOptions tasks;
  double tick_interval_s = 0.1;  // speculation checks, locality waits
  // spark.scheduler.barrier.maxConcurrentTasksCheck.{interval,maxFailures}
  double barrier_slots_check_interval_s = 15;
  int barrier_slots_check_max_failures = 40;
  bool barrier_slots_fixed = false;  // local[N]: too few slots fail at the first check
  ListenerBus* listener_bus = nullptr;  // where listener events go (none: nowhere)
  Pools pools;  // spark.scheduler.mode and the allocation file's pools
  size_t retained_jobs = 1000, retained_stages = 1000;  // spark.ui.retained{Jobs,Stages}
};

class DAGScheduler : private TaskScheduler::Listener {
 public:
  // `clock` null: the system clock. A manual loop has no timer thread.
  DAGScheduler(rdd::Graph* graph, SchedulerBackend* backend, SchedulerOptions options,
               const Clock* clock = nullptr, EventLoop::Mode mode = EventLoop::Mode::kThreaded);
  ~DAGScheduler();

  JobOutput RunJob(JobSpec spec) { return SubmitJob(std::move(spec)).get(); }
  std::future<JobOutput> SubmitJob(JobSpec spec);
  void Post(SchedulerEvent event);
  void RunUntilIdle() { loop_.RunUntilIdle(); }  // manual loops only

  // Cancel running jobs (all of them, those whose "spark.jobGroup.id" is
  // `group`, those whose "spark.job.tags" list holds `tag`): each fails
  // with a Cancelled status and its running tasks are killed. Return once
  // done (threaded loops only).
  void CancelAllJobs(const std::string& reason);
  void CancelJobGroup(const std::string& group);
  void CancelJobsWithTag(const std::string& tag);
  const JobTracker& tracker() const { return tracker_; }
  // Forgets a shuffle no RDD reads any more: its map stage and outputs, and
  // its files on the executors. A shuffle a running stage uses is kept.
  void RemoveShuffle(int shuffle_id) { Post(event::ShuffleRemoved{shuffle_id}); }
  // Forgets where `node`'s cached partitions were (they were dropped).
  void ForgetCachedBlocks(int node) { Post(event::RddUnpersisted{node}); }
  // The sizes of the scheduler's per-job, per-stage and per-node state, so
  // tests can check a long-lived context holds no more than it needs
  // (threaded loops only: waits for the loop).
  event::SchedulerCounts Counts();
  // Accumulator updates of finished tasks, in completion order; drained.
  std::vector<std::string> TakeAccumulatorUpdates();

 private:
  struct Stage;
  struct Job;

  void CancelJobs(std::function<bool(const JobSpec&)> match, const std::string& reason);
  void Tick();  // the timer thread

  // All of these run on the event loop.
  void Handle(SchedulerEvent& event);
  void OnJobSubmitted(event::JobSubmitted& e);
  void OnJobsCancelled(event::JobsCancelled& e);
  void OnExecutorAdded(const ExecutorInfo& info);
  void OnExecutorLost(const std::string& executor_id, const std::string& reason);
  void OnShuffleRemoved(int shuffle_id);
  void OnRddUnpersisted(int node);
  void OnBackendFailed(const std::string& reason);

  void TaskSucceeded(int stage_id, int stage_attempt, int partition,
                     proto::TaskResult& result) override;
  void FetchFailed(int stage_id, int stage_attempt, const proto::TaskResult& result) override;
  void TaskSetFailed(int stage_id, int stage_attempt, JobFailure failure) override;
  void TaskSetFinished(int stage_id, int stage_attempt) override;
  void BarrierTaskSetFailed(int stage_id, int stage_attempt, const std::string& reason) override;
  // A barrier stage's checks before it may run: its shape, then enough
  // slots. False when it does not run now (failed, or waits for slots).
  bool BarrierStageMayRun(Stage* stage, size_t num_tasks);
  void RecheckBarrierSlots();  // on Tick: stages waiting for slots

  Stage* FindStage(int stage_id);
  Job* OwningJob(const Stage* stage);
  Stage* MapStageFor(int shuffle_id);
  std::vector<Stage*> MissingParents(Stage* stage);
  bool Available(const Stage* stage) const;
  void SubmitStage(Stage* stage, int job_id);
  void SubmitTasks(Stage* stage);
  Result<proto::TaskDescription> BuildTask(int stage_id, int partition);
  std::vector<TaskLocation> PreferredLocations(int node, int partition) const;
  // Where the task's persisted partitions are cached (read from there
  // before recomputing them).
  void AddCachedLocations(int node, int partition, proto::TaskDescription* task) const;
  void MapStageDone(Stage* stage);
  void OnMapOutputsChanged();
  void FinishJob(Job* job, JobFailure failure);
  // Hands ended jobs their output once their result stage's tasks ended
  // (`all`: now, whatever runs — the scheduler is going away).
  void SettleDraining(bool all);
  void AbortStage(Stage* stage, JobFailure failure);
  void AddAccumulatorUpdates(proto::TaskResult& result);
  void RecordCachedBlocks(const proto::TaskResult& result);
  // Listener events (nothing without a bus).
  void CollectJobStages(Stage* stage, std::vector<Stage*>* out);  // creates them, as SubmitStage would
  void ReportJobStart(const Job& job);
  listener::StageInfo ListenerStageInfo(const Stage& stage, const JobSpec& spec, int num_tasks) const;
  void ReportStageSubmitted(Stage* stage, const Job& owner, int num_tasks);
  void ReportStageEnded(Stage* stage, const std::string& failure);  // to the tracker and the bus
  void CompleteReportedStage(Stage* stage, const std::string& failure);  // to the bus only
  // A recomputed map output whose blocks differ from the lost one (a
  // nondeterministic map): everything that read the old output runs again.
  void RollBackReaders(int shuffle_id);

  rdd::Graph* graph_;
  SchedulerBackend* backend_;
  SchedulerOptions options_;
  SystemClock system_clock_;
  const Clock* clock_;
  ListenerBus* bus_;
  JobTracker tracker_;  // thread-safe; written from the event loop
  TaskScheduler tasks_;

  // Event-loop state.
  std::map<int, std::unique_ptr<Stage>> stages_;
  std::map<int, Stage*> map_stages_;  // by shuffle id
  MapOutputTracker map_outputs_;
  std::set<Stage*> running_, waiting_;
  std::map<int, std::shared_ptr<Job>> jobs_;
  std::map<std::string, std::string> executor_hosts_;
  std::map<std::pair<int, int>, std::set<std::string>> cached_;  // (node, partition) -> executors
  int next_stage_ = 0;
  int next_job_ = 0;
  Status backend_failure_;  // set once the backend gave up: every job fails
  struct Draining {         // an ended job whose result tasks still run (being killed)
    int stage_id;
    std::shared_ptr<std::promise<JobOutput>> promise;
    JobOutput output;
  };
  std::vector<Draining> draining_;
  std::map<int, double> slot_waits_;  // barrier stage id -> when to check its slots again

  std::thread ticker_;  // posts event::Tick (threaded loops only)
  std::mutex tick_mu_;
  std::condition_variable tick_cv_;
  bool ticking_ = true;

  std::mutex accum_mu_;
  std::vector<std::string> accum_updates_;

  EventLoop loop_;  // last: destroyed first, while the state above exists
};

}  // namespace ember::scheduler
