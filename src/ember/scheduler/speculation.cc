#include "ember/scheduler/speculation.h"

#include <algorithm>

namespace ember::scheduler {

std::vector<int> TasksToSpeculate(const SpeculationOptions& options, int total,
                                  std::vector<double> finished_seconds,
                                  const std::vector<std::pair<int, double>>& running,
                                  const std::set<int>& speculated) {
  std::vector<int> out;
  if (!options.enabled || total <= 0 || finished_seconds.empty() ||
      static_cast<double>(finished_seconds.size()) < options.quantile * total)
    return out;
  auto mid = finished_seconds.begin() + static_cast<long>(finished_seconds.size() / 2);
  std::nth_element(finished_seconds.begin(), mid, finished_seconds.end());
  double threshold = std::max(options.multiplier * *mid, options.min_runtime_s);
  for (const auto& [partition, elapsed] : running)
    if (elapsed > threshold && !speculated.count(partition)) out.push_back(partition);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace ember::scheduler
