#include "ember/scheduler/pool.h"

#include <algorithm>
#include <cctype>

#include "ember/scheduler/task_set_manager.h"

namespace ember::scheduler {
namespace {

bool FifoBefore(const TaskSetManager* a, const TaskSetManager* b) {
  return std::pair(a->priority(), a->stage_id()) < std::pair(b->priority(), b->stage_id());
}

int Running(const TaskSetManager* set) { return static_cast<int>(set->NumRunning()); }

void SortSets(SchedulingMode mode, std::vector<TaskSetManager*>* sets) {
  if (mode == SchedulingMode::kFifo) {
    std::stable_sort(sets->begin(), sets->end(), FifoBefore);
    return;
  }
  std::stable_sort(sets->begin(), sets->end(), [](const TaskSetManager* a, const TaskSetManager* b) {
    int c = CompareFair({Running(a), 0, 1}, {Running(b), 0, 1});
    return c != 0 ? c < 0 : FifoBefore(a, b);
  });
}

}  // namespace

Result<SchedulingMode> ParseSchedulingMode(std::string_view text, const std::string& setting) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "FIFO") return SchedulingMode::kFifo;
  if (upper == "FAIR") return SchedulingMode::kFair;
  return InvalidArgument(setting + " must be FIFO or FAIR, not '" + std::string(text) + "'");
}

const char* SchedulingModeName(SchedulingMode mode) {
  return mode == SchedulingMode::kFair ? "FAIR" : "FIFO";
}

int CompareFair(const FairShare& a, const FairShare& b) {
  bool a_needy = a.running < a.min_share, b_needy = b.running < b.min_share;
  if (a_needy != b_needy) return a_needy ? -1 : 1;
  // Needy pools are ranked by how far they are from their minShare, the
  // others by running tasks per unit of weight. Cross-multiplied so the
  // comparison is exact.
  int64_t a_left, b_left;
  if (a_needy) {
    a_left = int64_t{a.running} * std::max(b.min_share, 1);
    b_left = int64_t{b.running} * std::max(a.min_share, 1);
  } else {
    a_left = int64_t{a.running} * b.weight;
    b_left = int64_t{b.running} * a.weight;
  }
  return a_left < b_left ? -1 : a_left > b_left ? 1 : 0;
}

Pools::Pools(SchedulingMode mode, std::map<std::string, PoolConfig> configured)
    : mode_(mode), pools_(std::move(configured)) {}

std::vector<TaskSetManager*> Pools::Order(std::vector<TaskSetManager*> sets) {
  if (mode_ == SchedulingMode::kFifo) {
    SortSets(SchedulingMode::kFifo, &sets);
    return sets;
  }
  struct Group {
    PoolConfig config;
    int running = 0;
    std::vector<TaskSetManager*> sets;
  };
  std::map<std::string, Group> groups;
  for (TaskSetManager* set : sets) {
    auto [it, fresh] = groups.try_emplace(set->pool());
    Group& g = it->second;
    if (fresh) {
      auto configured = pools_.find(set->pool());
      if (configured != pools_.end()) g.config = configured->second;  // else FIFO, 1, 0
    }
    g.running += Running(set);
    g.sets.push_back(set);
  }
  std::vector<Group*> order;
  for (auto& [name, g] : groups) order.push_back(&g);  // by name: ties keep it
  std::stable_sort(order.begin(), order.end(), [](const Group* a, const Group* b) {
    return CompareFair({a->running, a->config.min_share, a->config.weight},
                       {b->running, b->config.min_share, b->config.weight}) < 0;
  });
  std::vector<TaskSetManager*> out;
  for (Group* g : order) {
    SortSets(g->config.mode, &g->sets);
    out.insert(out.end(), g->sets.begin(), g->sets.end());
  }
  return out;
}

}  // namespace ember::scheduler
