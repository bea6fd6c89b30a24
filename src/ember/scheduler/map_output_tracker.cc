#include "ember/scheduler/map_output_tracker.h"

#include <algorithm>

namespace ember::scheduler {

void MapOutputTracker::AddShuffle(int shuffle_id, int num_maps) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& outputs = shuffles_[shuffle_id].outputs;
  if (outputs.empty()) outputs.resize(num_maps);
}

void MapOutputTracker::RemoveShuffle(int shuffle_id) {
  std::lock_guard<std::mutex> lock(mu_);
  shuffles_.erase(shuffle_id);
}

bool MapOutputTracker::Register(int shuffle_id, int map_id, int64_t task_id,
                                const proto::MapStatus& status) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shuffles_.find(shuffle_id);
  if (it == shuffles_.end() || map_id < 0 || map_id >= static_cast<int>(it->second.outputs.size()))
    return false;
  Shuffle& s = it->second;
  std::vector<int64_t> sizes(status.block_sizes().begin(), status.block_sizes().end());
  auto& slot = s.outputs[map_id];
  // The first output registered stays: a late twin (a zombie attempt's, a
  // speculative copy's) must not swap blocks under reducers already reading.
  if (slot) return false;
  ++s.registered;
  slot.reset(new Output{status.executor_id(), task_id, status.blocks_digest(), BlockSizes(sizes)});
  auto lost = s.lost.find(map_id);
  if (lost == s.lost.end()) return false;
  bool changed = lost->second != status.blocks_digest();
  s.lost.erase(lost);
  return changed;
}

void MapOutputTracker::MarkLost(Shuffle* s, int map_id) {
  auto& slot = s->outputs[map_id];
  s->lost[map_id] = slot->digest;  // compared with its recomputation
  slot.reset();
  --s->registered;
}

bool MapOutputTracker::Unregister(int shuffle_id, int map_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shuffles_.find(shuffle_id);
  if (it == shuffles_.end() || map_id < 0 || map_id >= static_cast<int>(it->second.outputs.size()) ||
      !it->second.outputs[map_id])
    return false;
  MarkLost(&it->second, map_id);
  return true;
}

bool MapOutputTracker::UnregisterAll(int shuffle_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shuffles_.find(shuffle_id);
  if (it == shuffles_.end()) return false;
  Shuffle& s = it->second;
  bool had = s.registered > 0;
  for (auto& o : s.outputs) o.reset();
  s.registered = 0;
  s.lost.clear();
  return had;
}

std::vector<int> MapOutputTracker::UnregisterExecutor(const std::string& executor_id, int shuffle_id) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int> affected;
  for (auto& [id, s] : shuffles_) {
    if (shuffle_id >= 0 && id != shuffle_id) continue;
    bool lost = false;
    for (size_t m = 0; m < s.outputs.size(); ++m) {
      if (s.outputs[m] && s.outputs[m]->executor_id == executor_id) {
        MarkLost(&s, static_cast<int>(m));
        lost = true;
      }
    }
    if (lost) affected.push_back(id);
  }
  return affected;
}

bool MapOutputTracker::Has(int shuffle_id, int map_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shuffles_.find(shuffle_id);
  return it != shuffles_.end() && map_id >= 0 &&
         map_id < static_cast<int>(it->second.outputs.size()) && it->second.outputs[map_id];
}

bool MapOutputTracker::Available(int shuffle_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shuffles_.find(shuffle_id);
  return it != shuffles_.end() && it->second.registered == static_cast<int>(it->second.outputs.size());
}

void MapOutputTracker::FillReads(int reducer, proto::ShuffledNode* node) const {
  node->clear_map_ids();
  node->clear_map_task_ids();
  node->clear_map_executors();
  node->clear_executors();
  node->clear_map_sizes();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shuffles_.find(node->shuffle_id());
  if (it == shuffles_.end()) return;
  const auto& outputs = it->second.outputs;
  for (size_t m = 0; m < outputs.size(); ++m) {
    const Output* o = outputs[m].get();
    // A block the status does not cover is read, never assumed empty.
    if (o && reducer < o->sizes.count() && o->sizes.IsEmpty(reducer)) continue;
    int executor = -1;
    if (o) {
      const auto& names = node->executors();
      auto known = std::find(names.begin(), names.end(), o->executor_id);
      executor = static_cast<int>(known - names.begin());
      if (known == names.end()) node->add_executors(o->executor_id);
    }
    node->add_map_ids(static_cast<int>(m));
    node->add_map_task_ids(o ? o->task_id : -1);
    node->add_map_executors(executor);
    node->add_map_sizes(o && reducer < o->sizes.count() ? o->sizes.Estimate(reducer) : 0);
  }
}

std::string MapOutputTracker::ExecutorOf(int shuffle_id, int map_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shuffles_.find(shuffle_id);
  if (it == shuffles_.end() || map_id < 0 || map_id >= static_cast<int>(it->second.outputs.size()) ||
      !it->second.outputs[map_id])
    return "";
  return it->second.outputs[map_id]->executor_id;
}

int64_t MapOutputTracker::TaskOf(int shuffle_id, int map_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shuffles_.find(shuffle_id);
  if (it == shuffles_.end() || map_id < 0 || map_id >= static_cast<int>(it->second.outputs.size()) ||
      !it->second.outputs[map_id])
    return -1;
  return it->second.outputs[map_id]->task_id;
}

}  // namespace ember::scheduler
