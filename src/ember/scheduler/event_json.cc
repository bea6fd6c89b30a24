#include "ember/scheduler/event_json.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace ember::scheduler {

namespace {

using Json = nlohmann::ordered_json;
using namespace listener;

template <typename E, typename... Ts>
inline constexpr bool IsOneOf = (std::is_same_v<E, Ts> || ...);

Json StorageLevelJson(const proto::StorageLevel& s) {
  return {{"Use Disk", s.use_disk()},
          {"Use Memory", s.use_memory()},
          {"Use Off Heap", false},
          {"Deserialized", false},  // Python records are stored pickled
          {"Replication", std::max(1, s.replication())}};
}

Json RddInfoJson(const RddInfo& r) {
  return {{"RDD ID", r.id},
          {"Name", r.name},
          {"Callsite", r.call_site},
          {"Parent IDs", r.parent_ids},
          {"Storage Level", StorageLevelJson(r.storage)},
          {"Barrier", r.barrier},
          {"DeterministicLevel", "DETERMINATE"},
          {"Number of Partitions", r.num_partitions},
          {"Number of Cached Partitions", 0},
          {"Memory Size", 0},
          {"Disk Size", 0}};
}

Json StageInfoJson(const StageInfo& s) {
  Json rdds = Json::array();
  for (const auto& r : s.rdds) rdds.push_back(RddInfoJson(r));
  Json j = {{"Stage ID", s.stage_id},      {"Stage Attempt ID", s.attempt},
            {"Stage Name", s.name},        {"Number of Tasks", s.num_tasks},
            {"RDD Info", std::move(rdds)}, {"Parent IDs", s.parent_ids},
            {"Details", s.details}};
  if (s.submission_time) j["Submission Time"] = s.submission_time;
  if (s.completion_time) j["Completion Time"] = s.completion_time;
  if (!s.failure_reason.empty()) j["Failure Reason"] = s.failure_reason;
  j["Accumulables"] = Json::array();
  j["Resource Profile Id"] = 0;
  j["Shuffle Push Enabled"] = false;
  j["Shuffle Push Mergers Count"] = 0;
  return j;
}

Json TaskInfoJson(const TaskInfo& t) {
  return {{"Task ID", t.task_id},         {"Index", t.index},
          {"Attempt", t.attempt},         {"Partition ID", t.partition},
          {"Launch Time", t.launch_time}, {"Executor ID", t.executor_id},
          {"Host", t.host},               {"Locality", t.locality},
          {"Speculative", t.speculative}, {"Getting Result Time", 0},
          {"Finish Time", t.finish_time}, {"Failed", t.failed},
          {"Killed", t.killed},           {"Accumulables", Json::array()}};
}

Json TaskMetricsJson(const proto::TaskMetrics& m) {
  Json push = {{"Corrupt Merged Block Chunks", 0},   {"Merged Fetch Fallback Count", 0},
               {"Merged Remote Blocks Fetched", 0},  {"Merged Local Blocks Fetched", 0},
               {"Merged Remote Chunks Fetched", 0},  {"Merged Local Chunks Fetched", 0},
               {"Merged Remote Bytes Read", 0},      {"Merged Local Bytes Read", 0},
               {"Merged Remote Requests Duration", 0}};
  Json read = {{"Remote Blocks Fetched", m.shuffle_remote_blocks_fetched()},
               {"Local Blocks Fetched", m.shuffle_local_blocks_fetched()},
               {"Fetch Wait Time", m.shuffle_fetch_wait_time_ms()},
               {"Remote Bytes Read", m.shuffle_remote_bytes_read()},
               {"Remote Bytes Read To Disk", m.shuffle_remote_bytes_read_to_disk()},
               {"Local Bytes Read", m.shuffle_local_bytes_read()},
               {"Total Records Read", m.shuffle_records_read()},
               {"Remote Requests Duration", 0},
               {"Push Based Shuffle", std::move(push)}};
  Json write = {{"Shuffle Bytes Written", m.shuffle_bytes_written()},
                {"Shuffle Write Time", m.shuffle_write_time_ns()},
                {"Shuffle Records Written", m.shuffle_records_written()}};
  return {{"Executor Deserialize Time", m.executor_deserialize_time_ms()},
          {"Executor Deserialize CPU Time", m.executor_deserialize_cpu_time_ns()},
          {"Executor Run Time", m.executor_run_time_ms()},
          {"Executor CPU Time", m.executor_cpu_time_ns()},
          {"Peak Execution Memory", m.peak_execution_memory()},
          {"Peak On Heap Execution Memory", m.peak_execution_memory()},
          {"Peak Off Heap Execution Memory", 0},
          {"Result Size", m.result_size()},
          {"JVM GC Time", 0},
          {"Result Serialization Time", m.result_serialization_time_ms()},
          {"Memory Bytes Spilled", m.memory_bytes_spilled()},
          {"Disk Bytes Spilled", m.disk_bytes_spilled()},
          {"Shuffle Read Metrics", std::move(read)},
          {"Shuffle Write Metrics", std::move(write)},
          {"Input Metrics", {{"Bytes Read", m.input_bytes_read()}, {"Records Read", m.input_records_read()}}},
          {"Output Metrics",
           {{"Bytes Written", m.output_bytes_written()}, {"Records Written", m.output_records_written()}}},
          {"Updated Blocks", Json::array()}};
}

// The exception class Spark would name for a task's error.
std::string ExceptionClass(const std::string& error) {
  return error.find("Traceback (most recent call last)") != std::string::npos
             ? "org.apache.spark.api.python.PythonException"
             : "org.apache.spark.SparkException";
}

Json EndReasonJson(const TaskEnd& e) {
  switch (e.reason) {
    case TaskEndKind::kSuccess:
      return {{"Reason", "Success"}};
    case TaskEndKind::kException:
      return {{"Reason", "ExceptionFailure"},
              {"Class Name", ExceptionClass(e.error)},
              {"Description", e.error},
              {"Stack Trace", Json::array()},
              {"Full Stack Trace", e.error},
              {"Accumulator Updates", Json::array()}};
    case TaskEndKind::kFetchFailed:
      return {{"Reason", "FetchFailed"},   {"Block Manager Address", nullptr},
              {"Shuffle ID", e.fetch_shuffle}, {"Map ID", e.fetch_map},
              {"Map Index", e.fetch_map},  {"Reduce ID", e.info.partition},
              {"Message", e.error}};
    case TaskEndKind::kKilled:
      return {{"Reason", "TaskKilled"}, {"Kill Reason", e.error}, {"Accumulator Updates", Json::array()}};
    case TaskEndKind::kExecutorLost:
      return {{"Reason", "ExecutorLostFailure"},
              {"Executor ID", e.info.executor_id},
              {"Exit Caused By App", true},
              {"Loss Reason", e.error}};
  }
  return {};
}

// Spark's reader refuses a port below 1: an executor without a block
// transfer service (local mode's) is written with port 1.
Json BlockManagerId(const std::string& executor_id, const std::string& host, int port) {
  return {{"Executor ID", executor_id}, {"Host", host}, {"Port", std::max(port, 1)}};
}

Json Properties(const listener::Properties& p) {
  Json j = Json::object();
  for (const auto& [k, v] : p) j[k] = v;
  return j;
}

Json Event(const char* name) { return {{"Event", name}}; }

Json ResourceRequest(const char* name, int64_t amount) {
  return {{"Resource Name", name}, {"Amount", amount}, {"Discovery Script", ""}, {"Vendor", ""}};
}

Json ApplicationJson(const ListenerEvent& event) {
  if (std::holds_alternative<LogStart>(event)) {
    Json j = Event("SparkListenerLogStart");
    j["Spark Version"] = kEventLogSparkVersion;
    return j;
  }
  if (auto* e = std::get_if<ApplicationStart>(&event)) {
    Json j = Event("SparkListenerApplicationStart");
    j.update({{"App Name", e->app_name}, {"App ID", e->app_id}, {"Timestamp", e->time}, {"User", e->user}});
    return j;
  }
  if (auto* e = std::get_if<ApplicationEnd>(&event)) {
    Json j = Event("SparkListenerApplicationEnd");
    j.update({{"Timestamp", e->time}, {"ExitCode", 0}});
    return j;
  }
  if (auto* e = std::get_if<EnvironmentUpdate>(&event)) {
    Json j = Event("SparkListenerEnvironmentUpdate");
    j["JVM Information"] = {{"Java Home", ""}, {"Java Version", ""}, {"Scala Version", ""}};
    j.update({{"Spark Properties", Properties(e->spark)}, {"Hadoop Properties", Properties(e->hadoop)},
              {"System Properties", Properties(e->system)}, {"Metrics Properties", Json::object()},
              {"Classpath Entries", Json::object()}});
    return j;
  }
  const auto& r = std::get<ResourceProfileAdded>(event);
  Json j = Event("SparkListenerResourceProfileAdded");
  j["Resource Profile Id"] = 0;
  j["Executor Resource Requests"] = {{"cores", ResourceRequest("cores", r.executor_cores)},
                                     {"memory", ResourceRequest("memory", r.executor_memory_mb)},
                                     {"offHeap", ResourceRequest("offHeap", 0)}};
  j["Task Resource Requests"] = {{"cpus", {{"Resource Name", "cpus"}, {"Amount", 1.0}}}};
  return j;
}

Json ExecutorJson(const ListenerEvent& event) {
  if (auto* e = std::get_if<ExecutorAdded>(&event)) {
    Json j = Event("SparkListenerExecutorAdded");
    j.update({{"Timestamp", e->time}, {"Executor ID", e->executor_id}});
    j["Executor Info"] = {{"Host", e->host},           {"Total Cores", e->cores},
                          {"Log Urls", Json::object()}, {"Attributes", Json::object()},
                          {"Resources", Json::object()}, {"Resource Profile Id", 0}};
    return j;
  }
  if (auto* e = std::get_if<ExecutorRemoved>(&event)) {
    Json j = Event("SparkListenerExecutorRemoved");
    j.update({{"Timestamp", e->time}, {"Executor ID", e->executor_id}, {"Removed Reason", e->reason}});
    return j;
  }
  if (auto* e = std::get_if<BlockManagerAdded>(&event)) {
    Json j = Event("SparkListenerBlockManagerAdded");
    j.update({{"Block Manager ID", BlockManagerId(e->executor_id, e->host, e->port)},
              {"Maximum Memory", e->max_memory},
              {"Timestamp", e->time},
              {"Maximum Onheap Memory", e->max_memory},
              {"Maximum Offheap Memory", 0}});
    return j;
  }
  if (auto* e = std::get_if<BlockUpdated>(&event)) {
    Json j = Event("SparkListenerBlockUpdated");
    j["Block Updated Info"] = {{"Block Manager ID", BlockManagerId(e->executor_id, e->host, e->port)},
                               {"Block ID", e->block_id},
                               {"Storage Level", StorageLevelJson(e->storage)},
                               {"Memory Size", e->memory_size},
                               {"Disk Size", e->disk_size}};
    return j;
  }
  Json j = Event("SparkListenerUnpersistRDD");
  j["RDD ID"] = std::get<UnpersistRdd>(event).rdd_id;
  return j;
}

Json JobJson(const ListenerEvent& event) {
  if (auto* e = std::get_if<JobStart>(&event)) {
    Json j = Event("SparkListenerJobStart");
    Json stages = Json::array(), ids = Json::array();
    for (const auto& s : e->stages) {
      stages.push_back(StageInfoJson(s));
      ids.push_back(s.stage_id);
    }
    j.update({{"Job ID", e->job_id}, {"Submission Time", e->time}, {"Stage Infos", std::move(stages)},
              {"Stage IDs", std::move(ids)}, {"Properties", Properties(e->properties)}});
    return j;
  }
  if (auto* e = std::get_if<JobEnd>(&event)) {
    Json j = Event("SparkListenerJobEnd");
    Json result = {{"Result", e->succeeded ? "JobSucceeded" : "JobFailed"}};
    if (!e->succeeded) result["Exception"] = {{"Message", e->error}, {"Stack Trace", Json::array()}};
    j.update({{"Job ID", e->job_id}, {"Completion Time", e->time}, {"Job Result", std::move(result)}});
    return j;
  }
  if (auto* e = std::get_if<StageSubmitted>(&event)) {
    Json j = Event("SparkListenerStageSubmitted");
    j.update({{"Stage Info", StageInfoJson(e->stage)}, {"Properties", Properties(e->properties)}});
    return j;
  }
  Json j = Event("SparkListenerStageCompleted");
  j["Stage Info"] = StageInfoJson(std::get<StageCompleted>(event).stage);
  return j;
}

Json TaskJson(const ListenerEvent& event) {
  if (auto* e = std::get_if<TaskStart>(&event)) {
    Json j = Event("SparkListenerTaskStart");
    j.update({{"Stage ID", e->stage_id}, {"Stage Attempt ID", e->stage_attempt},
              {"Task Info", TaskInfoJson(e->info)}});
    return j;
  }
  const auto& e = std::get<TaskEnd>(event);
  Json j = Event("SparkListenerTaskEnd");
  j.update({{"Stage ID", e.stage_id},
            {"Stage Attempt ID", e.stage_attempt},
            {"Task Type", e.shuffle_map ? "ShuffleMapTask" : "ResultTask"},
            {"Task End Reason", EndReasonJson(e)},
            {"Task Info", TaskInfoJson(e.info)},
            {"Task Metrics", TaskMetricsJson(e.metrics)}});
  return j;
}

}  // namespace

std::string ToJson(const ListenerEvent& event) {
  Json j = std::visit(
      [&](const auto& e) -> Json {
        using E = std::decay_t<decltype(e)>;
        if constexpr (IsOneOf<E, TaskStart, TaskEnd>) return TaskJson(event);
        else if constexpr (IsOneOf<E, JobStart, JobEnd, StageSubmitted, StageCompleted>) return JobJson(event);
        else if constexpr (IsOneOf<E, ExecutorAdded, ExecutorRemoved, BlockManagerAdded, BlockUpdated, UnpersistRdd>)
          return ExecutorJson(event);
        else return ApplicationJson(event);
      },
      event);
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace ember::scheduler
