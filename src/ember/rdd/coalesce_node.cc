#include "ember/rdd/coalesce_node.h"

namespace ember::rdd {

Result<proto::Node> MakeCoalesceNode(const Graph& graph, int parent,
                                     const std::vector<std::vector<int>>& groups) {
  EMBER_ASSIGN_OR_RETURN(int parts, graph.NumPartitions(parent));
  proto::Node n;
  n.set_num_partitions(static_cast<int>(groups.size()));
  auto* c = n.mutable_coalesce();
  c->set_parent(parent);
  for (size_t g = 0; g < groups.size(); ++g) {
    auto& group = (*c->mutable_groups())[static_cast<int>(g)];
    for (int p : groups[g]) {
      if (p < 0 || p >= parts) return Internal("coalesce group names a missing partition");
      group.add_parent_partitions(p);
    }
  }
  return n;
}

namespace {

class CoalesceKind : public NodeKind {
 public:
  std::vector<int> NarrowParents(const proto::Node& node) const override { return {node.coalesce().parent()}; }
  std::vector<PartitionRef> ParentPartitions(const proto::Node& node, int p) const override {
    auto g = node.coalesce().groups().find(p);
    if (g == node.coalesce().groups().end()) return {};
    std::vector<PartitionRef> out;
    for (int pp : g->second.parent_partitions()) out.push_back({node.coalesce().parent(), pp});
    return out;
  }
  void CopyShape(const proto::Node& node, proto::Node* out) const override {
    out->mutable_coalesce()->set_parent(node.coalesce().parent());
  }
  void CopyPartition(const proto::Node& node, int p, proto::Node* out) const override {
    CopyEntry(node.coalesce().groups(), p, out->mutable_coalesce()->mutable_groups());
  }
  // The group's parent partitions in order, opened one at a time.
  Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p,
                                            PartitionInputs& inputs) const override {
    if (!node.coalesce().groups().count(p)) return Internal("task lacks coalesce group " + std::to_string(p));
    auto parents = ParentPartitions(node, p);
    return std::unique_ptr<FrameStream>(new ConcatStream(
        static_cast<int>(parents.size()),
        [&inputs, parents](int i) { return inputs.Open(parents[i].node, parents[i].partition); }));
  }
};

}  // namespace

const NodeKind& CoalesceNodeKind() {
  static const CoalesceKind kind;
  return kind;
}

}  // namespace ember::rdd
