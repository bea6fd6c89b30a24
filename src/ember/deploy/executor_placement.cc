#include "ember/deploy/executor_placement.h"

#include <algorithm>

namespace ember::deploy {

std::vector<ExecutorPlacement> PlaceExecutors(int cores_wanted, int executor_cores, int memory_mb,
                                              bool spread_out, std::vector<WorkerOffer> workers) {
  const bool one_per_worker = executor_cores <= 0;
  const int step = one_per_worker ? 1 : executor_cores;
  std::stable_sort(workers.begin(), workers.end(),
                   [](const WorkerOffer& a, const WorkerOffer& b) { return a.free_cores > b.free_cores; });
  std::vector<int> cores(workers.size(), 0), executors(workers.size(), 0);
  int left = cores_wanted;
  auto can_launch = [&](size_t i) {
    if (left < step || workers[i].free_cores - cores[i] < step) return false;
    bool new_executor = !one_per_worker || executors[i] == 0;
    return !new_executor || workers[i].free_memory_mb - executors[i] * memory_mb >= memory_mb;
  };
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t i = 0; i < workers.size(); ++i) {
      while (can_launch(i)) {
        left -= step;
        cores[i] += step;
        executors[i] = one_per_worker ? 1 : executors[i] + 1;
        progress = true;
        if (spread_out) break;
      }
    }
  }
  std::vector<ExecutorPlacement> out;
  for (size_t i = 0; i < workers.size(); ++i) {
    if (one_per_worker && cores[i] > 0) out.push_back({workers[i].worker_id, cores[i]});
    for (int e = 0; !one_per_worker && e < executors[i]; ++e) out.push_back({workers[i].worker_id, step});
  }
  return out;
}

}  // namespace ember::deploy
