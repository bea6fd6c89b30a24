// Where a standalone master starts an application's executors — Spark's
// standalone scheduling rule, as a pure function.
//
// Contract: PlaceExecutors hands out at most `cores_wanted` cores of the
// given workers' free cores and memory. With `executor_cores` > 0 each
// executor gets exactly that many cores and `memory_mb`; with 0 a worker
// gets at most one new executor holding every core assigned to it there.
// `spread_out` deals cores round-robin over the workers (most free cores
// first), one executor's worth per worker per round; otherwise it fills
// each worker before the next. A worker short of memory for one more
// executor gets none. The result lists one entry per executor to start,
// grouped by worker. Deterministic; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace ember::deploy {

struct WorkerOffer {
  std::string worker_id;
  int free_cores = 0;
  int free_memory_mb = 0;
};

struct ExecutorPlacement {
  std::string worker_id;
  int cores = 0;
};

std::vector<ExecutorPlacement> PlaceExecutors(int cores_wanted, int executor_cores, int memory_mb,
                                              bool spread_out, std::vector<WorkerOffer> workers);

}  // namespace ember::deploy
