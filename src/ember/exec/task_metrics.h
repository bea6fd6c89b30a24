// Task metrics (proto::TaskMetrics, Spark's per-task metrics) as an
// executor measures them: summing partial measurements, the thread CPU
// clock, and what a Python worker reports at the end of its part of a task.
//
// Contract: every TaskMetrics field is a count, a size or a duration, so
// partial measurements combine by adding field by field (AddTaskMetrics;
// the driver sums a stage's tasks the same way). A worker's kMetrics
// payload is JSON:
//   {"records_in": [records of each data frame it was fed, in order],
//    "output": "shuffle" | "file" | "", "records_out": n, "cpu_ns": n,
//    "deserialize_ns": n, "deserialize_cpu_ns": n, "memory_spilled": n,
//    "disk_spilled": n, "peak_memory": n}
// records_out are shuffle records written when the worker's output was
// bucket batches ("shuffle"), output records written when it was lines or
// Writables for a file ("file"), else not a metric. The
// records of the fed frames count as input records or shuffle records read
// by the origin of each frame (common/frame.h); records computed by
// another Python node of the same task count as neither.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ember/common/frame.h"
#include "ember/common/status.h"
#include "ember.pb.h"

namespace ember::exec {

void AddTaskMetrics(const proto::TaskMetrics& delta, proto::TaskMetrics* into);

// CPU time used so far by the calling thread, in nanoseconds.
int64_t ThreadCpuNanos();

// What the worker's kMetrics payload adds to its task's metrics, given the
// origins of the frames it was fed; a malformed payload is Internal.
Result<proto::TaskMetrics> WorkerMetrics(std::string_view payload, const std::vector<FrameOrigin>& fed);

}  // namespace ember::exec
