#include "ember/exec/task_metrics.h"

#include <time.h>

#include <nlohmann/json.hpp>

namespace ember::exec {

void AddTaskMetrics(const proto::TaskMetrics& delta, proto::TaskMetrics* into) {
  const auto* descriptor = proto::TaskMetrics::descriptor();
  const auto* reflection = proto::TaskMetrics::GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    reflection->SetInt64(into, field, reflection->GetInt64(*into, field) + reflection->GetInt64(delta, field));
  }
}

int64_t ThreadCpuNanos() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

Result<proto::TaskMetrics> WorkerMetrics(std::string_view payload, const std::vector<FrameOrigin>& fed) {
  auto report = nlohmann::json::parse(payload, nullptr, false);
  if (!report.is_object() || !report.value("records_in", nlohmann::json::array()).is_array())
    return Internal("malformed metrics frame from Python worker");
  proto::TaskMetrics m;
  try {
    const auto& counts = report.at("records_in");
    if (counts.size() != fed.size())
      return Internal("Python worker counted " + std::to_string(counts.size()) + " input frames, " +
                      std::to_string(fed.size()) + " were sent");
    for (size_t i = 0; i < fed.size(); ++i) {
      int64_t n = counts[i].get<int64_t>();
      if (fed[i] == FrameOrigin::kInput) m.set_input_records_read(m.input_records_read() + n);
      if (fed[i] == FrameOrigin::kShuffle) m.set_shuffle_records_read(m.shuffle_records_read() + n);
    }
    int64_t out = report.value("records_out", int64_t{0});
    std::string kind = report.value("output", "");
    if (kind == "shuffle") m.set_shuffle_records_written(out);
    if (kind == "file") m.set_output_records_written(out);
    m.set_executor_cpu_time_ns(report.value("cpu_ns", int64_t{0}));
    m.set_executor_deserialize_time_ms(report.value("deserialize_ns", int64_t{0}) / 1000000);
    m.set_executor_deserialize_cpu_time_ns(report.value("deserialize_cpu_ns", int64_t{0}));
    m.set_memory_bytes_spilled(report.value("memory_spilled", int64_t{0}));
    m.set_disk_bytes_spilled(report.value("disk_spilled", int64_t{0}));
    m.set_peak_execution_memory(report.value("peak_memory", int64_t{0}));
  } catch (const nlohmann::json::exception& e) {
    return Internal(std::string("malformed metrics frame from Python worker: ") + e.what());
  }
  return m;
}

}  // namespace ember::exec
