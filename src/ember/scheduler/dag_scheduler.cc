#include "ember/scheduler/dag_scheduler.h"

#include <fmt/format.h>

#include <future>

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
  int submitted = 0;              // tasks launched by the latest submission
  std::vector<double> finished_seconds;  // durations of successful tasks (speculation)
  std::set<int> speculated;       // partitions with a speculative copy this attempt
  std::set<int> inflight;         // partitions launched in the current attempt
  std::map<int, int> failures;    // partition -> failed attempts
  std::map<int, int> launches;    // partition -> attempts launched
  std::set<int> job_ids;
  int result_job = -1;            // result stages belong to one job
};

struct DAGScheduler::Job {
  int id = 0;
  JobSpec spec;
  Stage* final_stage = nullptr;
  std::vector<bool> done;
  std::vector<bool> accumulated;  // accumulator updates applied, once per partition
  std::map<int, size_t> index;  // partition -> position in spec.partitions
  size_t num_done = 0;
  int64_t result_bytes = 0;
  JobOutput output;
  std::promise<JobOutput> promise;
};

struct DAGScheduler::TaskInfo {
  int stage = 0;
  int stage_attempt = 0;
  int partition = 0;
  int attempt = 0;
  std::chrono::steady_clock::time_point start;
};

DAGScheduler::DAGScheduler(rdd::Graph* graph, SchedulerBackend* backend, SchedulerOptions options)
    : graph_(graph), backend_(backend), options_(options) {
  if (options_.speculation.enabled) ticker_ = std::thread([this] { Tick(); });
}

DAGScheduler::~DAGScheduler() {
  {
    std::lock_guard<std::mutex> lock(tick_mu_);
    ticking_ = false;
  }
  tick_cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  CancelAllJobs("SparkContext was shut down");
}

void DAGScheduler::Tick() {
  auto interval = std::chrono::duration<double>(options_.speculation.interval_s);
  std::unique_lock<std::mutex> lock(tick_mu_);
  while (!tick_cv_.wait_for(lock, interval, [this] { return !ticking_; }))
    loop_.Post([this] { CheckSpeculation(); });
}

void DAGScheduler::CheckSpeculation() {
  auto now = std::chrono::steady_clock::now();
  for (Stage* stage : std::vector<Stage*>(running_.begin(), running_.end())) {
    std::vector<std::pair<int, double>> running;
    for (const auto& [tid, info] : tasks_)
      if (info.stage == stage->id && info.stage_attempt == stage->attempt)
        running.emplace_back(info.partition, std::chrono::duration<double>(now - info.start).count());
    for (int p : TasksToSpeculate(options_.speculation, stage->submitted, stage->finished_seconds,
                                  running, stage->speculated)) {
      stage->speculated.insert(p);
      LaunchTask(stage, p);
    }
  }
}

std::vector<int64_t> DAGScheduler::OtherAttempts(const Stage* stage, const TaskInfo& info) const {
  // Only a speculated partition runs twice at once; scanning every task
  // after each success would make a stage of n tasks cost O(n^2).
  std::vector<int64_t> others;
  if (!stage->speculated.count(info.partition)) return others;
  for (const auto& [tid, other] : tasks_)
    if (other.stage == info.stage && other.partition == info.partition) others.push_back(tid);
  return others;
}

JobOutput DAGScheduler::RunJob(JobSpec spec) {
  auto job = std::make_shared<Job>();
  job->spec = std::move(spec);
  auto result = job->promise.get_future();
  if (job->spec.partitions.empty()) return {};
  loop_.Post([this, job] { HandleJobSubmitted(job); });
  return result.get();
}

void DAGScheduler::RemoveShuffle(int shuffle_id) {
  loop_.Post([this, shuffle_id] {
    auto it = map_stages_.find(shuffle_id);
    if (it != map_stages_.end()) {
      Stage* stage = it->second;
      if (running_.count(stage) || waiting_.count(stage)) return;
      map_stages_.erase(it);
      stages_.erase(stage->id);
    }
    map_outputs_.RemoveShuffle(shuffle_id);
    backend_->RemoveShuffle(shuffle_id);
  });
}

void DAGScheduler::CancelJobs(const std::function<bool(const JobSpec&)>& match,
                              const std::string& reason) {
  std::promise<void> done;
  loop_.Post([&] {
    std::vector<Job*> active;
    for (auto& [id, job] : jobs_)
      if (match(job->spec)) active.push_back(job.get());
    for (Job* job : active) FinishJob(job, {Cancelled(reason)});
    done.set_value();
  });
  done.get_future().wait();
}

void DAGScheduler::CancelAllJobs(const std::string& reason) {
  CancelJobs([](const JobSpec&) { return true; }, reason);
}

namespace {
std::string Property(const JobSpec& spec, const std::string& key) {
  auto it = spec.properties.find(key);
  return it == spec.properties.end() ? "" : it->second;
}
}  // namespace

void DAGScheduler::CancelJobGroup(const std::string& group) {
  CancelJobs([&](const JobSpec& s) { return Property(s, "spark.jobGroup.id") == group; },
             "part of cancelled job group " + group);
}

void DAGScheduler::CancelJobsWithTag(const std::string& tag) {
  CancelJobs(
      [&](const JobSpec& s) {
        std::string tags = "," + Property(s, "spark.job.tags") + ",";
        return tags.find("," + tag + ",") != std::string::npos;
      },
      "part of cancelled job tag " + tag);
}

std::vector<std::string> DAGScheduler::TakeAccumulatorUpdates() {
  std::lock_guard<std::mutex> lock(accum_mu_);
  return std::move(accum_updates_);
}

void DAGScheduler::HandleJobSubmitted(std::shared_ptr<Job> job) {
  job->id = next_job_++;
  auto node = graph_->Get(job->spec.final_node);
  if (!node) {
    job->promise.set_value({{Internal("job on unknown node")}, {}});
    return;
  }
  for (size_t i = 0; i < job->spec.partitions.size(); ++i) {
    int p = job->spec.partitions[i];
    if (p < 0 || p >= node->num_partitions()) {
      job->promise.set_value({{InvalidArgument(fmt::format(
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
  SubmitStage(s, job->id);
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
    // Already under way; make sure its parents know this job needs them too.
    for (Stage* p : MissingParents(stage)) p->job_ids.insert(job_id);
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

void DAGScheduler::SubmitTasks(Stage* stage) {
  running_.insert(stage);
  std::vector<int> partitions;
  if (stage->is_map) {
    for (int p = 0; p < stage->num_partitions; ++p)
      if (!map_outputs_.Has(stage->shuffle_id, p) && !stage->inflight.count(p)) partitions.push_back(p);
  } else {
    Job* job = jobs_.at(stage->result_job).get();
    for (size_t i = 0; i < job->spec.partitions.size(); ++i)
      if (!job->done[i] && !stage->inflight.count(job->spec.partitions[i]))
        partitions.push_back(job->spec.partitions[i]);
  }
  stage->submitted = static_cast<int>(partitions.size());
  stage->speculated.clear();
  Job* owner = OwningJob(stage);
  if (owner) {
    std::string call_site = Property(owner->spec, "callSite.short");
    tracker_.StageSubmitted(owner->id, stage->id, stage->attempt,
                            call_site.empty() ? (stage->is_map ? "ShuffleMapStage" : "ResultStage")
                                              : call_site,
                            static_cast<int>(partitions.size()));
  }
  for (int p : partitions) LaunchTask(stage, p);
  if (stage->is_map && Available(stage)) {
    running_.erase(stage);
    tracker_.StageEnded(stage->id);
    OnMapOutputsChanged();
  }
}

DAGScheduler::Job* DAGScheduler::OwningJob(const Stage* stage) {
  if (!stage->is_map) return jobs_.at(stage->result_job).get();
  for (int j : stage->job_ids) {  // the oldest job still waiting for it
    auto it = jobs_.find(j);
    if (it != jobs_.end()) return it->second.get();
  }
  return nullptr;
}

void DAGScheduler::LaunchTask(Stage* stage, int partition) {
  proto::TaskDescription task;
  int64_t tid = next_task_++;
  int attempt = stage->launches[partition]++;
  task.set_task_id(tid);
  task.set_stage_id(stage->id);
  task.set_stage_attempt(stage->attempt);
  task.set_partition(partition);
  task.set_attempt(attempt);
  task.set_final_node(stage->node);
  auto lineage = graph_->BuildTaskLineage(stage->node, partition);
  if (!lineage.ok()) {
    AbortStage(stage, {lineage.status()});
    return;
  }
  for (auto& n : *lineage) {
    if (n.has_shuffled()) map_outputs_.FillReads(partition, n.mutable_shuffled());
    *task.add_nodes() = std::move(n);
  }
  // Map tasks carry the properties of a job that needs them (local
  // properties, job group, files and broadcasts to drop), like result tasks.
  if (Job* owner = OwningJob(stage))
    task.mutable_properties()->insert(owner->spec.properties.begin(), owner->spec.properties.end());
  if (stage->is_map) {
    auto* sink = task.mutable_shuffle();
    sink->set_shuffle_id(stage->shuffle_id);
    sink->set_num_buckets(graph_->Shuffle(stage->shuffle_id).num_buckets);
  } else {
    Job* job = jobs_.at(stage->result_job).get();
    if (job->spec.configure_sink) job->spec.configure_sink(&task);
    else task.mutable_result();
  }
  stage->inflight.insert(partition);
  tasks_[tid] = {stage->id, stage->attempt, partition, attempt, std::chrono::steady_clock::now()};
  tracker_.TaskStarted(stage->id);
  backend_->LaunchTask(task, [this](proto::TaskResult r) {
    loop_.Post([this, r = std::move(r)]() mutable { HandleTaskFinished(std::move(r)); });
  });
}

void DAGScheduler::HandleTaskFinished(proto::TaskResult result) {
  auto it = tasks_.find(result.task_id());
  if (it == tasks_.end()) return;
  TaskInfo info = it->second;
  tasks_.erase(it);
  tracker_.TaskEnded(info.stage, result.state() == proto::TaskResult::SUCCESS);
  auto sit = stages_.find(info.stage);
  if (sit == stages_.end()) return;
  Stage* stage = sit->second.get();
  if (info.stage_attempt == stage->attempt) stage->inflight.erase(info.partition);
  switch (result.state()) {
    case proto::TaskResult::SUCCESS: HandleSuccess(info, result); break;
    case proto::TaskResult::FETCH_FAILED: HandleFetchFailure(info, result); break;
    case proto::TaskResult::KILLED: break;  // its job was cancelled or failed
    default: HandleFailure(info, result); break;
  }
}

void DAGScheduler::AddAccumulatorUpdates(proto::TaskResult& result) {
  std::lock_guard<std::mutex> lock(accum_mu_);
  for (auto& u : *result.mutable_accumulator_updates()) accum_updates_.push_back(std::move(u));
}

void DAGScheduler::HandleSuccess(const TaskInfo& info, proto::TaskResult& result) {
  Stage* stage = stages_.at(info.stage).get();
  if (info.stage_attempt < stage->valid_from_attempt) return;  // read rolled-back input
  stage->finished_seconds.push_back(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - info.start).count());
  for (int64_t tid : OtherAttempts(stage, info)) backend_->KillTask(tid);  // the slower twin
  if (stage->is_map) {
    AddAccumulatorUpdates(result);
    if (map_outputs_.Register(stage->shuffle_id, info.partition, result.task_id(), result.map_status()))
      RollBackReaders(stage->shuffle_id);
    if (running_.count(stage) && Available(stage)) {
      running_.erase(stage);
      tracker_.StageEnded(stage->id);
      stage->fetch_failures = 0;
      OnMapOutputsChanged();
    }
    return;
  }
  auto jit = jobs_.find(stage->result_job);
  if (jit == jobs_.end()) return;  // job already failed or was cancelled
  Job* job = jit->second.get();
  size_t i = job->index.at(info.partition);
  if (job->done[i]) return;  // a duplicate attempt; the first result counts
  for (const auto& f : result.frames()) job->result_bytes += static_cast<int64_t>(f.data().size());
  if (options_.max_result_bytes > 0 && job->result_bytes > options_.max_result_bytes) {
    FinishJob(job, {InvalidArgument(fmt::format(
        "Job aborted: total size of serialized results of {} tasks ({} bytes) is bigger than "
        "spark.driver.maxResultSize ({} bytes)",
        job->num_done + 1, job->result_bytes, options_.max_result_bytes))});
    return;
  }
  if (!job->accumulated[i]) AddAccumulatorUpdates(result);  // a rolled-back rerun adds nothing
  job->accumulated[i] = true;
  job->done[i] = true;
  job->output.results[i].assign(std::make_move_iterator(result.mutable_frames()->begin()),
                                std::make_move_iterator(result.mutable_frames()->end()));
  if (++job->num_done == job->done.size()) FinishJob(job, {});
}

void DAGScheduler::OnMapOutputsChanged() {
  std::vector<Stage*> ready;
  for (Stage* w : waiting_)
    if (MissingParents(w).empty()) ready.push_back(w);
  for (Stage* w : ready) {
    waiting_.erase(w);
    SubmitTasks(w);
  }
}

void DAGScheduler::HandleFailure(const TaskInfo& info, const proto::TaskResult& result) {
  Stage* stage = stages_.at(info.stage).get();
  if (info.stage_attempt != stage->attempt || !running_.count(stage)) return;
  int failures = ++stage->failures[info.partition];
  // A speculative twin still running may yet succeed: no retry needed now.
  if (!OtherAttempts(stage, info).empty() && failures < options_.max_task_failures) return;
  if (failures >= options_.max_task_failures) {
    std::string msg = fmt::format(
        "Job aborted due to stage failure: Task {} in stage {}.{} failed {} time{}, most recent "
        "failure: Lost task {}.{} in stage {}.{}: {}",
        info.partition, stage->id, stage->attempt, failures, failures == 1 ? "" : "s",
        info.partition, info.attempt, stage->id, stage->attempt, result.error());
    JobFailure f{TaskFailed(msg), stage->id, info.partition, failures, result.error_code()};
    AbortStage(stage, f);
    return;
  }
  LaunchTask(stage, info.partition);
}

void DAGScheduler::HandleFetchFailure(const TaskInfo& info, const proto::TaskResult& result) {
  Stage* stage = stages_.at(info.stage).get();
  int sid = result.fetch_failed_shuffle(), mid = result.fetch_failed_map();
  if (map_outputs_.Unregister(sid, mid)) {  // compared with its recomputation
    if (auto parent = map_stages_.find(sid); parent != map_stages_.end())
      parent->second->attempt++;  // Spark numbers the resubmission as a new attempt
  }
  if (info.stage_attempt != stage->attempt) return;  // this attempt is already being redone
  if (++stage->fetch_failures >= options_.max_stage_attempts) {
    AbortStage(stage, {FetchFailed(fmt::format(
        "Job aborted: stage {} could not read the output of shuffle {} after {} attempts: {}",
        stage->id, sid, options_.max_stage_attempts, result.error()))});
    return;
  }
  // Start a new attempt of this stage once its parent's lost outputs exist.
  stage->attempt++;
  stage->inflight.clear();
  running_.erase(stage);
  std::set<int> jobs = stage->job_ids;
  for (int j : jobs)
    if (jobs_.count(j)) SubmitStage(stage, j);
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
    s->inflight.clear();
    if (s->is_map) {
      if (map_outputs_.UnregisterAll(s->shuffle_id)) invalidated.push_back(s->shuffle_id);
    } else if (auto j = jobs_.find(s->result_job); j != jobs_.end()) {
      Job* job = j->second.get();
      job->done.assign(job->done.size(), false);
      for (auto& r : job->output.results) r.clear();
      job->num_done = 0;
      job->result_bytes = 0;
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
  if (!failure.status.ok()) {
    // Stop what only this job was waiting for, running tasks included.
    std::set<int> stopped = {final_stage->id};
    for (auto& [id, s] : stages_) {
      if (s->is_map && s->job_ids.size() == 1 && s->job_ids.count(job->id)) {
        waiting_.erase(s.get());
        if (running_.erase(s.get())) s->attempt++;  // late results of this attempt are ignored
        s->inflight.clear();
        stopped.insert(id);
        tracker_.StageEnded(id);
      }
    }
    for (auto& [tid, info] : tasks_)
      if (stopped.count(info.stage)) backend_->KillTask(tid);
    job->output.results.clear();
  }
  tracker_.StageEnded(final_stage->id);
  tracker_.JobEnded(job->id, failure.status.ok());
  for (auto& [id, s] : stages_) s->job_ids.erase(job->id);
  job->output.failure = std::move(failure);
  job->promise.set_value(std::move(job->output));
  stages_.erase(final_stage->id);
  jobs_.erase(job->id);  // last: `job` is owned here
}

}  // namespace ember::scheduler
