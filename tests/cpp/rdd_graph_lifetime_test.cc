// Graph node lifetime: a node goes once its holder dropped it and no live
// node depends on it, with its whole lineage when nothing else holds it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/rdd/graph.h"
#include "ember/rdd/parallel_node.h"
#include "ember/rdd/python_node.h"
#include "ember/rdd/shuffled_node.h"
#include "ember/rdd/union_node.h"

namespace ember::rdd {
namespace {

int AddParallel(Graph& g, int partitions) {
  return *g.Add(MakeParallelNode(std::vector<std::string>(partitions, "data")));
}

TEST(GraphLifetime, ADroppedNodeStaysWhileAChildLives) {
  Graph g;
  int src = AddParallel(g, 2);
  int py = *g.Add(*MakePythonNode(g, src, "cmd", {}));
  EXPECT_TRUE(g.Drop(src).nodes.empty());  // its child reads it
  EXPECT_TRUE(g.Get(src));
  EXPECT_EQ(g.Drop(py).nodes, (std::vector<int>{py, src}));
  EXPECT_FALSE(g.Get(src));
  EXPECT_FALSE(g.Get(py));
  EXPECT_EQ(g.NumNodes(), 0u);
  EXPECT_TRUE(g.Drop(py).nodes.empty());  // dropping twice frees nothing more
  EXPECT_EQ(AddParallel(g, 1), py + 1);    // ids are never reused
}

TEST(GraphLifetime, AShuffledNodeKeepsItsMapSideAndReportsItsShuffle) {
  Graph g;
  int src = AddParallel(g, 2);
  int map = *g.Add(*MakePythonNode(g, src, "cmd", {}));
  int shuffled = *g.Add(*MakeShuffledNode(map, 3));
  int shuffle = g.ShuffleOf(shuffled);
  g.Drop(src);
  EXPECT_TRUE(g.Drop(map).nodes.empty());
  EXPECT_EQ(g.NumShuffles(), 1u);
  FreedNodes freed = g.Drop(shuffled);
  EXPECT_EQ(freed.nodes.size(), 3u);
  EXPECT_EQ(freed.shuffles, std::vector<int>{shuffle});
  EXPECT_EQ(g.NumShuffles(), 0u);
}

TEST(GraphLifetime, AHeldNodeOutlivesItsOwner) {
  Graph g;
  int src = AddParallel(g, 2);
  g.Persist(src, proto::StorageLevel());
  g.Hold(src);  // a job runs over it
  EXPECT_TRUE(g.Drop(src).nodes.empty());
  EXPECT_TRUE(g.BuildTaskLineage(src, 1).ok());
  EXPECT_EQ(g.Drop(src).nodes, std::vector<int>{src});  // the job ended
  EXPECT_FALSE(g.IsPersisted(src));
}

TEST(GraphLifetime, ASharedParentGoesWithItsLastChild) {
  Graph g;
  int a = AddParallel(g, 1), b = AddParallel(g, 1);
  int u1 = *g.Add(*MakeUnionNode(g, {a, b}));
  int u2 = *g.Add(*MakeUnionNode(g, {a, a}));
  g.Drop(a);
  g.Drop(b);
  EXPECT_EQ(g.Drop(u1).nodes, (std::vector<int>{u1, b}));
  EXPECT_EQ(g.Drop(u2).nodes, (std::vector<int>{u2, a}));
}

TEST(GraphLifetime, ALongChainIsFreedWithoutRecursion) {
  Graph g;
  int node = AddParallel(g, 1);
  for (int i = 0; i < 100000; ++i) {
    int next = *g.Add(*MakePythonNode(g, node, "cmd", {}));
    g.Drop(node);
    node = next;
  }
  EXPECT_EQ(g.Drop(node).nodes.size(), 100001u);
  EXPECT_EQ(g.NumNodes(), 0u);
}

}  // namespace
}  // namespace ember::rdd
