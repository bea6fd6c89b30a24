#include "ember/deploy/executor_placement.h"

#include <gtest/gtest.h>

#include <map>

namespace ember::deploy {
namespace {

std::map<std::string, std::vector<int>> ByWorker(const std::vector<ExecutorPlacement>& placed) {
  std::map<std::string, std::vector<int>> out;
  for (const auto& p : placed) out[p.worker_id].push_back(p.cores);
  return out;
}

TEST(ExecutorPlacement, SpreadOutDealsExecutorsRoundRobin) {
  auto placed = PlaceExecutors(4, 1, 512, true, {{"a", 4, 4096}, {"b", 4, 4096}});
  EXPECT_EQ(ByWorker(placed), (std::map<std::string, std::vector<int>>{{"a", {1, 1}}, {"b", {1, 1}}}));
}

TEST(ExecutorPlacement, ConsolidateFillsOneWorkerFirst) {
  auto placed = PlaceExecutors(4, 2, 512, false, {{"a", 4, 4096}, {"b", 4, 4096}});
  EXPECT_EQ(ByWorker(placed), (std::map<std::string, std::vector<int>>{{"a", {2, 2}}}));
}

TEST(ExecutorPlacement, WithoutExecutorCoresOneExecutorPerWorkerTakesItsShare) {
  auto placed = PlaceExecutors(3, 0, 512, true, {{"a", 2, 4096}, {"b", 2, 4096}});
  // Cores dealt one at a time, most free first: a gets 2, b gets 1.
  EXPECT_EQ(ByWorker(placed), (std::map<std::string, std::vector<int>>{{"a", {2}}, {"b", {1}}}));
  auto all = PlaceExecutors(1 << 20, 0, 512, true, {{"a", 2, 4096}, {"b", 3, 4096}});
  EXPECT_EQ(ByWorker(all), (std::map<std::string, std::vector<int>>{{"a", {2}}, {"b", {3}}}));
}

TEST(ExecutorPlacement, MemoryLimitsExecutorsPerWorker) {
  auto placed = PlaceExecutors(8, 1, 1024, true, {{"a", 8, 2500}, {"b", 8, 500}});
  EXPECT_EQ(ByWorker(placed), (std::map<std::string, std::vector<int>>{{"a", {1, 1}}}));
}

TEST(ExecutorPlacement, NothingFitsNothingPlaced) {
  EXPECT_TRUE(PlaceExecutors(4, 4, 512, true, {{"a", 3, 4096}, {"b", 2, 4096}}).empty());
  EXPECT_TRUE(PlaceExecutors(0, 1, 512, true, {{"a", 3, 4096}}).empty());
  EXPECT_TRUE(PlaceExecutors(4, 1, 512, true, {}).empty());
}

TEST(ExecutorPlacement, NeverMoreThanWantedOrFree) {
  for (int wanted = 0; wanted < 12; ++wanted) {
    for (int cores : {0, 1, 2, 3}) {
      for (bool spread : {true, false}) {
        auto placed = PlaceExecutors(wanted, cores, 100, spread, {{"a", 3, 1000}, {"b", 5, 250}, {"c", 0, 1000}});
        std::map<std::string, int> used;
        int total = 0;
        for (const auto& p : placed) {
          used[p.worker_id] += p.cores;
          total += p.cores;
          if (cores > 0) {
            EXPECT_EQ(p.cores, cores);
          }
        }
        EXPECT_LE(total, wanted);
        EXPECT_LE(used["a"], 3);
        EXPECT_LE(used["b"], 5);
        EXPECT_EQ(used["c"], 0);
      }
    }
  }
}

}  // namespace
}  // namespace ember::deploy
