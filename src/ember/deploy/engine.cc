#include "ember/deploy/engine.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include <spdlog/spdlog.h>

#include "ember/common/file_util.h"
#include "ember/common/time_util.h"
#include "ember/deploy/app_dir.h"
#include "ember/deploy/app_events.h"
#include "ember/deploy/cluster_backend.h"
#include "ember/deploy/daemon_conf.h"
#include "ember/deploy/executor_conf.h"
#include "ember/deploy/master_url.h"
#include "ember/deploy/tls_settings.h"
#include "ember/io/file_list.h"
#include "ember/io/output_committer.h"
#include "ember/net/bind_policy.h"
#include "ember/rdd/barrier_lineage.h"
#include "ember/rdd/binary_records_node.h"
#include "ember/rdd/checkpoint_node.h"
#include "ember/rdd/coalesce_node.h"
#include "ember/rdd/pair_node.h"
#include "ember/rdd/parallel_node.h"
#include "ember/rdd/python_node.h"
#include "ember/rdd/sequence_file_node.h"
#include "ember/rdd/shuffled_node.h"
#include "ember/rdd/text_node.h"
#include "ember/rdd/union_node.h"
#include "ember/rdd/whole_file_node.h"
#include "ember/scheduler/allocation_file.h"

namespace ember::deploy {


namespace {

// The secret an application's executors prove: the configured one (a
// standalone cluster with spark.authenticate needs it), else a fresh one.
Result<std::string> AppSecret(const Conf& conf) {
  EMBER_ASSIGN_OR_RETURN(std::string secret, ConfiguredSecret(conf));
  return secret.empty() ? RandomHex(32) : secret;
}

// What local-cluster and standalone executors have in common: the driver
// endpoint, its secret and the settings executors get.
Result<ClusterOptions> ClusterOptionsFromConf(const Conf& conf, const std::string& app_dir, int cores,
                                              int memory_mb) {
  ClusterOptions o;
  o.advertise_host = GetString(conf, "spark.driver.host");
  o.bind_host = GetString(conf, "spark.driver.bindAddress");
  EMBER_ASSIGN_OR_RETURN(bool authenticate, GetBool(conf, "spark.authenticate"));
  if (!authenticate && !net::IsLoopbackHost(o.bind_host))
    return InvalidArgument("refusing to listen on " + o.bind_host +
                           " without authentication: set spark.authenticate=true (and "
                           "spark.authenticate.secret) or bind to 127.0.0.1 (spark.driver.bindAddress)");
  o.cores = cores;
  o.memory_mb = memory_mb;
  o.work_root = app_dir;
  EMBER_ASSIGN_OR_RETURN(o.credentials.secret, AppSecret(conf));
  EMBER_ASSIGN_OR_RETURN(o.credentials.tls, TlsFromConf(conf));
  o.conf = conf;
  o.conf.erase("spark.authenticate.secret");  // executors got it on stdin
  EMBER_ASSIGN_OR_RETURN(o.heartbeat_timeout_s, GetSeconds(conf, "spark.network.timeout"));
  EMBER_ASSIGN_OR_RETURN(double heartbeat_s, GetSeconds(conf, "spark.executor.heartbeatInterval"));
  if (heartbeat_s >= o.heartbeat_timeout_s)
    return InvalidArgument("spark.network.timeout (" + std::to_string(o.heartbeat_timeout_s) +
                           " s) must be greater than spark.executor.heartbeatInterval (" +
                           std::to_string(heartbeat_s) + " s)");
  EMBER_ASSIGN_OR_RETURN(o.max_executor_failures, GetInt(conf, "spark.deploy.maxExecutorRetries"));
  // Settings every executor will parse are checked here, so a bad one is an
  // error now, not executors that die as soon as they start.
  EMBER_RETURN_IF_ERROR(
      ExecutorOptionsFromConf(conf, "0", std::max(cores, 1), static_cast<int64_t>(memory_mb) << 20, app_dir)
          .status());
  std::string python = GetString(conf, "spark.pyspark.python");
  if (::access(python.c_str(), X_OK) != 0)
    return InvalidArgument("spark.pyspark.python " + python + " is not an executable program");
  EMBER_ASSIGN_OR_RETURN(int task_cpus, GetInt(conf, "spark.task.cpus"));
  if (task_cpus < 1 || (cores > 0 && task_cpus > cores))
    return InvalidArgument("The number of cores per executor (=" + std::to_string(cores) +
                           ") has to be >= the number of cpus per task = " + std::to_string(task_cpus) +
                           " (spark.task.cpus)");
  return o;
}

Result<std::unique_ptr<ClusterBackend>> StartLocalCluster(const Conf& conf, const MasterSpec& spec,
                                                          const std::string& app_dir) {
  EMBER_ASSIGN_OR_RETURN(ClusterOptions o,
                         ClusterOptionsFromConf(conf, app_dir, spec.executor_cores, spec.executor_memory_mb));
  o.executable = GetString(conf, "ember.executable");
  if (o.executable.empty() || ::access(o.executable.c_str(), X_OK) != 0)
    return InvalidArgument("local-cluster needs the ember program to start executors; ember.executable is '" +
                           o.executable + "' (set EMBER_EXECUTABLE)");
  o.executors = spec.executors;
  return ClusterBackend::Start(std::move(o));
}

// ember://host:port: the master's workers start the executors.
Result<std::unique_ptr<ClusterBackend>> StartStandalone(const Conf& conf, const MasterSpec& spec,
                                                        const std::string& app_dir) {
  EMBER_ASSIGN_OR_RETURN(int executor_cores, GetInt(conf, "spark.executor.cores"));
  EMBER_ASSIGN_OR_RETURN(int64_t memory, GetBytes(conf, "spark.executor.memory"));
  EMBER_ASSIGN_OR_RETURN(int cores_max, GetInt(conf, "spark.cores.max"));
  if (executor_cores < 0 || cores_max < 0 || memory < (1 << 20))
    return InvalidArgument("spark.executor.cores, spark.cores.max and spark.executor.memory must be positive");
  int memory_mb = static_cast<int>(memory >> 20);
  EMBER_ASSIGN_OR_RETURN(ClusterOptions o, ClusterOptionsFromConf(conf, app_dir, executor_cores, memory_mb));
  StandaloneOptions so;
  so.master_host = spec.master_host;
  so.master_port = static_cast<uint16_t>(spec.master_port);
  EMBER_ASSIGN_OR_RETURN(bool authenticate, GetBool(conf, "spark.authenticate"));
  so.master_credentials = {authenticate ? o.credentials.secret : kUnauthenticatedSecret, o.credentials.tls};
  so.app.set_name(GetString(conf, "spark.app.name"));
  const char* user = std::getenv("USER");
  so.app.set_user(user ? user : "");
  so.app.set_cores_max(cores_max);
  so.app.set_executor_cores(executor_cores);
  so.app.set_executor_memory_mb(memory_mb);
  if (!authenticate) so.app.set_secret(o.credentials.secret);  // loopback only: the master hands it to the workers
  if (!GetString(conf, "spark.scheduler.minRegisteredResourcesRatio").empty()) {
    EMBER_ASSIGN_OR_RETURN(so.min_registered_ratio,
                           GetDouble(conf, "spark.scheduler.minRegisteredResourcesRatio"));
  }
  EMBER_ASSIGN_OR_RETURN(so.max_registered_wait_s,
                         GetSeconds(conf, "spark.scheduler.maxRegisteredResourcesWaitingTime"));
  o.standalone = std::move(so);
  o.replace_lost = false;  // the master replaces them
  return ClusterBackend::Start(std::move(o));
}

Result<std::unique_ptr<scheduler::SchedulerBackend>> StartBackend(const Conf& conf, const MasterSpec& spec,
                                                                   const std::string& app_dir,
                                                                   std::string* address, std::string* app_id,
                                                                   int* slots) {
  if (spec.local_cluster || spec.standalone) {
    auto started = spec.standalone ? StartStandalone(conf, spec, app_dir) : StartLocalCluster(conf, spec, app_dir);
    EMBER_RETURN_IF_ERROR(started.status());
    auto backend = std::move(started).value();
    *address = GetString(conf, "spark.driver.host") + ":" + std::to_string(backend->port());
    if (spec.standalone) {
      *app_id = backend->app_id();
      // Spark's rule: the cores of the executors there are, at least 2.
      EMBER_ASSIGN_OR_RETURN(int cores_max, GetInt(conf, "spark.cores.max"));
      *slots = std::max(2, backend->registered_cores() > 0 ? backend->registered_cores() : cores_max);
    }
    return std::unique_ptr<scheduler::SchedulerBackend>(std::move(backend));
  }
  EMBER_ASSIGN_OR_RETURN(int64_t memory, GetBytes(conf, "spark.executor.memory"));
  EMBER_ASSIGN_OR_RETURN(exec::ExecutorOptions ex,
                         ExecutorOptionsFromConf(conf, "driver", spec.slots, memory,
                                                 app_dir + "/executor-driver"));
  EMBER_ASSIGN_OR_RETURN(auto executor, exec::Executor::Start(std::move(ex)));
  return std::unique_ptr<scheduler::SchedulerBackend>(new LocalBackend(std::move(executor)));
}

// spark.scheduler.mode, and with FAIR the pools of the allocation file:
// spark.scheduler.allocation.file (on any file system; the Hadoop settings
// must be applied), else fairscheduler.xml of the configuration directory
// when there is one (Spark's is on its class path).
Result<scheduler::Pools> PoolsFromConf(const Conf& conf) {
  EMBER_ASSIGN_OR_RETURN(auto mode, scheduler::ParseSchedulingMode(GetString(conf, "spark.scheduler.mode"),
                                                                   "spark.scheduler.mode"));
  if (mode != scheduler::SchedulingMode::kFair) return scheduler::Pools(mode);
  std::string file = GetString(conf, "spark.scheduler.allocation.file");
  if (file.empty()) file = ConfDirFile("fairscheduler.xml");
  std::map<std::string, scheduler::PoolConfig> pools;
  if (!file.empty()) {
    EMBER_ASSIGN_OR_RETURN(pools, scheduler::LoadAllocationFile(file));
  }
  return scheduler::Pools(mode, std::move(pools));
}

}  // namespace

Result<std::unique_ptr<Engine>> Engine::Start(const Conf& conf) {
  std::unique_ptr<Engine> e(new Engine());
  e->conf_ = conf;
  EMBER_RETURN_IF_ERROR(ValidateConf(conf));
  ApplyHadoopConf(conf);
  EMBER_ASSIGN_OR_RETURN(e->pools_, PoolsFromConf(conf));  // before anything starts
  EMBER_ASSIGN_OR_RETURN(MasterSpec spec, ParseMasterUrl(GetString(conf, "spark.master")));
  e->slots_ = spec.slots;
  e->app_id_ = "local-" + std::to_string(EpochMillis());
  std::string local_root = GetString(conf, "spark.local.dir");
  if (local_root.empty()) local_root = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  SweepStaleAppDirs(local_root);  // left by drivers that were killed
  EMBER_ASSIGN_OR_RETURN(e->app_dir_, CreateAppDir(local_root, e->app_id_));

  auto backend = StartBackend(conf, spec, e->app_dir_, &e->driver_address_, &e->app_id_, &e->slots_);
  if (!backend.ok()) {
    RemoveTree(e->app_dir_);
    return backend.status();
  }
  e->backend_ = std::move(backend).value();
  EMBER_RETURN_IF_ERROR(e->StartListeners(spec));
  scheduler::SchedulerOptions so;
  so.listener_bus = e->bus_.get();
  so.pools = e->pools_;
  auto& tasks = so.tasks;
  tasks.max_task_failures = spec.max_task_failures;
  bool cluster = spec.local_cluster || spec.standalone;
  if (cluster) {  // local modes keep local[N,F]'s rule
    EMBER_ASSIGN_OR_RETURN(tasks.max_task_failures, GetInt(conf, "spark.task.maxFailures"));
  }
  so.fetch_failure_loses_executor_outputs = cluster;
  EMBER_ASSIGN_OR_RETURN(tasks.max_result_bytes, GetBytes(conf, "spark.driver.maxResultSize"));
  EMBER_ASSIGN_OR_RETURN(so.max_stage_attempts,
                         GetInt(conf, "spark.stage.maxConsecutiveAttempts"));
  EMBER_ASSIGN_OR_RETURN(tasks.speculation.enabled, GetBool(conf, "spark.speculation"));
  EMBER_ASSIGN_OR_RETURN(tasks.speculation.interval_s, GetSeconds(conf, "spark.speculation.interval"));
  EMBER_ASSIGN_OR_RETURN(tasks.speculation.multiplier, GetDouble(conf, "spark.speculation.multiplier"));
  EMBER_ASSIGN_OR_RETURN(tasks.speculation.quantile, GetDouble(conf, "spark.speculation.quantile"));
  EMBER_ASSIGN_OR_RETURN(tasks.speculation.min_runtime_s,
                         GetSeconds(conf, "spark.speculation.minTaskRuntime"));
  so.tick_interval_s = tasks.speculation.interval_s;
  // Delay scheduling, as Spark's: spark.locality.wait, refined per level.
  EMBER_ASSIGN_OR_RETURN(tasks.locality_wait_process_s,
                         GetSeconds(conf, "spark.locality.wait.process"));
  EMBER_ASSIGN_OR_RETURN(tasks.locality_wait_node_s, GetSeconds(conf, "spark.locality.wait.node"));
  EMBER_ASSIGN_OR_RETURN(tasks.barrier_sync_timeout_s,
                         GetSeconds(conf, "spark.barrier.sync.timeout"));
  EMBER_ASSIGN_OR_RETURN(so.barrier_slots_check_interval_s,
                         GetSeconds(conf, "spark.scheduler.barrier.maxConcurrentTasksCheck.interval"));
  EMBER_ASSIGN_OR_RETURN(so.barrier_slots_check_max_failures,
                         GetInt(conf, "spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures"));
  so.barrier_slots_fixed = !cluster;  // local[N]: no executor will ever join
  EMBER_ASSIGN_OR_RETURN(int retained_jobs, GetInt(conf, "spark.ui.retainedJobs"));
  EMBER_ASSIGN_OR_RETURN(int retained_stages, GetInt(conf, "spark.ui.retainedStages"));
  if (retained_jobs < 0 || retained_stages < 0)
    return InvalidArgument("spark.ui.retainedJobs and spark.ui.retainedStages must not be negative");
  so.retained_jobs = retained_jobs;
  so.retained_stages = retained_stages;
  e->scheduler_ = std::make_unique<scheduler::DAGScheduler>(&e->graph_, e->backend_.get(), so);
  return e;
}

Status Engine::StartListeners(const MasterSpec& spec) {
  int64_t start_ms = EpochMillis();
  EMBER_ASSIGN_OR_RETURN(int capacity, GetInt(conf_, "spark.scheduler.listenerbus.eventqueue.capacity"));
  if (capacity <= 0)
    return InvalidArgument("spark.scheduler.listenerbus.eventqueue.capacity must be positive, not " +
                           std::to_string(capacity));
  EMBER_ASSIGN_OR_RETURN(bool live, GetBool(conf_, "ember.listenerEvents.enabled"));
  int cores = spec.local_cluster ? spec.executor_cores : slots_;
  EMBER_ASSIGN_OR_RETURN(auto events, ApplicationStartEvents(conf_, app_id_, start_ms, cores));
  EMBER_ASSIGN_OR_RETURN(event_log_, EventLog::Open(conf_, app_id_));
  live_events_ = std::make_unique<LiveEvents>(capacity, live);
  bus_ = std::make_unique<scheduler::ListenerBus>(capacity);
  bus_->AddListener([this](const scheduler::ListenerEvent& event, const std::string& json) {
    if (event_log_) event_log_->Write(event, json);
    live_events_->Push(json);
  });
  for (auto& event : events) bus_->Post(std::move(event));
  if (spec.local_cluster || spec.standalone)  // the driver's block manager, as Spark lists it
    bus_->Post(scheduler::listener::BlockManagerAdded{start_ms, "driver",
                                                       GetString(conf_, "spark.driver.host"), 0, 0});
  return Status::OK();
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
  scheduler_.reset();  // its last events are posted
  backend_.reset();
  if (bus_) {
    bus_->Post(scheduler::listener::ApplicationEnd{EpochMillis()});
    bus_->Stop();
  }
  if (event_log_) {
    Status st = event_log_->Close();
    if (!st.ok()) spdlog::error("event log {}: {}", event_log_->path(), st.ToString());
  }
  live_events_->Close();
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
  scheduler_->ForgetCachedBlocks(node);
  bus_->Post(scheduler::listener::UnpersistRdd{node});
}

void Engine::ReleaseNode(int node) {
  std::lock_guard<std::mutex> lock(mu_);  // Stop() cannot reset the scheduler meanwhile
  if (stopped_) return;                    // and removes every file itself
  for (int shuffle_id : graph_.Drop(node).shuffles) scheduler_->RemoveShuffle(shuffle_id);
}

void Engine::RemoveBroadcast(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!stopped_) backend_->RemoveBroadcast(id);
}

Result<std::map<std::string, size_t>> Engine::LiveCounts() {
  EMBER_RETURN_IF_ERROR(CheckRunning());
  scheduler::event::SchedulerCounts s = scheduler_->Counts();
  const scheduler::JobTracker& tracker = scheduler_->tracker();
  return std::map<std::string, size_t>{
      {"graph_nodes", graph_.NumNodes()},       {"graph_shuffles", graph_.NumShuffles()},
      {"dag_stages", s.stages},                 {"dag_map_stages", s.map_stages},
      {"dag_jobs", s.jobs},                     {"dag_cached_partitions", s.cached_partitions},
      {"map_output_shuffles", s.shuffles},      {"tracked_jobs", tracker.NumJobs()},
      {"tracked_stages", tracker.NumStages()}};
}

Status Engine::CheckRunning() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) return InvalidArgument("SparkContext has been stopped: create a new one");
  return Status::OK();
}

// Errors building the node come first: they name the input at fault.
Result<int> Engine::Add(Result<proto::Node> node) {
  EMBER_RETURN_IF_ERROR(node.status());
  EMBER_RETURN_IF_ERROR(CheckRunning());
  return graph_.Add(std::move(node).value());
}

Result<int> Engine::AddParallel(std::vector<std::string> slices) {
  return Add(rdd::MakeParallelNode(std::move(slices)));
}

Result<int> Engine::AddTextFile(const std::string& paths, int min_partitions, bool use_unicode,
                                bool with_offsets) {
  return Add(rdd::MakeTextNode(paths, min_partitions, use_unicode, with_offsets));
}

Result<int> Engine::AddWholeFiles(const std::string& paths, int min_partitions, bool as_text) {
  return Add(rdd::MakeWholeFileNode(paths, min_partitions, as_text));
}

Result<std::vector<std::string>> Engine::ListInputFiles(const std::string& spec) const {
  EMBER_ASSIGN_OR_RETURN(auto files, io::ListInputFiles(spec));
  std::vector<std::string> paths;
  for (auto& f : files) paths.push_back(std::move(f.path));
  return paths;
}

Result<int> Engine::AddBinaryRecords(const std::string& paths, int record_length, int min_partitions) {
  return Add(rdd::MakeBinaryRecordsNode(paths, record_length, min_partitions));
}

Result<int> Engine::AddSequenceFile(const std::string& paths, int min_partitions, const std::string& key_class,
                                    const std::string& value_class) {
  return Add(rdd::MakeSequenceFileNode(paths, min_partitions, key_class, value_class));
}

Result<int> Engine::AddPython(int parent, std::string command, std::vector<int64_t> broadcast_ids,
                              bool barrier) {
  return Add(rdd::MakePythonNode(graph_, parent, std::move(command), std::move(broadcast_ids), barrier));
}

bool Engine::IsBarrier(int node) const {
  auto parts = graph_.NumPartitions(node);
  if (!parts.ok()) return false;
  auto barrier = rdd::BarrierStage(graph_, node, *parts);
  return !barrier.ok() || *barrier;  // a forbidden shape is still a barrier RDD
}

Result<int> Engine::AddShuffled(int map_node, int num_partitions) {
  return Add(rdd::MakeShuffledNode(map_node, num_partitions));
}

Result<int> Engine::AddUnion(const std::vector<int>& parents) { return Add(rdd::MakeUnionNode(graph_, parents)); }

Result<int> Engine::AddCoalesce(int parent, const std::vector<std::vector<int>>& groups) {
  return Add(rdd::MakeCoalesceNode(graph_, parent, groups));
}

Result<int> Engine::AddPair(int first, int second, bool cartesian) {
  return Add(rdd::MakePairNode(graph_, first, second, cartesian));
}

Result<int> Engine::AddCheckpoint(const std::vector<std::string>& files) {
  return Add(rdd::MakeCheckpointNode(files));
}

Result<int> Engine::NumPartitions(int node) const { return graph_.NumPartitions(node); }

scheduler::JobOutput Engine::RunJob(int node, std::vector<int> partitions, Conf properties) {
  Status st = CheckRunning();
  if (!st.ok()) return {{st}, {}};
  scheduler::JobSpec spec;
  spec.final_node = node;
  spec.partitions = std::move(partitions);
  spec.properties = std::move(properties);
  return RunHeldJob(std::move(spec));
}

scheduler::JobOutput Engine::RunHeldJob(scheduler::JobSpec spec) {
  const int node = spec.final_node;
  graph_.Hold(node);  // the caller may drop its RDD while the job runs
  auto out = scheduler_->RunJob(std::move(spec));
  ReleaseNode(node);
  return out;
}

scheduler::JobFailure Engine::SaveAsTextFile(int node, const std::string& path,
                                             const std::string& codec, Conf properties) {
  proto::FileOutputSink sink;
  sink.set_codec(codec);
  return SaveFiles(node, io::FileOutputCommitter::Setup(path, std::move(sink)), std::move(properties));
}

scheduler::JobFailure Engine::SaveAsSequenceFile(int node, const std::string& path,
                                                 const proto::SequenceFileFormat& format, Conf properties) {
  proto::FileOutputSink sink;
  *sink.mutable_sequence() = format;
  return SaveFiles(node, io::FileOutputCommitter::Setup(path, std::move(sink)), std::move(properties));
}

scheduler::JobFailure Engine::SaveAsFrameFiles(int node, const std::string& path, Conf properties) {
  proto::FileOutputSink sink;
  sink.set_frame_file(true);
  return SaveFiles(node, io::FileOutputCommitter::Setup(path, std::move(sink)), std::move(properties));
}

scheduler::JobFailure Engine::SaveFiles(int node, Result<io::FileOutputCommitter> committer, Conf properties) {
  Status st = CheckRunning();
  if (!st.ok()) return {st};
  auto parts = NumPartitions(node);
  if (!parts.ok()) return {parts.status()};
  if (!committer.ok()) return {committer.status()};
  scheduler::JobSpec spec;
  spec.final_node = node;
  for (int p = 0; p < *parts; ++p) spec.partitions.push_back(p);
  spec.properties = std::move(properties);
  const io::FileOutputCommitter* c = &*committer;
  spec.configure_sink = [c](proto::TaskDescription* t) { c->ConfigureTask(t); };
  auto out = RunHeldJob(std::move(spec));
  if (out.failure.status.ok()) {
    std::vector<std::string> winners;  // each partition's reported file (io/output_committer.h)
    for (const auto& frames : out.results) winners.push_back(frames.empty() ? "" : frames[0].data());
    out.failure.status = committer->CommitJob(winners);
  }
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
