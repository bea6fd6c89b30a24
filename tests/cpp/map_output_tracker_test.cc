// The map-output registry: reducers are sent only the outputs they must
// read, lost outputs are remembered until recomputed (a changed digest
// reports a nondeterministic map), and an executor's outputs go with it.
#include <gtest/gtest.h>

#include <vector>

#include "ember/scheduler/map_output_tracker.h"

namespace ember::scheduler {
namespace {

proto::MapStatus Status(const std::string& executor, std::vector<int64_t> sizes, uint64_t digest) {
  proto::MapStatus s;
  s.set_executor_id(executor);
  s.mutable_block_sizes()->Assign(sizes.begin(), sizes.end());
  s.set_blocks_digest(digest);
  return s;
}

std::vector<int> MapsRead(const MapOutputTracker& t, int shuffle, int reducer) {
  proto::ShuffledNode node;
  node.set_shuffle_id(shuffle);
  t.FillReads(reducer, &node);
  return {node.map_ids().begin(), node.map_ids().end()};
}

TEST(MapOutputTracker, ReducerIsSentOnlyTheMapsWithABlockForIt) {
  MapOutputTracker t;
  t.AddShuffle(0, 3);
  EXPECT_FALSE(t.Available(0));
  EXPECT_FALSE(t.Register(0, 0, 10, Status("a", {5, 0, 0}, 1)));
  EXPECT_FALSE(t.Register(0, 1, 11, Status("b", {0, 7, 0}, 2)));
  EXPECT_FALSE(t.Register(0, 2, 12, Status("a", {3, 9, 0}, 3)));
  EXPECT_TRUE(t.Available(0));
  EXPECT_EQ(MapsRead(t, 0, 0), (std::vector<int>{0, 2}));
  EXPECT_EQ(MapsRead(t, 0, 1), (std::vector<int>{1, 2}));
  EXPECT_EQ(MapsRead(t, 0, 2), (std::vector<int>{}));

  proto::ShuffledNode node;
  node.set_shuffle_id(0);
  t.FillReads(1, &node);
  ASSERT_EQ(node.map_ids_size(), 2);
  EXPECT_EQ(node.map_task_ids(0), 11);
  EXPECT_EQ(node.map_task_ids(1), 12);
  EXPECT_EQ(node.executors(node.map_executors(0)), "b");
  EXPECT_EQ(node.executors(node.map_executors(1)), "a");
  t.FillReads(0, &node);  // refilled, not appended
  EXPECT_EQ(node.map_ids_size(), 2);
  EXPECT_EQ(node.executors_size(), 1);  // "a" once for both outputs
}

TEST(MapOutputTracker, HighlyCompressedOutputsAreSkippedExactlyToo) {
  const int reducers = 5000;
  MapOutputTracker t;
  t.AddShuffle(1, 100);
  for (int m = 0; m < 100; ++m) {
    std::vector<int64_t> sizes(reducers, 0);
    sizes[m * 7 % reducers] = 1 + m;  // one non-empty block per map
    sizes[4999] = 10;
    (void)t.Register(1, m, m, Status("x", sizes, m));
  }
  EXPECT_EQ(MapsRead(t, 1, 14), (std::vector<int>{2}));
  EXPECT_EQ(MapsRead(t, 1, 4999).size(), 100u);
  EXPECT_TRUE(MapsRead(t, 1, 4998).empty());
}

TEST(MapOutputTracker, MissingOutputIsListedSoItsReadFails) {
  MapOutputTracker t;
  t.AddShuffle(0, 2);
  (void)t.Register(0, 0, 5, Status("a", {0}, 1));
  proto::ShuffledNode node;
  node.set_shuffle_id(0);
  t.FillReads(0, &node);
  ASSERT_EQ(node.map_ids_size(), 1);
  EXPECT_EQ(node.map_ids(0), 1);
  EXPECT_EQ(node.map_executors(0), -1);
}

TEST(MapOutputTracker, LostOutputIsComparedWithItsRecomputation) {
  MapOutputTracker t;
  t.AddShuffle(0, 2);
  (void)t.Register(0, 0, 1, Status("a", {1}, 100));
  (void)t.Register(0, 1, 2, Status("a", {1}, 200));
  EXPECT_TRUE(t.Unregister(0, 1));
  EXPECT_FALSE(t.Unregister(0, 1));  // already lost
  EXPECT_FALSE(t.Has(0, 1));
  EXPECT_FALSE(t.Available(0));
  EXPECT_FALSE(t.Register(0, 1, 3, Status("a", {1}, 200)));  // deterministic
  EXPECT_TRUE(t.Available(0));

  EXPECT_TRUE(t.Unregister(0, 1));
  EXPECT_TRUE(t.Register(0, 1, 4, Status("a", {1}, 201)));  // nondeterministic
  EXPECT_FALSE(t.Register(0, 1, 5, Status("a", {1}, 202)));  // nothing lost any more

  // Forgotten outputs (their input rolled back) are not remembered as lost.
  EXPECT_TRUE(t.Unregister(0, 1));
  EXPECT_TRUE(t.UnregisterAll(0));
  EXPECT_FALSE(t.UnregisterAll(0));
  EXPECT_FALSE(t.Has(0, 0));
  EXPECT_FALSE(t.Register(0, 1, 6, Status("a", {1}, 999)));
}

TEST(MapOutputTracker, ExecutorsOutputsAreLostWithIt) {
  MapOutputTracker t;
  t.AddShuffle(0, 2);
  t.AddShuffle(1, 1);
  t.AddShuffle(2, 1);
  (void)t.Register(0, 0, 1, Status("a", {1}, 1));
  (void)t.Register(0, 1, 2, Status("b", {1}, 2));
  (void)t.Register(1, 0, 3, Status("b", {1}, 3));
  (void)t.Register(2, 0, 4, Status("a", {1}, 4));
  EXPECT_EQ(t.UnregisterExecutor("b"), (std::vector<int>{0, 1}));
  EXPECT_TRUE(t.Has(0, 0));
  EXPECT_FALSE(t.Has(0, 1));
  EXPECT_FALSE(t.Available(1));
  EXPECT_TRUE(t.Available(2));
  EXPECT_TRUE(t.Register(1, 0, 5, Status("a", {1}, 33)));  // recomputed differently
}

TEST(MapOutputTracker, RemovedShuffleIsForgotten) {
  MapOutputTracker t;
  t.AddShuffle(0, 1);
  (void)t.Register(0, 0, 1, Status("a", {1}, 1));
  t.AddShuffle(0, 1);  // known: kept
  EXPECT_TRUE(t.Available(0));
  t.RemoveShuffle(0);
  EXPECT_FALSE(t.Available(0));
  EXPECT_FALSE(t.Has(0, 0));
  EXPECT_TRUE(MapsRead(t, 0, 0).empty());
}

}  // namespace
}  // namespace ember::scheduler
