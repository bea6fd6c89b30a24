#include "ember/exec/executor.h"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>

#include "ember/common/file_util.h"
#include "ember/common/logging.h"
#include "ember/exec/task_metrics.h"
#include "ember/shuffle/shuffle_files.h"

namespace ember::exec {

Result<std::unique_ptr<Executor>> Executor::Start(ExecutorOptions options) {
  std::unique_ptr<Executor> ex(new Executor(std::move(options)));
  const std::string& dir = ex->options_.work_dir;
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return ErrnoError("mkdir", dir, errno);
  ex->options_.workers.work_dir = dir;
  EMBER_ASSIGN_OR_RETURN(ex->pool_, WorkerPool::Start(ex->options_.workers));
  ex->blocks_ = std::make_unique<storage::BlockStore>(dir + "/blocks", ex->options_.storage_memory_budget);
  ex->env_.executor_id = ex->options_.executor_id;
  ex->env_.shuffle_dir = dir;
  ex->env_.pool = ex->pool_.get();
  ex->env_.blocks = ex->blocks_.get();
  ex->env_.shuffle_memory_budget = ex->options_.shuffle_memory_budget;
  ex->env_.max_result_bytes = ex->options_.max_result_bytes;
  ex->env_.max_bytes_in_flight = ex->options_.max_bytes_in_flight;
  ex->env_.faults = &ex->options_.faults;
  if (!ex->options_.credentials.secret.empty()) {
    ex->options_.fetch.credentials = ex->options_.credentials;
    ex->fetcher_ = std::make_unique<BlockFetcher>(ex->options_.fetch);
    ex->env_.fetcher = ex->fetcher_.get();
  }
  for (int i = 0; i < ex->options_.slots; ++i) ex->threads_.emplace_back([e = ex.get()] { e->SlotLoop(); });
  return ex;
}

Executor::~Executor() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (auto& [id, ctx] : running_) ctx->Cancel();
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  for (auto& q : queue_) {
    proto::TaskResult r;
    r.set_task_id(q.task.task_id());
    r.set_state(proto::TaskResult::KILLED);
    r.set_error("executor stopped");
    q.done(std::move(r));
  }
  pool_.reset();
}

void Executor::Launch(proto::TaskDescription task, Done done) {
  if (auto level = task.properties().find(kLogLevelProperty); level != task.properties().end() &&
                                                                level->second != LogLevel())
    (void)SetLogLevel(level->second);
  Logger("Executor")->info("Running task {}.{} in stage {}.{} (TID {})", task.partition(), task.attempt(),
                           task.stage_id(), task.stage_attempt(), task.task_id());
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back({std::move(task), std::move(done)});
  }
  cv_.notify_one();
}

void Executor::KillTask(int64_t task_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = running_.find(task_id);
  if (it != running_.end()) it->second->Cancel();
  for (auto& q : queue_) {
    if (q.task.task_id() == task_id) q.task.mutable_properties()->insert({"ember.killed", "1"});
  }
}

void Executor::RemoveShuffle(int shuffle_id) {
  RemoveFilesWithPrefix(env_.shuffle_dir, shuffle::ShuffleFilePrefix(shuffle_id));
}

void Executor::SlotLoop() {
  for (;;) {
    Queued q;
    TaskContext ctx;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      q = std::move(queue_.front());
      queue_.pop_front();
      running_[q.task.task_id()] = &ctx;
    }
    const auto& t = q.task;
    ctx.task_id = t.task_id();
    ctx.stage_id = t.stage_id();
    ctx.stage_attempt = t.stage_attempt();
    ctx.partition = t.partition();
    ctx.attempt = t.attempt();
    ctx.cpus = options_.task_cpus;
    ctx.barrier = t.barrier();
    ctx.barrier_addresses.assign(t.barrier_addresses().begin(), t.barrier_addresses().end());
    ctx.barrier_sync = barrier_sync_;
    ctx.properties.insert(t.properties().begin(), t.properties().end());
    if (t.properties().count("ember.killed")) ctx.cancelled = true;
    proto::TaskResult result;
    auto prepare_start = std::chrono::steady_clock::now();
    int64_t prepare_cpu_start = ThreadCpuNanos();
    if (ctx.cancelled) {
      result.set_task_id(t.task_id());
      result.set_state(proto::TaskResult::KILLED);
      result.set_error("task cancelled");
    } else if (Status ready = options_.prepare_task ? options_.prepare_task(&q.task) : Status::OK();
               !ready.ok()) {
      result.set_task_id(t.task_id());
      result.set_executor_id(options_.executor_id);
      result.set_state(proto::TaskResult::FAILED);
      result.set_error("cannot fetch the task's inputs from the driver: " + ready.message());
      result.set_error_code(static_cast<int>(ready.code()));
    } else {
      // prepare_task pointed ember.files.dir / ember.broadcast.dir at this
      // executor's copies; ctx.properties (what the Python worker is told)
      // was copied before that and still named the driver's directories.
      for (const auto& [key, value] : t.properties()) ctx.properties[key] = value;
      proto::TaskMetrics prepare;  // fetching the task's files and broadcasts: deserializing it
      prepare.set_executor_deserialize_time_ms(
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - prepare_start)
              .count());
      prepare.set_executor_deserialize_cpu_time_ns(ThreadCpuNanos() - prepare_cpu_start);
      result = RunTask(t, env_, &ctx);
      AddTaskMetrics(prepare, result.mutable_metrics());
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      running_.erase(t.task_id());
    }
    q.done(std::move(result));
  }
}

}  // namespace ember::exec
