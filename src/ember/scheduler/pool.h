// Scheduling pools: the order in which the task scheduler offers free
// slots to its task sets, as Spark's schedulable pools decide it.
//
// Contract: with spark.scheduler.mode=FIFO (the default) the order is
// (priority = id of the oldest job needing the set, stage id) and pools
// play no part. With FAIR, sets are grouped by the pool their job was
// submitted in (spark.scheduler.pool; "default" when unset) and the pools
// are ordered by the fair comparator: pools running fewer tasks than their
// minShare first, among them the lowest running/minShare; then the lowest
// running/weight; ties by pool name. Within a pool its own mode orders its
// sets: FIFO as above, or FAIR by the same comparator with each set weight
// 1 and minShare 0 (ties FIFO). A pool not configured — "default"
// included — is FIFO, weight 1, minShare 0, created on first use.
// The order is only who is asked first: each set then takes every slot it
// can use (no preemption), so shares even out as tasks end. Pure, no
// locking: it lives on the scheduler's event loop.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ember/common/status.h"

namespace ember::scheduler {

class TaskSetManager;

enum class SchedulingMode { kFifo, kFair };

// "FIFO" or "FAIR", any case; anything else is an error naming `setting`.
Result<SchedulingMode> ParseSchedulingMode(std::string_view text, const std::string& setting);
// "FIFO" or "FAIR", as Spark shows a mode.
const char* SchedulingModeName(SchedulingMode mode);

struct PoolConfig {
  SchedulingMode mode = SchedulingMode::kFifo;
  int weight = 1;     // positive
  int min_share = 0;  // slots the pool gets before weights count
};

// What the fair comparator weighs of a pool or a task set.
struct FairShare {
  int running = 0;
  int min_share = 0;
  int weight = 1;
};
// Negative: `a` is offered slots first; positive: `b`; 0: a tie.
int CompareFair(const FairShare& a, const FairShare& b);

class Pools {
 public:
  Pools() = default;  // FIFO
  explicit Pools(SchedulingMode mode, std::map<std::string, PoolConfig> configured = {});

  SchedulingMode mode() const { return mode_; }
  // The pools configured at construction (a pool used but not among them
  // is FIFO, weight 1, minShare 0).
  const std::map<std::string, PoolConfig>& configured() const { return pools_; }
  // `sets` in the order free slots are offered to them.
  std::vector<TaskSetManager*> Order(std::vector<TaskSetManager*> sets);

 private:
  SchedulingMode mode_ = SchedulingMode::kFifo;
  std::map<std::string, PoolConfig> pools_;
};

}  // namespace ember::scheduler
