#include "ember/deploy/engine.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "ember/common/file_util.h"
#include "ember/deploy/app_dir.h"
#include "ember/deploy/master_url.h"
#include "ember/io/file_list.h"
#include "ember/io/output_committer.h"
#include "ember/io/text_split.h"

namespace ember::deploy {

namespace {
std::string Get(const Conf& conf, const std::string& key, const std::string& def) {
  auto it = conf.find(key);
  return it == conf.end() ? def : it->second;
}

// "512m", "2g", "1024" (bytes) -> bytes; as Spark's byte-size settings.
Result<int64_t> ParseBytes(const std::string& key, const std::string& v) {
  char* end = nullptr;
  double n = std::strtod(v.c_str(), &end);
  std::string unit(end);
  for (auto& c : unit) c = static_cast<char>(std::tolower(c));
  int64_t mult = 1;
  if (unit == "k" || unit == "kb") mult = 1 << 10;
  else if (unit == "m" || unit == "mb") mult = 1 << 20;
  else if (unit == "g" || unit == "gb") mult = 1LL << 30;
  else if (unit == "t" || unit == "tb") mult = 1LL << 40;
  else if (!unit.empty() && unit != "b") mult = -1;
  if (end == v.c_str() || mult < 0 || n < 0)
    return InvalidArgument("invalid size '" + v + "' for setting " + key);
  return static_cast<int64_t>(n * static_cast<double>(mult));
}

// "100ms", "2s", "1min" or a number of milliseconds, as Spark's time settings.
Result<double> ParseSeconds(const Conf& conf, const std::string& key, double def) {
  std::string v = Get(conf, key, "");
  if (v.empty()) return def;
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  std::string unit(end);
  double scale = unit.empty() || unit == "ms" ? 1e-3 : unit == "s" ? 1 : unit == "min" ? 60 : -1;
  if (end == v.c_str() || scale < 0 || x < 0)
    return InvalidArgument("invalid duration '" + v + "' for setting " + key + " (e.g. 100ms, 2s)");
  return x * scale;
}

Result<double> ParsePositive(const Conf& conf, const std::string& key, double def) {
  std::string v = Get(conf, key, "");
  if (v.empty()) return def;
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  if (end == v.c_str() || *end != '\0' || !(x > 0))
    return InvalidArgument("invalid value '" + v + "' for setting " + key + " (a positive number)");
  return x;
}

// A fraction in (0, 1], as spark.memory.fraction.
Result<double> ParseFraction(const Conf& conf, const std::string& key, double def) {
  std::string v = Get(conf, key, "");
  if (v.empty()) return def;
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  if (end == v.c_str() || *end != '\0' || !(x > 0 && x <= 1))
    return InvalidArgument("invalid fraction '" + v + "' for setting " + key +
                           " (a number greater than 0 and at most 1)");
  return x;
}

Result<int> ParseInt(const Conf& conf, const std::string& key, int def) {
  std::string v = Get(conf, key, "");
  if (v.empty()) return def;
  try {
    size_t used = 0;
    int n = std::stoi(v, &used);
    if (used == v.size()) return n;
  } catch (...) {
  }
  return InvalidArgument("invalid integer '" + v + "' for setting " + key);
}
}  // namespace

Result<std::unique_ptr<Engine>> Engine::Start(const Conf& conf) {
  std::unique_ptr<Engine> e(new Engine());
  e->conf_ = conf;
  EMBER_ASSIGN_OR_RETURN(MasterSpec spec, ParseMasterUrl(Get(conf, "spark.master", "local[*]")));
  e->slots_ = spec.slots;
  EMBER_ASSIGN_OR_RETURN(int task_cpus, ParseInt(conf, "spark.task.cpus", 1));
  if (task_cpus < 1 || task_cpus > spec.slots)
    return InvalidArgument("The number of cores per executor (=" + std::to_string(spec.slots) +
                           ") has to be >= the number of cpus per task = " + std::to_string(task_cpus) +
                           " (spark.task.cpus)");
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch()).count();
  e->app_id_ = "local-" + std::to_string(ms);
  std::string local_root = Get(conf, "spark.local.dir", "");
  if (local_root.empty()) local_root = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  SweepStaleAppDirs(local_root);  // left by drivers that were killed
  EMBER_ASSIGN_OR_RETURN(e->app_dir_, CreateAppDir(local_root, e->app_id_));

  exec::ExecutorOptions ex;
  ex.executor_id = "driver";
  ex.slots = spec.slots / task_cpus;  // each task holds spark.task.cpus cores
  ex.task_cpus = task_cpus;
  ex.work_dir = e->app_dir_ + "/executor-driver";
  ex.workers.python = Get(conf, "spark.pyspark.python", "/usr/bin/python3");
  ex.workers.pythonpath = Get(conf, "ember.pythonpath", "");
  ex.workers.secret = RandomHex(32);
  const std::string kEnvPrefix = "spark.executorEnv.";
  for (const auto& [k, v] : conf)
    if (k.rfind(kEnvPrefix, 0) == 0) ex.workers.env.emplace_back(k.substr(kEnvPrefix.size()), v);
  EMBER_ASSIGN_OR_RETURN(int64_t budget, ParseBytes("spark.shuffle.memory",
                                                    Get(conf, "spark.shuffle.memory", "64m")));
  ex.shuffle_memory_budget = static_cast<size_t>(budget);
  // Cached partitions: spark.executor.memory x spark.memory.fraction, as
  // the share of the executor Spark lets storage use.
  EMBER_ASSIGN_OR_RETURN(int64_t executor_memory,
                         ParseBytes("spark.executor.memory", Get(conf, "spark.executor.memory", "1g")));
  EMBER_ASSIGN_OR_RETURN(double fraction, ParseFraction(conf, "spark.memory.fraction", 0.6));
  ex.storage_memory_budget = static_cast<size_t>(static_cast<double>(executor_memory) * fraction);
  // Python workers spill aggregation and sort data to disk above this.
  EMBER_ASSIGN_OR_RETURN(int64_t worker_memory,
                         ParseBytes("spark.python.worker.memory",
                                    Get(conf, "spark.python.worker.memory", "512m")));
  ex.workers.env.emplace_back("EMBER_PYTHON_WORKER_MEMORY", std::to_string(worker_memory));
  // A task allocating more than this raises MemoryError (the worker's
  // address space is capped), instead of exhausting the machine.
  if (std::string cap = Get(conf, "spark.executor.pyspark.memory", ""); !cap.empty()) {
    EMBER_ASSIGN_OR_RETURN(int64_t bytes, ParseBytes("spark.executor.pyspark.memory", cap));
    ex.workers.env.emplace_back("EMBER_PYSPARK_MEMORY", std::to_string(bytes));
  }
  int64_t ex_max_result = 0;
  EMBER_ASSIGN_OR_RETURN(ex_max_result,
                         ParseBytes("spark.driver.maxResultSize",
                                    Get(conf, "spark.driver.maxResultSize", "1g")));
  ex.max_result_bytes = ex_max_result;
  EMBER_ASSIGN_OR_RETURN(ex.faults, exec::FaultInjector::FromConf(conf));
  auto executor = exec::Executor::Start(std::move(ex));
  if (!executor.ok()) {
    RemoveTree(e->app_dir_);
    return executor.status();
  }
  e->backend_ = std::make_unique<LocalBackend>(std::move(executor).value());
  scheduler::SchedulerOptions so;
  auto& tasks = so.tasks;
  tasks.max_task_failures = spec.max_task_failures;
  tasks.max_result_bytes = ex_max_result;
  EMBER_ASSIGN_OR_RETURN(so.max_stage_attempts,
                         ParseInt(conf, "spark.stage.maxConsecutiveAttempts", 4));
  std::string speculation = Get(conf, "spark.speculation", "false");
  if (speculation != "true" && speculation != "false")
    return InvalidArgument("invalid value '" + speculation + "' for setting spark.speculation (true or false)");
  tasks.speculation.enabled = speculation == "true";
  EMBER_ASSIGN_OR_RETURN(tasks.speculation.interval_s, ParseSeconds(conf, "spark.speculation.interval", 0.1));
  EMBER_ASSIGN_OR_RETURN(tasks.speculation.multiplier, ParsePositive(conf, "spark.speculation.multiplier", 1.5));
  EMBER_ASSIGN_OR_RETURN(tasks.speculation.quantile, ParseFraction(conf, "spark.speculation.quantile", 0.75));
  EMBER_ASSIGN_OR_RETURN(tasks.speculation.min_runtime_s,
                         ParseSeconds(conf, "spark.speculation.minTaskRuntime", 0.1));
  so.tick_interval_s = tasks.speculation.interval_s;
  // Delay scheduling, as Spark's: spark.locality.wait, refined per level.
  EMBER_ASSIGN_OR_RETURN(double wait, ParseSeconds(conf, "spark.locality.wait", 3.0));
  EMBER_ASSIGN_OR_RETURN(tasks.locality_wait_process_s,
                         ParseSeconds(conf, "spark.locality.wait.process", wait));
  EMBER_ASSIGN_OR_RETURN(tasks.locality_wait_node_s, ParseSeconds(conf, "spark.locality.wait.node", wait));
  e->scheduler_ = std::make_unique<scheduler::DAGScheduler>(&e->graph_, e->backend_.get(), so);
  return e;
}

Engine::~Engine() { Stop(); }

void Engine::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  if (scheduler_) scheduler_->CancelAllJobs("SparkContext was shut down");
  if (backend_) backend_->Stop();  // joins executor threads; their callbacks still reach the loop
  scheduler_.reset();
  backend_.reset();
  if (!app_dir_.empty()) RemoveTree(app_dir_);
}

void Engine::Persist(int node, bool use_memory, bool use_disk, int replication) {
  proto::StorageLevel level;
  level.set_use_memory(use_memory);
  level.set_use_disk(use_disk);
  level.set_replication(replication);
  graph_.Persist(node, level);
}

void Engine::Unpersist(int node) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) return;
  graph_.Unpersist(node);
  backend_->RemoveRdd(node);
}

void Engine::ReleaseShuffle(int node) {
  std::lock_guard<std::mutex> lock(mu_);  // Stop() cannot reset the scheduler meanwhile
  if (stopped_) return;                    // and removes every file itself
  int shuffle_id = graph_.ShuffleOf(node);
  if (shuffle_id >= 0) scheduler_->RemoveShuffle(shuffle_id);
}

Status Engine::CheckRunning() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) return InvalidArgument("SparkContext has been stopped: create a new one");
  return Status::OK();
}

Result<int> Engine::Add(proto::Node node) {
  EMBER_RETURN_IF_ERROR(CheckRunning());
  return graph_.Add(std::move(node));
}

Result<int> Engine::AddParallel(std::vector<std::string> slices) {
  proto::Node n;
  n.set_num_partitions(static_cast<int>(slices.size()));
  auto* par = n.mutable_parallel();
  for (size_t i = 0; i < slices.size(); ++i) (*par->mutable_slices())[static_cast<int>(i)] = std::move(slices[i]);
  return Add(std::move(n));
}

Result<int> Engine::AddTextFile(const std::string& paths, int min_partitions, bool use_unicode) {
  EMBER_ASSIGN_OR_RETURN(auto files, io::ListInputFiles(paths));
  auto splits = io::ComputeTextSplits(files, min_partitions);
  proto::Node n;
  n.set_num_partitions(static_cast<int>(splits.size()));
  auto* text = n.mutable_text();
  text->set_use_unicode(use_unicode);
  for (size_t i = 0; i < splits.size(); ++i) {
    proto::TextSplit s;
    s.set_path(splits[i].path);
    s.set_start(splits[i].start);
    s.set_length(splits[i].length);
    (*text->mutable_splits())[static_cast<int>(i)] = s;
  }
  return Add(std::move(n));
}

Result<int> Engine::AddWholeFiles(const std::string& paths, int min_partitions, bool as_text) {
  EMBER_ASSIGN_OR_RETURN(auto files, io::ListInputFiles(paths));
  int parts = std::max(1, std::min(min_partitions, static_cast<int>(files.size())));
  proto::Node n;
  n.set_num_partitions(files.empty() ? 0 : parts);
  auto* wf = n.mutable_whole_file();
  wf->set_as_text(as_text);
  // Contiguous runs of files, as even in count as possible.
  for (size_t i = 0; i < files.size(); ++i) {
    int p = static_cast<int>(i * static_cast<size_t>(parts) / files.size());
    (*wf->mutable_files())[p].add_paths(files[i].path);
  }
  return Add(std::move(n));
}

Result<int> Engine::AddPython(int parent, std::string command, std::vector<int64_t> broadcast_ids) {
  EMBER_ASSIGN_OR_RETURN(int parts, NumPartitions(parent));
  proto::Node n;
  n.set_num_partitions(parts);
  n.mutable_python()->set_parent(parent);
  n.mutable_python()->set_command(std::move(command));
  n.mutable_python()->mutable_broadcast_ids()->Add(broadcast_ids.begin(), broadcast_ids.end());
  return Add(std::move(n));
}

Result<int> Engine::AddShuffled(int map_node, int num_partitions) {
  // Zero is allowed: the shuffle of an RDD with no partitions has none.
  if (num_partitions < 0) return InvalidArgument("number of partitions must not be negative, got " +
                                                 std::to_string(num_partitions));
  proto::Node n;
  n.set_num_partitions(num_partitions);
  n.mutable_shuffled()->set_map_node(map_node);
  return Add(std::move(n));
}

Result<int> Engine::AddUnion(const std::vector<int>& parents) {
  proto::Node n;
  int total = 0;
  for (int p : parents) {
    EMBER_ASSIGN_OR_RETURN(int parts, NumPartitions(p));
    n.mutable_union_of()->add_parents(p);
    n.mutable_union_of()->add_parent_partitions(parts);
    total += parts;
  }
  n.set_num_partitions(total);
  return Add(std::move(n));
}

Result<int> Engine::AddCoalesce(int parent, const std::vector<std::vector<int>>& groups) {
  EMBER_ASSIGN_OR_RETURN(int parts, NumPartitions(parent));
  proto::Node n;
  n.set_num_partitions(static_cast<int>(groups.size()));
  auto* c = n.mutable_coalesce();
  c->set_parent(parent);
  for (size_t g = 0; g < groups.size(); ++g) {
    auto& group = (*c->mutable_groups())[static_cast<int>(g)];
    for (int p : groups[g]) {
      if (p < 0 || p >= parts) return Internal("coalesce group names a missing partition");
      group.add_parent_partitions(p);
    }
  }
  return Add(std::move(n));
}

Result<int> Engine::AddPair(int first, int second, bool cartesian) {
  EMBER_ASSIGN_OR_RETURN(int n1, NumPartitions(first));
  EMBER_ASSIGN_OR_RETURN(int n2, NumPartitions(second));
  if (!cartesian && n1 != n2)
    return InvalidArgument("Can only zip RDDs with the same number of partitions (" +
                           std::to_string(n1) + " and " + std::to_string(n2) + ")");
  proto::Node n;
  n.set_num_partitions(cartesian ? n1 * n2 : n1);
  auto* pn = n.mutable_pair();
  pn->set_first(first);
  pn->set_second(second);
  pn->set_cartesian(cartesian);
  pn->set_second_partitions(n2);
  return Add(std::move(n));
}

Result<int> Engine::AddCheckpoint(const std::vector<std::string>& files) {
  proto::Node n;
  n.set_num_partitions(static_cast<int>(files.size()));
  for (size_t p = 0; p < files.size(); ++p) {
    if (!PathExists(files[p])) return NotFound("checkpoint file " + files[p] + " does not exist");
    (*n.mutable_checkpoint()->mutable_files())[static_cast<int>(p)] = files[p];
  }
  return Add(std::move(n));
}

Result<int> Engine::NumPartitions(int node) const {
  auto n = graph_.Get(node);
  if (!n) return Internal("unknown node " + std::to_string(node));
  return n->num_partitions();
}

scheduler::JobOutput Engine::RunJob(int node, std::vector<int> partitions, Conf properties) {
  Status st = CheckRunning();
  if (!st.ok()) return {{st}, {}};
  scheduler::JobSpec spec;
  spec.final_node = node;
  spec.partitions = std::move(partitions);
  spec.properties = std::move(properties);
  return scheduler_->RunJob(std::move(spec));
}

scheduler::JobFailure Engine::SaveAsTextFile(int node, const std::string& path,
                                             const std::string& codec, Conf properties) {
  Status st = CheckRunning();
  if (!st.ok()) return {st};
  auto parts = NumPartitions(node);
  if (!parts.ok()) return {parts.status()};
  auto committer = io::FileOutputCommitter::Setup(path, codec);
  if (!committer.ok()) return {committer.status()};
  scheduler::JobSpec spec;
  spec.final_node = node;
  for (int p = 0; p < *parts; ++p) spec.partitions.push_back(p);
  spec.properties = std::move(properties);
  const io::FileOutputCommitter* c = &*committer;
  spec.configure_sink = [c](proto::TaskDescription* t) { c->ConfigureTask(t); };
  auto out = scheduler_->RunJob(std::move(spec));
  if (out.failure.status.ok()) out.failure.status = committer->CommitJob(*parts);
  if (!out.failure.status.ok()) committer->AbortJob();
  return out.failure;
}

void Engine::CancelJobGroup(const std::string& group) {
  std::lock_guard<std::mutex> lock(mu_);  // Stop() cannot reset the scheduler meanwhile
  if (!stopped_) scheduler_->CancelJobGroup(group);
}

void Engine::CancelJobsWithTag(const std::string& tag) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!stopped_) scheduler_->CancelJobsWithTag(tag);
}

Result<const scheduler::JobTracker*> Engine::Tracker() const {
  EMBER_RETURN_IF_ERROR(CheckRunning());
  return &scheduler_->tracker();
}

void Engine::CancelAllJobs() {
  if (CheckRunning().ok()) scheduler_->CancelAllJobs("Job cancelled because SparkContext.cancelAllJobs was called");
}

std::vector<std::string> Engine::TakeAccumulatorUpdates() {
  if (!scheduler_) return {};
  return scheduler_->TakeAccumulatorUpdates();
}

}  // namespace ember::deploy
