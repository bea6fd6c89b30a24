#include "ember/rdd/union_node.h"

namespace ember::rdd {

Result<proto::Node> MakeUnionNode(const Graph& graph, const std::vector<int>& parents) {
  proto::Node n;
  int total = 0;
  for (int p : parents) {
    EMBER_ASSIGN_OR_RETURN(int parts, graph.NumPartitions(p));
    n.mutable_union_of()->add_parents(p);
    n.mutable_union_of()->add_parent_partitions(parts);
    total += parts;
  }
  n.set_num_partitions(total);
  return n;
}

namespace {

class UnionKind : public NodeKind {
 public:
  std::vector<int> NarrowParents(const proto::Node& node) const override {
    return {node.union_of().parents().begin(), node.union_of().parents().end()};
  }
  std::vector<PartitionRef> ParentPartitions(const proto::Node& node, int p) const override {
    const auto& u = node.union_of();
    int offset = 0;
    for (int i = 0; i < u.parents_size(); ++i) {
      if (p < offset + u.parent_partitions(i)) return {{u.parents(i), p - offset}};
      offset += u.parent_partitions(i);
    }
    return {};
  }
  void CopyShape(const proto::Node& node, proto::Node* out) const override {
    *out->mutable_union_of() = node.union_of();
  }
  Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p,
                                            PartitionInputs& inputs) const override {
    auto parents = ParentPartitions(node, p);
    if (parents.empty()) return Internal("union partition " + std::to_string(p) + " out of range");
    return inputs.Open(parents[0].node, parents[0].partition);
  }
};

}  // namespace

const NodeKind& UnionNodeKind() {
  static const UnionKind kind;
  return kind;
}

}  // namespace ember::rdd
