#include "ember/rdd/pair_node.h"

namespace ember::rdd {

Result<proto::Node> MakePairNode(const Graph& graph, int first, int second, bool cartesian) {
  EMBER_ASSIGN_OR_RETURN(int n1, graph.NumPartitions(first));
  EMBER_ASSIGN_OR_RETURN(int n2, graph.NumPartitions(second));
  if (!cartesian && n1 != n2)
    return InvalidArgument("Can only zip RDDs with the same number of partitions (" +
                           std::to_string(n1) + " and " + std::to_string(n2) + ")");
  proto::Node n;
  n.set_num_partitions(cartesian ? n1 * n2 : n1);
  auto* pn = n.mutable_pair();
  pn->set_first(first);
  pn->set_second(second);
  pn->set_cartesian(cartesian);
  pn->set_second_partitions(n2);
  return n;
}

namespace {

class PairKind : public NodeKind {
 public:
  std::vector<int> NarrowParents(const proto::Node& node) const override {
    return {node.pair().first(), node.pair().second()};
  }
  // {first parent's partition, second parent's partition}.
  std::vector<PartitionRef> ParentPartitions(const proto::Node& node, int p) const override {
    const auto& pn = node.pair();
    if (!pn.cartesian()) return {{pn.first(), p}, {pn.second(), p}};
    int n2 = pn.second_partitions();
    return {{pn.first(), p / n2}, {pn.second(), p % n2}};
  }
  void CopyShape(const proto::Node& node, proto::Node* out) const override {
    *out->mutable_pair() = node.pair();
  }
  Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p,
                                            PartitionInputs& inputs) const override {
    auto parents = ParentPartitions(node, p);
    PartitionRef first = parents[0], second = parents[1];
    return std::unique_ptr<FrameStream>(
        new ConcatStream(3, [&inputs, first, second](int i) -> Result<std::unique_ptr<FrameStream>> {
          if (i == 0) return inputs.Open(second.node, second.partition);
          if (i == 2) return inputs.Open(first.node, first.partition);
          return SingleFrameStream({FrameType::kSection, {}});
        }));
  }
};

}  // namespace

const NodeKind& PairNodeKind() {
  static const PairKind kind;
  return kind;
}

}  // namespace ember::rdd
