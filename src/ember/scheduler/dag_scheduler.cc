#include "ember/scheduler/dag_scheduler.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "ember/common/logging.h"
#include "ember/common/time_util.h"
#include "ember/rdd/barrier_lineage.h"
#include "ember/scheduler/stage_rdds.h"

namespace ember::scheduler {

struct DAGScheduler::Stage {
  int id = 0;
  int node = 0;
  bool is_map = false;
  int shuffle_id = -1;
  int num_partitions = 0;
  int attempt = 0;
  int fetch_failures = 0;         // consecutive attempts ended by a fetch failure
  int valid_from_attempt = 0;     // results of older attempts read rolled-back input
  std::map<int, int> launches;    // partition -> attempts launched (task attempt numbers)
  std::set<int> job_ids;
  int result_job = -1;            // result stages belong to one job
  bool barrier = false;           // set when its tasks are submitted
  int barrier_failures = 0;       // failed barrier attempts
  int slot_checks = 0;            // failed checks for enough slots
  std::optional<listener::StageInfo> reported;  // the attempt submitted to the bus, until completed
};

struct DAGScheduler::Job {
  int id = 0;
  JobSpec spec;
  Stage* final_stage = nullptr;
  std::vector<bool> done;
  std::vector<bool> accumulated;  // accumulator updates applied, once per partition
  std::map<int, size_t> index;  // partition -> position in spec.partitions
  size_t num_done = 0;
  JobOutput output;
  std::shared_ptr<std::promise<JobOutput>> promise;
};

DAGScheduler::DAGScheduler(rdd::Graph* graph, SchedulerBackend* backend, SchedulerOptions options,
                           const Clock* clock, EventLoop::Mode mode)
    : graph_(graph),
      backend_(backend),
      options_(options),
      clock_(clock ? clock : &system_clock_),
      bus_(options.listener_bus),
      tracker_(options.retained_jobs, options.retained_stages),
      tasks_(backend, clock_, options.tasks, this, &tracker_, options.listener_bus, options.pools),
      loop_(mode) {
  backend_->Attach([this](SchedulerEvent e) { Post(std::move(e)); });
  if (loop_.threaded()) ticker_ = std::thread([this] { Tick(); });
}

DAGScheduler::~DAGScheduler() {
  {
    std::lock_guard<std::mutex> lock(tick_mu_);
    ticking_ = false;
  }
  tick_cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  if (loop_.threaded()) {
    CancelAllJobs("SparkContext was shut down");
    loop_.Post([this] { SettleDraining(true); });  // runs before the loop's thread joins
  }
}

void DAGScheduler::Tick() {
  auto interval = std::chrono::duration<double>(std::max(options_.tick_interval_s, 0.01));
  std::unique_lock<std::mutex> lock(tick_mu_);
  while (!tick_cv_.wait_for(lock, interval, [this] { return !ticking_; })) Post(event::Tick{});
}

void DAGScheduler::Post(SchedulerEvent event) {
  loop_.Post([this, e = std::move(event)]() mutable { Handle(e); });
}

void DAGScheduler::Handle(SchedulerEvent& event) {
  std::visit(
      [this](auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, event::JobSubmitted>) OnJobSubmitted(e);
        else if constexpr (std::is_same_v<E, event::JobsCancelled>) OnJobsCancelled(e);
        else if constexpr (std::is_same_v<E, event::TaskFinished>)
          tasks_.TaskFinished(e.executor_id, std::move(e.result));
        else if constexpr (std::is_same_v<E, event::ExecutorAdded>) OnExecutorAdded(e.info);
        else if constexpr (std::is_same_v<E, event::ExecutorLost>) OnExecutorLost(e.executor_id, e.reason);
        else if constexpr (std::is_same_v<E, event::ShuffleRemoved>) OnShuffleRemoved(e.shuffle_id);
        else if constexpr (std::is_same_v<E, event::RddUnpersisted>) OnRddUnpersisted(e.node);
        else if constexpr (std::is_same_v<E, event::Inspect>)
          e.reply->set_value({stages_.size(), map_stages_.size(), jobs_.size(), cached_.size(),
                              map_outputs_.NumShuffles()});
        else if constexpr (std::is_same_v<E, event::BackendFailed>) OnBackendFailed(e.reason);
        else if constexpr (std::is_same_v<E, event::BarrierSync>)
          tasks_.BarrierSync(e.request, std::move(e.reply));
        else {
          tasks_.Tick();
          RecheckBarrierSlots();
        }
      },
      event);
  if (!draining_.empty()) SettleDraining(false);
}

void DAGScheduler::SettleDraining(bool all) {
  for (auto it = draining_.begin(); it != draining_.end();) {
    if (!all && tasks_.HasRunningTasks(it->stage_id)) {
      ++it;
      continue;
    }
    it->promise->set_value(std::move(it->output));
    it = draining_.erase(it);
  }
}

std::future<JobOutput> DAGScheduler::SubmitJob(JobSpec spec) {
  auto promise = std::make_shared<std::promise<JobOutput>>();
  auto result = promise->get_future();
  if (spec.partitions.empty()) {
    promise->set_value({});
    return result;
  }
  Post(event::JobSubmitted{std::move(spec), promise});
  return result;
}

void DAGScheduler::CancelJobs(std::function<bool(const JobSpec&)> match, const std::string& reason) {
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  Post(event::JobsCancelled{std::move(match), reason, done});
  finished.wait();
}

void DAGScheduler::CancelAllJobs(const std::string& reason) {
  CancelJobs([](const JobSpec&) { return true; }, reason);
}

void DAGScheduler::CancelJobGroup(const std::string& group) {
  CancelJobs([group](const JobSpec& s) { return Property(s, "spark.jobGroup.id") == group; },
             "part of cancelled job group " + group);
}

void DAGScheduler::CancelJobsWithTag(const std::string& tag) {
  CancelJobs(
      [tag](const JobSpec& s) {
        std::string tags = "," + Property(s, "spark.job.tags") + ",";
        return tags.find("," + tag + ",") != std::string::npos;
      },
      "part of cancelled job tag " + tag);
}

std::vector<std::string> DAGScheduler::TakeAccumulatorUpdates() {
  std::lock_guard<std::mutex> lock(accum_mu_);
  return std::move(accum_updates_);
}

void DAGScheduler::OnJobsCancelled(event::JobsCancelled& e) {
  std::vector<Job*> active;
  for (auto& [id, job] : jobs_)
    if (e.match(job->spec)) active.push_back(job.get());
  for (Job* job : active) FinishJob(job, {Cancelled(e.reason)});
  e.done->set_value();
}

void DAGScheduler::OnBackendFailed(const std::string& reason) {
  backend_failure_ = IOError("cannot run tasks: " + reason);
  std::vector<Job*> active;
  for (auto& [id, job] : jobs_) active.push_back(job.get());
  for (Job* job : active) FinishJob(job, {backend_failure_});
}

void DAGScheduler::OnJobSubmitted(event::JobSubmitted& e) {
  if (!backend_failure_.ok()) {
    e.promise->set_value({{backend_failure_}, {}});
    return;
  }
  auto job = std::make_shared<Job>();
  job->id = next_job_++;
  job->spec = std::move(e.spec);
  job->promise = e.promise;
  auto node = graph_->Get(job->spec.final_node);
  if (!node) {
    job->promise->set_value({{Internal("job on unknown node")}, {}});
    return;
  }
  for (size_t i = 0; i < job->spec.partitions.size(); ++i) {
    int p = job->spec.partitions[i];
    if (p < 0 || p >= node->num_partitions()) {
      job->promise->set_value({{InvalidArgument(fmt::format(
          "partition {} out of range (the RDD has {} partitions)", p, node->num_partitions()))}, {}});
      return;
    }
    job->index[p] = i;
  }
  job->done.assign(job->spec.partitions.size(), false);
  job->accumulated.assign(job->spec.partitions.size(), false);
  job->output.results.resize(job->spec.partitions.size());
  tracker_.JobStarted(job->id, Property(job->spec, "spark.jobGroup.id"));

  auto stage = std::make_unique<Stage>();
  stage->id = next_stage_++;
  stage->node = job->spec.final_node;
  stage->num_partitions = node->num_partitions();
  stage->result_job = job->id;
  job->final_stage = stage.get();
  Stage* s = stage.get();
  stages_[s->id] = std::move(stage);
  jobs_[job->id] = job;
  ReportJobStart(*job);
  SubmitStage(s, job->id);
}

void DAGScheduler::CollectJobStages(Stage* stage, std::vector<Stage*>* out) {
  out->push_back(stage);
  std::vector<Stage*> parents;
  for (int sid : graph_->ShufflesRead(stage->node)) parents.push_back(MapStageFor(sid));
  for (Stage* p : parents) {
    if (std::find(out->begin(), out->end(), p) != out->end()) continue;
    if (Available(p)) out->push_back(p);  // skipped: its ancestors are not needed
    else CollectJobStages(p, out);
  }
}

void DAGScheduler::ReportJobStart(const Job& job) {
  if (!bus_) return;
  std::vector<Stage*> stages;
  CollectJobStages(job.final_stage, &stages);
  listener::JobStart start{job.id, EpochMillis(), {}, job.spec.properties};
  for (Stage* s : stages)
    start.stages.push_back(ListenerStageInfo(
        *s, job.spec, s->is_map ? s->num_partitions : static_cast<int>(job.spec.partitions.size())));
  bus_->Post(std::move(start));
}

listener::StageInfo DAGScheduler::ListenerStageInfo(const Stage& stage, const JobSpec& spec,
                                                    int num_tasks) const {
  listener::StageInfo info;
  info.stage_id = stage.id;
  info.attempt = stage.attempt;
  info.name = Property(spec, "callSite.short");
  if (info.name.empty()) info.name = stage.is_map ? "ShuffleMapStage" : "ResultStage";
  info.details = Property(spec, "callSite.long");
  info.num_tasks = num_tasks;
  info.rdds = StageRddInfos(*graph_, stage.node);
  for (int sid : graph_->ShufflesRead(stage.node))
    if (auto it = map_stages_.find(sid); it != map_stages_.end()) info.parent_ids.push_back(it->second->id);
  return info;
}

void DAGScheduler::ReportStageSubmitted(Stage* stage, const Job& owner, int num_tasks) {
  if (!bus_) return;
  if (stage->reported) {
    if (stage->reported->attempt == stage->attempt) return;  // the same attempt, resumed
    CompleteReportedStage(stage, "resubmitted as attempt " + std::to_string(stage->attempt) +
                                     " (outputs it needed were lost)");
  }
  stage->reported = ListenerStageInfo(*stage, owner.spec, num_tasks);
  stage->reported->submission_time = EpochMillis();
  bus_->Post(listener::StageSubmitted{*stage->reported, owner.spec.properties});
}

void DAGScheduler::ReportStageEnded(Stage* stage, const std::string& failure) {
  tracker_.StageEnded(stage->id);
  CompleteReportedStage(stage, failure);
}

void DAGScheduler::CompleteReportedStage(Stage* stage, const std::string& failure) {
  if (!bus_ || !stage->reported) return;
  listener::StageCompleted done{std::move(*stage->reported)};
  stage->reported.reset();
  done.stage.completion_time = EpochMillis();
  done.stage.failure_reason = failure;
  bus_->Post(std::move(done));
}

DAGScheduler::Stage* DAGScheduler::FindStage(int stage_id) {
  auto it = stages_.find(stage_id);
  return it == stages_.end() ? nullptr : it->second.get();
}

DAGScheduler::Stage* DAGScheduler::MapStageFor(int shuffle_id) {
  auto it = map_stages_.find(shuffle_id);
  if (it != map_stages_.end()) return it->second;
  rdd::ShuffleInfo info = graph_->Shuffle(shuffle_id);
  auto stage = std::make_unique<Stage>();
  stage->id = next_stage_++;
  stage->node = info.map_node;
  stage->is_map = true;
  stage->shuffle_id = shuffle_id;
  stage->num_partitions = info.num_maps;
  map_outputs_.AddShuffle(shuffle_id, info.num_maps);
  Stage* s = stage.get();
  stages_[s->id] = std::move(stage);
  map_stages_[shuffle_id] = s;
  return s;
}

bool DAGScheduler::Available(const Stage* stage) const {
  return stage->is_map && map_outputs_.Available(stage->shuffle_id);
}

std::vector<DAGScheduler::Stage*> DAGScheduler::MissingParents(Stage* stage) {
  std::vector<Stage*> missing;
  for (int sid : graph_->ShufflesRead(stage->node)) {
    Stage* parent = MapStageFor(sid);
    if (!Available(parent)) missing.push_back(parent);
  }
  return missing;
}

void DAGScheduler::SubmitStage(Stage* stage, int job_id) {
  stage->job_ids.insert(job_id);
  if (running_.count(stage) || waiting_.count(stage)) {
    // Already under way; its ancestors must know this job needs them too
    // (and one no longer under way, stopped with another job, runs again).
    for (Stage* p : MissingParents(stage)) SubmitStage(p, job_id);
    return;
  }
  auto missing = MissingParents(stage);
  if (missing.empty()) {
    SubmitTasks(stage);
    return;
  }
  waiting_.insert(stage);
  for (Stage* parent : missing) SubmitStage(parent, job_id);
}

DAGScheduler::Job* DAGScheduler::OwningJob(const Stage* stage) {
  if (!stage->is_map) return jobs_.at(stage->result_job).get();
  for (int j : stage->job_ids) {  // the oldest job still waiting for it
    auto it = jobs_.find(j);
    if (it != jobs_.end()) return it->second.get();
  }
  return nullptr;
}

void DAGScheduler::SubmitTasks(Stage* stage) {
  std::vector<int> partitions;
  if (stage->is_map) {
    for (int p = 0; p < stage->num_partitions; ++p)
      if (!map_outputs_.Has(stage->shuffle_id, p)) partitions.push_back(p);
  } else {
    Job* job = jobs_.at(stage->result_job).get();
    for (size_t i = 0; i < job->spec.partitions.size(); ++i)
      if (!job->done[i]) partitions.push_back(job->spec.partitions[i]);
  }
  Job* owner = OwningJob(stage);
  if (owner) {
    std::string call_site = Property(owner->spec, "callSite.short");
    tracker_.StageSubmitted(owner->id, stage->id, stage->attempt,
                            call_site.empty() ? (stage->is_map ? "ShuffleMapStage" : "ResultStage")
                                              : call_site,
                            static_cast<int>(partitions.size()));
    ReportStageSubmitted(stage, *owner, static_cast<int>(partitions.size()));
  }
  if (partitions.empty()) {  // a map stage whose outputs all exist again
    if (stage->is_map) MapStageDone(stage);
    return;
  }
  running_.insert(stage);
  if (!BarrierStageMayRun(stage, partitions.size())) return;
  if (stage->barrier && stage->is_map && static_cast<int>(partitions.size()) < stage->num_partitions) {
    // A barrier stage runs whole: its surviving outputs go with the rest.
    map_outputs_.UnregisterAll(stage->shuffle_id);
    partitions.clear();
    for (int p = 0; p < stage->num_partitions; ++p) partitions.push_back(p);
  }
  tasks_.StopStage(stage->id, /*kill=*/false);  // an older attempt launches nothing more
  TaskSetSpec spec;
  spec.stage_id = stage->id;
  spec.stage_attempt = stage->attempt;
  spec.priority = owner ? owner->id : 0;
  if (std::string pool = owner ? Property(owner->spec, "spark.scheduler.pool") : ""; !pool.empty())
    spec.pool = pool;
  for (int p : partitions) spec.preferred.push_back(PreferredLocations(stage->node, p));
  spec.partitions = std::move(partitions);
  spec.make_task = [this, id = stage->id](int p) { return BuildTask(id, p); };
  spec.barrier = stage->barrier;
  if (spec.barrier) spec.preferred.assign(spec.partitions.size(), {});  // all at once, anywhere
  tasks_.Submit(std::move(spec));
}

bool DAGScheduler::BarrierStageMayRun(Stage* stage, size_t num_tasks) {
  // A job on some partitions only (take, first) runs fewer tasks than the
  // stage has partitions, which a barrier stage forbids; a map stage
  // always runs whole (see SubmitTasks).
  int tasks = stage->is_map ? stage->num_partitions : static_cast<int>(num_tasks);
  auto barrier = rdd::BarrierStage(*graph_, stage->node, tasks);
  if (barrier.ok() && !*barrier) return true;
  stage->barrier = true;
  Status failed = barrier.status();
  int slots = tasks_.TotalSlots();
  if (failed.ok() && stage->num_partitions > slots) {
    ++stage->slot_checks;
    const auto& o = options_;
    if (!o.barrier_slots_fixed && stage->slot_checks < o.barrier_slots_check_max_failures) {
      slot_waits_[stage->id] = clock_->Now() + o.barrier_slots_check_interval_s;
      return false;
    }
    failed = InvalidArgument(fmt::format(
        "[SPARK-24819]: Barrier execution mode does not allow run a barrier stage that requires "
        "more slots than the total number of slots in the cluster currently. Please init a new "
        "cluster with more resources(e.g. CPU, GPU) or repartition the input RDD(s) to reduce the "
        "number of slots required to run this barrier stage. (Stage {} needs {} slots; the "
        "application has {} (executor cores / spark.task.cpus){})",
        stage->id, stage->num_partitions, slots,
        o.barrier_slots_fixed
            ? ""
            : fmt::format("; checked {} times, {} s apart: "
                          "spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures, "
                          "spark.scheduler.barrier.maxConcurrentTasksCheck.interval",
                          stage->slot_checks, o.barrier_slots_check_interval_s)));
  }
  if (failed.ok()) {
    stage->slot_checks = 0;
    return true;
  }
  // Not from inside SubmitStage: the caller may still be submitting this
  // job's other stages.
  running_.erase(stage);
  loop_.Post([this, id = stage->id, failed] {
    if (Stage* s = FindStage(id)) AbortStage(s, {failed});
  });
  return false;
}

void DAGScheduler::RecheckBarrierSlots() {
  double now = clock_->Now();
  for (auto it = slot_waits_.begin(); it != slot_waits_.end();) {
    Stage* stage = FindStage(it->first);
    if (stage && now < it->second && running_.count(stage)) {
      ++it;
      continue;
    }
    it = slot_waits_.erase(it);
    if (stage && running_.erase(stage)) SubmitTasks(stage);
  }
}

std::vector<TaskLocation> DAGScheduler::PreferredLocations(int node, int partition) const {
  // Where the partition, or the partition of a one-to-one ancestor, is cached.
  for (;;) {
    if (graph_->IsPersisted(node)) {
      auto it = cached_.find({node, partition});
      if (it != cached_.end()) {
        std::vector<TaskLocation> locations;
        for (const auto& exec : it->second) {
          auto host = executor_hosts_.find(exec);
          if (host != executor_hosts_.end()) locations.push_back({exec, host->second});
        }
        return locations;
      }
    }
    auto n = graph_->Get(node);
    if (!n || !n->has_python()) return {};
    node = n->python().parent();
  }
}

void DAGScheduler::AddCachedLocations(int node, int partition, proto::TaskDescription* task) const {
  for (;;) {  // the partition and its one-to-one ancestors, as PreferredLocations
    if (auto it = cached_.find({node, partition}); it != cached_.end() && graph_->IsPersisted(node)) {
      auto* loc = task->add_cached_locations();
      loc->set_node(node);
      loc->set_partition(partition);
      for (const auto& exec : it->second) loc->add_executors(exec);
    }
    auto n = graph_->Get(node);
    if (!n || !n->has_python()) return;
    node = n->python().parent();
  }
}

Result<proto::TaskDescription> DAGScheduler::BuildTask(int stage_id, int partition) {
  Stage* stage = FindStage(stage_id);
  if (!stage) return Internal(fmt::format("stage {} is gone", stage_id));
  proto::TaskDescription task;
  task.set_stage_id(stage->id);
  task.set_stage_attempt(stage->attempt);
  task.set_partition(partition);
  task.set_attempt(stage->launches[partition]++);
  task.set_final_node(stage->node);
  EMBER_ASSIGN_OR_RETURN(auto lineage, graph_->BuildTaskLineage(stage->node, partition));
  for (auto& n : lineage) {
    if (n.has_shuffled()) map_outputs_.FillReads(partition, n.mutable_shuffled());
    *task.add_nodes() = std::move(n);
  }
  AddCachedLocations(stage->node, partition, &task);
  // Map tasks carry the properties of a job that needs them (local
  // properties, job group, files and broadcasts to drop), like result tasks.
  if (Job* owner = OwningJob(stage))
    task.mutable_properties()->insert(owner->spec.properties.begin(), owner->spec.properties.end());
  (*task.mutable_properties())[kLogLevelProperty] = LogLevel();  // sc.setLogLevel reaches executors
  if (stage->is_map) {
    auto* sink = task.mutable_shuffle();
    sink->set_shuffle_id(stage->shuffle_id);
    sink->set_num_buckets(graph_->Shuffle(stage->shuffle_id).num_buckets);
  } else {
    Job* job = jobs_.at(stage->result_job).get();
    if (job->spec.configure_sink) job->spec.configure_sink(&task);
    else task.mutable_result();
  }
  return task;
}

void DAGScheduler::AddAccumulatorUpdates(proto::TaskResult& result) {
  std::lock_guard<std::mutex> lock(accum_mu_);
  for (auto& u : *result.mutable_accumulator_updates()) accum_updates_.push_back(std::move(u));
}

void DAGScheduler::RecordCachedBlocks(const proto::TaskResult& result) {
  for (const auto& b : result.cached_blocks()) {
    bool added = cached_[{b.node(), b.partition()}].insert(result.executor_id()).second;
    if (!added || !bus_) continue;
    listener::BlockUpdated block;
    block.executor_id = result.executor_id();
    if (auto host = executor_hosts_.find(block.executor_id); host != executor_hosts_.end())
      block.host = host->second;
    block.block_id = fmt::format("rdd_{}_{}", b.node(), b.partition());
    block.storage = graph_->StorageLevelOf(b.node());
    block.memory_size = b.memory_size();
    block.disk_size = b.disk_size();
    bus_->Post(std::move(block));
  }
}

void DAGScheduler::TaskSucceeded(int stage_id, int stage_attempt, int partition,
                                 proto::TaskResult& result) {
  RecordCachedBlocks(result);
  Stage* stage = FindStage(stage_id);
  if (!stage || stage_attempt < stage->valid_from_attempt) return;  // read rolled-back input
  if (stage->is_map) {
    AddAccumulatorUpdates(result);
    if (map_outputs_.Register(stage->shuffle_id, partition, result.task_id(), result.map_status()))
      RollBackReaders(stage->shuffle_id);
    if (running_.count(stage) && Available(stage)) MapStageDone(stage);
    return;
  }
  auto jit = jobs_.find(stage->result_job);
  if (jit == jobs_.end()) return;  // job already failed or was cancelled
  Job* job = jit->second.get();
  size_t i = job->index.at(partition);
  if (job->done[i]) return;  // a duplicate attempt; the first result counts
  if (!job->accumulated[i]) AddAccumulatorUpdates(result);  // a rolled-back rerun adds nothing
  job->accumulated[i] = true;
  job->done[i] = true;
  job->output.results[i].assign(std::make_move_iterator(result.mutable_frames()->begin()),
                                std::make_move_iterator(result.mutable_frames()->end()));
  if (++job->num_done == job->done.size()) FinishJob(job, {});
}

void DAGScheduler::TaskSetFinished(int stage_id, int stage_attempt) {
  Stage* stage = FindStage(stage_id);
  if (!stage || !stage->is_map || !running_.count(stage) || stage_attempt != stage->attempt) return;
  if (Available(stage)) return;
  // Outputs of this attempt were lost with their executor: run them again.
  stage->attempt++;
  SubmitTasks(stage);
}

void DAGScheduler::BarrierTaskSetFailed(int stage_id, int stage_attempt, const std::string& reason) {
  Stage* stage = FindStage(stage_id);
  if (!stage || stage_attempt != stage->attempt || !running_.count(stage)) return;
  if (++stage->barrier_failures >= options_.max_stage_attempts) {
    AbortStage(stage, {ember::TaskFailed(fmt::format(
                          "Job aborted due to stage failure: stage {} has failed the maximum allowable "
                          "number of times: {}. Most recent failure reason: {}",
                          stage->id, options_.max_stage_attempts, reason))});
    return;
  }
  if (!stage->is_map) {  // some partitions may have committed their output
    AbortStage(stage, {ember::TaskFailed(
                          "Job aborted due to stage failure: Could not recover from a failed barrier "
                          "ResultStage. Most recent failure reason: " + reason)});
    return;
  }
  map_outputs_.UnregisterAll(stage->shuffle_id);
  stage->attempt++;
  running_.erase(stage);  // its tasks were killed with the attempt
  for (int j : std::set<int>(stage->job_ids))
    if (jobs_.count(j)) SubmitStage(stage, j);
}

void DAGScheduler::MapStageDone(Stage* stage) {
  running_.erase(stage);
  ReportStageEnded(stage, "");
  stage->fetch_failures = 0;
  tasks_.StopStage(stage->id, /*kill=*/false);  // twins still running are not needed
  OnMapOutputsChanged();
}

void DAGScheduler::OnMapOutputsChanged() {
  std::vector<Stage*> ready;
  for (Stage* w : std::vector<Stage*>(waiting_.begin(), waiting_.end())) {
    auto missing = MissingParents(w);
    if (missing.empty()) {
      ready.push_back(w);
      continue;
    }
    // A parent that finished earlier may have lost outputs since.
    for (Stage* parent : missing)
      if (!running_.count(parent) && !waiting_.count(parent))
        for (int j : std::set<int>(w->job_ids))
          if (jobs_.count(j)) SubmitStage(parent, j);
  }
  for (Stage* w : ready) {
    waiting_.erase(w);
    SubmitTasks(w);
  }
}

void DAGScheduler::TaskSetFailed(int stage_id, int stage_attempt, JobFailure failure) {
  Stage* stage = FindStage(stage_id);
  if (!stage || stage_attempt != stage->attempt) return;
  AbortStage(stage, std::move(failure));
}

void DAGScheduler::FetchFailed(int stage_id, int stage_attempt, const proto::TaskResult& result) {
  Stage* stage = FindStage(stage_id);
  if (!stage) return;
  int sid = result.fetch_failed_shuffle(), mid = result.fetch_failed_map();
  std::string executor = map_outputs_.ExecutorOf(sid, mid);
  // Only the output the task failed to read: a late failure (a stale
  // attempt's) about a copy lost since must not lose its recomputation,
  // nor the other outputs of the executor that recomputed it.
  bool still_registered =
      !result.has_fetch_failed_map_task() || map_outputs_.TaskOf(sid, mid) == result.fetch_failed_map_task();
  if (still_registered && map_outputs_.Unregister(sid, mid)) {  // compared with its recomputation
    if (options_.fetch_failure_loses_executor_outputs) map_outputs_.UnregisterExecutor(executor, sid);
    // Spark numbers the resubmission as a new attempt. A parent running
    // already recomputes what is missing when its attempt ends
    // (TaskSetFinished), which a new number would make it ignore.
    if (auto parent = map_stages_.find(sid); parent != map_stages_.end() && !running_.count(parent->second))
      parent->second->attempt++;
  }
  // Already being redone, or finished (a leftover speculative copy).
  if (stage_attempt != stage->attempt || !running_.count(stage)) return;
  if (++stage->fetch_failures >= options_.max_stage_attempts) {
    AbortStage(stage, {ember::FetchFailed(fmt::format(
        "Job aborted: stage {} could not read the output of shuffle {} after {} attempts: {}",
        stage->id, sid, options_.max_stage_attempts, result.error()))});
    return;
  }
  // Start a new attempt of this stage once its parent's lost outputs exist.
  CompleteReportedStage(stage, "FetchFailed: " + result.error());
  stage->attempt++;
  running_.erase(stage);
  tasks_.StopStage(stage->id, /*kill=*/false);
  std::set<int> jobs = stage->job_ids;
  for (int j : jobs)
    if (jobs_.count(j)) SubmitStage(stage, j);
}

void DAGScheduler::OnExecutorAdded(const ExecutorInfo& info) {
  executor_hosts_[info.id] = info.host;
  if (bus_) {
    int64_t now = EpochMillis();
    bus_->Post(listener::ExecutorAdded{now, info.id, info.host, info.slots});
    size_t colon = info.address.rfind(':');
    int port = colon == std::string::npos ? 0 : std::atoi(info.address.c_str() + colon + 1);
    bus_->Post(listener::BlockManagerAdded{now, info.id, info.host, port, 0});
  }
  tasks_.ExecutorAdded(info);
}

void DAGScheduler::OnExecutorLost(const std::string& executor_id, const std::string& reason) {
  if (bus_ && executor_hosts_.count(executor_id))
    bus_->Post(listener::ExecutorRemoved{EpochMillis(), executor_id, reason});
  executor_hosts_.erase(executor_id);
  for (auto it = cached_.begin(); it != cached_.end();) {
    it->second.erase(executor_id);
    it = it->second.empty() ? cached_.erase(it) : std::next(it);
  }
  map_outputs_.UnregisterExecutor(executor_id);
  tasks_.ExecutorLost(executor_id, reason);  // its running tasks go back to pending
  OnMapOutputsChanged();  // waiting stages whose finished parents lost outputs
}

void DAGScheduler::OnShuffleRemoved(int shuffle_id) {
  auto it = map_stages_.find(shuffle_id);
  if (it != map_stages_.end()) {
    Stage* stage = it->second;
    if (running_.count(stage) || waiting_.count(stage)) return;
    map_stages_.erase(it);
    stages_.erase(stage->id);
  }
  map_outputs_.RemoveShuffle(shuffle_id);
  backend_->RemoveShuffle(shuffle_id);
}

void DAGScheduler::OnRddUnpersisted(int node) {
  cached_.erase(cached_.lower_bound({node, 0}), cached_.lower_bound({node + 1, 0}));
}

event::SchedulerCounts DAGScheduler::Counts() {
  auto reply = std::make_shared<std::promise<event::SchedulerCounts>>();
  auto counts = reply->get_future();
  Post(event::Inspect{reply});
  return counts.get();
}

void DAGScheduler::RollBackReaders(int shuffle_id) {
  std::vector<int> invalidated;
  for (auto& [id, s] : stages_) {
    auto reads = graph_->ShufflesRead(s->node);
    if (std::find(reads.begin(), reads.end(), shuffle_id) == reads.end()) continue;
    // What this stage computed from the old output is wrong now: forget it,
    // and ignore tasks still running on it.
    s->attempt++;
    s->valid_from_attempt = s->attempt;
    tasks_.StopStage(s->id, /*kill=*/false);
    if (s->is_map) {
      if (map_outputs_.UnregisterAll(s->shuffle_id)) invalidated.push_back(s->shuffle_id);
    } else if (auto j = jobs_.find(s->result_job); j != jobs_.end()) {
      Job* job = j->second.get();
      job->done.assign(job->done.size(), false);
      for (auto& r : job->output.results) r.clear();
      job->num_done = 0;
    }
    if (running_.erase(s.get())) {  // relaunch now; waiting stages do when submitted
      for (int j : std::set<int>(s->job_ids))
        if (jobs_.count(j)) SubmitStage(s.get(), j);
    }
  }
  for (int sid : invalidated) RollBackReaders(sid);
}

void DAGScheduler::AbortStage(Stage* stage, JobFailure failure) {
  std::vector<Job*> affected;
  for (int j : stage->job_ids) {
    auto it = jobs_.find(j);
    if (it != jobs_.end()) affected.push_back(it->second.get());
  }
  for (Job* job : affected) FinishJob(job, failure);
}

void DAGScheduler::FinishJob(Job* job, JobFailure failure) {
  Stage* final_stage = job->final_stage;
  running_.erase(final_stage);
  waiting_.erase(final_stage);
  // Twins of finished partitions (speculative copies) are killed, as
  // Spark kills them, whether the job succeeded or failed.
  tasks_.StopStage(final_stage->id, /*kill=*/true);
  if (!failure.status.ok()) {
    // Stop what only this job was waiting for, running tasks included.
    for (auto& [id, s] : stages_) {
      if (s->is_map && s->job_ids.size() == 1 && s->job_ids.count(job->id)) {
        waiting_.erase(s.get());
        if (running_.erase(s.get())) s->attempt++;  // failures of this attempt are ignored
        tasks_.StopStage(id, /*kill=*/true);
        ReportStageEnded(s.get(), failure.status.message());
      }
    }
    job->output.results.clear();
  }
  ReportStageEnded(final_stage, failure.status.message());
  tracker_.JobEnded(job->id, failure.status.ok());
  if (failure.status.ok()) Logger("DAGScheduler")->info("Job {} finished", job->id);
  else Logger("DAGScheduler")->info("Job {} failed: {}", job->id, failure.status.message());
  if (bus_) bus_->Post(listener::JobEnd{job->id, EpochMillis(), failure.status.ok(), failure.status.message()});
  for (auto& [id, s] : stages_) s->job_ids.erase(job->id);
  job->output.failure = std::move(failure);
  // The job returns once they have ended: an output job then commits with
  // no attempt still writing beside it.
  if (tasks_.HasRunningTasks(final_stage->id))
    draining_.push_back({final_stage->id, job->promise, std::move(job->output)});
  else
    job->promise->set_value(std::move(job->output));
  stages_.erase(final_stage->id);
  jobs_.erase(job->id);  // last: `job` is owned here
}

}  // namespace ember::scheduler
