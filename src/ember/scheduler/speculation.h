// Speculative execution: which running tasks deserve a second copy
// (spark.speculation and its settings, with Spark's defaults).
//
// Contract: once at least `quantile` of a stage's `total` tasks have
// succeeded, a running task whose elapsed time exceeds
// max(multiplier x the median duration of the successful ones, min_runtime)
// is returned, unless it already has a copy (`speculated`). Pure: the
// scheduler supplies the numbers and launches the copies; the first
// attempt to succeed wins and the others are killed.
#pragma once

#include <set>
#include <utility>
#include <vector>

namespace ember::scheduler {

struct SpeculationOptions {
  bool enabled = false;
  double interval_s = 0.1;
  double multiplier = 1.5;
  double quantile = 0.75;
  double min_runtime_s = 0.1;
};

// running: (partition, seconds since it started) of each running task.
std::vector<int> TasksToSpeculate(const SpeculationOptions& options, int total,
                                  std::vector<double> finished_seconds,
                                  const std::vector<std::pair<int, double>>& running,
                                  const std::set<int>& speculated);

}  // namespace ember::scheduler
