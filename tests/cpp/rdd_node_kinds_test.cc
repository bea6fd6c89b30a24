// Node kinds: which parent partitions a partition reads, how a task's
// lineage is cut down to the data one partition needs, and the checks and
// stream layouts kinds own.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/rdd/coalesce_node.h"
#include "ember/rdd/graph.h"
#include "ember/rdd/node_kind.h"
#include "ember/rdd/pair_node.h"
#include "ember/rdd/parallel_node.h"
#include "ember/rdd/python_node.h"
#include "ember/rdd/shuffled_node.h"
#include "ember/rdd/union_node.h"

namespace ember::rdd {
namespace {

int AddParallel(Graph& g, int partitions) {
  std::vector<std::string> slices;
  for (int i = 0; i < partitions; ++i) slices.push_back("slice" + std::to_string(i));
  return *g.Add(MakeParallelNode(std::move(slices)));
}

int AddBuilt(Graph& g, Result<proto::Node> node) {
  EXPECT_TRUE(node.ok()) << node.status().message();
  return *g.Add(std::move(node).value());
}

const proto::Node* Find(const std::vector<proto::Node>& lineage, int id) {
  for (const auto& n : lineage)
    if (n.id() == id) return &n;
  return nullptr;
}

std::vector<PartitionRef> Parents(const Graph& g, int id, int p) {
  auto n = g.Get(id);
  return KindOf(*n).ParentPartitions(*n, p);
}

// Answers every parent partition with one frame naming it.
class FakeInputs : public PartitionInputs {
 public:
  Result<std::unique_ptr<FrameStream>> Open(int node, int partition) override {
    return SingleFrameStream({FrameType::kPickleBatch, std::to_string(node) + ":" + std::to_string(partition)});
  }
  Result<std::unique_ptr<FrameStream>> RunPython(const std::string&, int, std::unique_ptr<FrameStream> in) override {
    return in;
  }
  Result<std::unique_ptr<FrameStream>> ReadShuffle(const proto::ShuffledNode&, int) override {
    return Internal("no shuffle here");
  }
};

std::vector<std::string> ReadAll(const proto::Node& node, int p) {
  FakeInputs inputs;
  auto stream = KindOf(node).Open(node, p, inputs);
  EXPECT_TRUE(stream.ok()) << stream.status().message();
  std::vector<std::string> out;
  Frame f;
  while (*(*stream)->Next(&f)) out.push_back(f.type == FrameType::kSection ? "|" : f.data);
  return out;
}

TEST(NodeKinds, UnionMapsPartitionsToParentRanges) {
  Graph g;
  int a = AddParallel(g, 2), b = AddParallel(g, 3);
  int u = AddBuilt(g, MakeUnionNode(g, {a, b}));
  EXPECT_EQ(g.Get(u)->num_partitions(), 5);
  EXPECT_EQ(Parents(g, u, 1), (std::vector<PartitionRef>{{a, 1}}));
  EXPECT_EQ(Parents(g, u, 3), (std::vector<PartitionRef>{{b, 1}}));
  EXPECT_TRUE(Parents(g, u, 5).empty());

  auto lineage = *g.BuildTaskLineage(u, 3);
  EXPECT_EQ(Find(lineage, a), nullptr);  // partition 3 reads only the second parent
  ASSERT_NE(Find(lineage, b), nullptr);
  EXPECT_EQ(Find(lineage, b)->parallel().slices_size(), 1);
  EXPECT_EQ(Find(lineage, b)->parallel().slices().at(1), "slice1");
}

TEST(NodeKinds, CoalesceLineageCarriesOnlyItsGroup) {
  Graph g;
  int src = AddParallel(g, 4);
  int c = AddBuilt(g, MakeCoalesceNode(g, src, {{0, 3}, {1, 2}}));
  EXPECT_EQ(Parents(g, c, 0), (std::vector<PartitionRef>{{src, 0}, {src, 3}}));

  auto lineage = *g.BuildTaskLineage(c, 0);
  const proto::Node* copy = Find(lineage, c);
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->coalesce().groups_size(), 1);
  const auto& slices = Find(lineage, src)->parallel().slices();
  EXPECT_EQ(slices.size(), 2u);
  EXPECT_TRUE(slices.count(0) && slices.count(3));
  EXPECT_EQ(ReadAll(*copy, 0), (std::vector<std::string>{std::to_string(src) + ":0", std::to_string(src) + ":3"}));
  EXPECT_FALSE(MakeCoalesceNode(g, src, {{4}}).ok());  // the parent has no partition 4
}

TEST(NodeKinds, PairReadsSecondThenSectionThenFirst) {
  Graph g;
  int a = AddParallel(g, 2), b = AddParallel(g, 3);
  int cart = AddBuilt(g, MakePairNode(g, a, b, /*cartesian=*/true));
  EXPECT_EQ(g.Get(cart)->num_partitions(), 6);
  EXPECT_EQ(Parents(g, cart, 4), (std::vector<PartitionRef>{{a, 1}, {b, 1}}));
  auto lineage = *g.BuildTaskLineage(cart, 4);
  EXPECT_EQ(ReadAll(*Find(lineage, cart), 4),
            (std::vector<std::string>{std::to_string(b) + ":1", "|", std::to_string(a) + ":1"}));

  auto zip = MakePairNode(g, a, b, /*cartesian=*/false);
  EXPECT_EQ(zip.status().code(), StatusCode::kInvalidArgument);
}

TEST(NodeKinds, PythonKeepsItsParentsPartitionsAndLineageStopsAtShuffles) {
  Graph g;
  int src = AddParallel(g, 3);
  int py = AddBuilt(g, MakePythonNode(g, src, "cmd", {}));
  EXPECT_EQ(Parents(g, py, 2), (std::vector<PartitionRef>{{src, 2}}));
  proto::Node bad = *MakePythonNode(g, src, "cmd", {});
  bad.set_num_partitions(2);
  EXPECT_FALSE(g.Add(bad).ok());

  int sh = AddBuilt(g, MakeShuffledNode(py, 2));
  int after = AddBuilt(g, MakePythonNode(g, sh, "cmd", {}));
  auto lineage = *g.BuildTaskLineage(after, 1);
  EXPECT_EQ(lineage.size(), 2u);  // the python node and the shuffled node, not the map side
  EXPECT_NE(Find(lineage, sh), nullptr);
  EXPECT_EQ(g.ShufflesRead(after), std::vector<int>{g.ShuffleOf(sh)});
  EXPECT_FALSE(MakeShuffledNode(py, -1).ok());
}

}  // namespace
}  // namespace ember::rdd
