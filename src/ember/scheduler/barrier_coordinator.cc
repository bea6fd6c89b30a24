#include "ember/scheduler/barrier_coordinator.h"

#include <fmt/format.h>

#include <vector>

namespace ember::scheduler {

namespace {

proto::BarrierReply ErrorReply(int64_t request_id, const std::string& error) {
  proto::BarrierReply r;
  r.set_request_id(request_id);
  r.set_error(error);
  return r;
}

}  // namespace

void BarrierCoordinator::Request(const proto::BarrierRequest& req, double now, Reply reply) {
  Key key{req.stage_id(), req.stage_attempt()};
  auto [it, fresh] = syncs_.try_emplace(key);
  Sync& sync = it->second;
  if (fresh) {
    sync.call = req.call();
    sync.kind = req.kind();
    sync.num_tasks = req.num_tasks();
    sync.started = now;
  }
  std::string error;
  if (req.call() != sync.call) {
    error = fmt::format(
        "barrier sync out of step in stage {}.{}: task of partition {} made sync {} while the "
        "others made sync {} (every task must call barrier()/allGather() the same number of times)",
        key.first, key.second, req.partition(), req.call(), sync.call);
  } else if (req.kind() != sync.kind) {
    error = fmt::format(
        "Different barrier sync types found for the sync {} in stage {}.{}: {} != {}. Please use "
        "the same barrier sync type within a single sync.",
        sync.call, key.first, key.second, sync.kind, req.kind());
  } else if (sync.waiting.count(req.partition())) {
    error = fmt::format("partition {} made barrier sync {} of stage {}.{} twice", req.partition(),
                        sync.call, key.first, key.second);
  } else if (req.num_tasks() != sync.num_tasks) {
    error = fmt::format("barrier stage {}.{}: tasks disagree on the number of tasks ({} != {})",
                        key.first, key.second, req.num_tasks(), sync.num_tasks);
  }
  if (!error.empty()) {
    reply(ErrorReply(req.request_id(), error));
    Fail(key, error);
    return;
  }
  sync.waiting[req.partition()] = {req.request_id(), req.message(), std::move(reply)};
  if (static_cast<int>(sync.waiting.size()) < sync.num_tasks) return;
  Sync done = std::move(sync);
  syncs_.erase(it);
  std::vector<std::string> messages;
  for (const auto& [p, w] : done.waiting) messages.push_back(w.message);
  for (auto& [p, w] : done.waiting) {
    proto::BarrierReply r;
    r.set_request_id(w.request_id);
    for (const auto& m : messages) r.add_messages(m);
    w.reply(std::move(r));
  }
}

void BarrierCoordinator::Fail(const Key& key, const std::string& error) {
  auto it = syncs_.find(key);
  if (it == syncs_.end()) return;
  Sync sync = std::move(it->second);
  syncs_.erase(it);
  for (auto& [p, w] : sync.waiting) w.reply(ErrorReply(w.request_id, error));
}

void BarrierCoordinator::AttemptsEnded(const std::function<bool(int, int)>& running,
                                       const std::function<std::string(int, int)>& why) {
  std::vector<Key> ended;
  for (const auto& [key, sync] : syncs_)
    if (!running(key.first, key.second)) ended.push_back(key);
  for (const Key& key : ended) Fail(key, why(key.first, key.second));
}

void BarrierCoordinator::CheckTimeouts(double now) {
  std::vector<std::pair<Key, int>> expired;
  for (const auto& [key, sync] : syncs_)
    if (now - sync.started >= timeout_s_) expired.emplace_back(key, sync.call);
  for (const auto& [key, call] : expired)
    Fail(key, fmt::format(
                  "The coordinator didn't get all barrier sync requests for barrier epoch {} from "
                  "stage {}.{} within {} second(s) (spark.barrier.sync.timeout)",
                  call, key.first, key.second, timeout_s_));
}

}  // namespace ember::scheduler
