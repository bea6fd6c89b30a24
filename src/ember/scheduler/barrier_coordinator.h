// BarrierCoordinator: the driver's side of BarrierTaskContext.barrier()
// and allGather().
//
// Contract: lives on the scheduler's event loop (no locking). Each task of
// a barrier stage attempt numbers its syncs 0, 1, 2...; a sync completes
// when every one of the attempt's `num_tasks` tasks made that call, and
// then every caller is answered with all the messages, ordered by
// partition. A sync whose callers disagree on the kind (barrier vs
// allGather) or a call number out of step fails every caller of it. A
// sync still incomplete `timeout_s` after its first call fails every
// caller (spark.barrier.sync.timeout). AttemptsEnded() fails the waiting
// callers of every attempt that is no longer running (a task failed, the
// job ended), so no task waits forever for a peer that will never come.
// Every request is answered exactly once.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>

#include "ember.pb.h"

namespace ember::scheduler {

class BarrierCoordinator {
 public:
  using Reply = std::function<void(proto::BarrierReply)>;

  explicit BarrierCoordinator(double timeout_s) : timeout_s_(timeout_s) {}

  void Request(const proto::BarrierRequest& request, double now, Reply reply);
  // Fails the waiting callers of every attempt `running(stage, attempt)`
  // says is over, with `why(stage, attempt)`.
  void AttemptsEnded(const std::function<bool(int, int)>& running,
                     const std::function<std::string(int, int)>& why);
  void CheckTimeouts(double now);
  bool idle() const { return syncs_.empty(); }

 private:
  struct Waiter {
    int64_t request_id;
    std::string message;
    Reply reply;
  };
  struct Sync {
    int call = 0;
    std::string kind;
    int num_tasks = 0;
    double started = 0;
    std::map<int, Waiter> waiting;  // by partition
  };
  using Key = std::pair<int, int>;  // stage id, stage attempt

  void Fail(const Key& key, const std::string& error);

  double timeout_s_;
  std::map<Key, Sync> syncs_;
};

}  // namespace ember::scheduler
