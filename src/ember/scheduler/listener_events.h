// Listener events: what the engine tells its listeners (the event log, the
// live UI) about an application, one struct per event of Spark's
// SparkListener interface that ember has.
//
// Contract: plain data, posted to the ListenerBus (listener_bus.h) by the
// DAG and task schedulers (jobs, stages, tasks, executors, cached blocks)
// and by the engine (application start and end, environment, unpersist).
// Times are wall-clock milliseconds since 1970 (0: not yet). Each struct
// carries what Spark's event of the same name carries; event_json.h writes
// them in Spark's event log format.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "ember.pb.h"

namespace ember::scheduler::listener {

using Properties = std::map<std::string, std::string>;

struct RddInfo {
  int id = 0;
  std::string name;       // the RDD class Spark would show ("PythonRDD", "ShuffledRDD", ...)
  std::string call_site;  // "" when unknown
  std::vector<int> parent_ids;
  proto::StorageLevel storage;  // all false: not persisted
  int num_partitions = 0;
  bool barrier = false;
};

struct StageInfo {
  int stage_id = 0;
  int attempt = 0;
  std::string name;     // the job's short call site ("count at job.py:12")
  std::string details;  // its long call site
  int num_tasks = 0;
  std::vector<RddInfo> rdds;  // the stage's RDD first, then its narrow ancestors
  std::vector<int> parent_ids;
  int64_t submission_time = 0;
  int64_t completion_time = 0;
  std::string failure_reason;  // "" unless the stage failed
};

struct TaskInfo {
  int64_t task_id = 0;
  int index = 0;  // the task's position in its stage attempt's task set
  int attempt = 0;
  int partition = 0;
  int64_t launch_time = 0;
  int64_t finish_time = 0;
  std::string executor_id, host;
  std::string locality = "PROCESS_LOCAL";  // PROCESS_LOCAL, NODE_LOCAL, ANY
  bool speculative = false;
  bool failed = false;
  bool killed = false;
};

struct LogStart {};
struct ApplicationStart {
  std::string app_name, app_id, user;
  int64_t time = 0;
};
struct ApplicationEnd {
  int64_t time = 0;
};
struct EnvironmentUpdate {
  Properties spark;  // the application's conf, secrets redacted
  Properties system;
  Properties hadoop;
};
// Resource profile 0: what each executor has and each task takes.
struct ResourceProfileAdded {
  int executor_cores = 1;
  int64_t executor_memory_mb = 0;
};
struct ExecutorAdded {
  int64_t time = 0;
  std::string executor_id, host;
  int cores = 1;
};
struct ExecutorRemoved {
  int64_t time = 0;
  std::string executor_id, reason;
};
struct BlockManagerAdded {
  int64_t time = 0;
  std::string executor_id, host;
  int port = 0;
  int64_t max_memory = 0;
};
struct JobStart {
  int job_id = 0;
  int64_t time = 0;
  std::vector<StageInfo> stages;  // every stage the job needs, the result stage first
  Properties properties;
};
struct JobEnd {
  int job_id = 0;
  int64_t time = 0;
  bool succeeded = true;
  std::string error;
};
struct StageSubmitted {
  StageInfo stage;
  Properties properties;
};
struct StageCompleted {
  StageInfo stage;
};
struct TaskStart {
  int stage_id = 0;
  int stage_attempt = 0;
  TaskInfo info;
};

// How a task ended, as Spark's TaskEndReason.
enum class TaskEndKind { kSuccess, kException, kFetchFailed, kKilled, kExecutorLost };

struct TaskEnd {
  int stage_id = 0;
  int stage_attempt = 0;
  bool shuffle_map = false;  // ShuffleMapTask, else ResultTask
  TaskEndKind reason = TaskEndKind::kSuccess;
  std::string error;  // the exception, kill reason or loss reason
  int fetch_shuffle = -1, fetch_map = -1;  // kFetchFailed
  TaskInfo info;
  proto::TaskMetrics metrics;
};
struct BlockUpdated {
  std::string executor_id, host;
  int port = 0;
  std::string block_id;  // "rdd_<node>_<partition>"
  proto::StorageLevel storage;
  int64_t memory_size = 0, disk_size = 0;
};
struct UnpersistRdd {
  int rdd_id = 0;
};

}  // namespace ember::scheduler::listener

namespace ember::scheduler {

using ListenerEvent =
    std::variant<listener::LogStart, listener::ApplicationStart, listener::ApplicationEnd,
                 listener::EnvironmentUpdate, listener::ResourceProfileAdded, listener::ExecutorAdded,
                 listener::ExecutorRemoved, listener::BlockManagerAdded, listener::JobStart,
                 listener::JobEnd, listener::StageSubmitted, listener::StageCompleted,
                 listener::TaskStart, listener::TaskEnd, listener::BlockUpdated, listener::UnpersistRdd>;

}  // namespace ember::scheduler
