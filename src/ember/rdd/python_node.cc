#include "ember/rdd/python_node.h"

namespace ember::rdd {

Result<proto::Node> MakePythonNode(const Graph& graph, int parent, std::string command,
                                   std::vector<int64_t> broadcast_ids, bool barrier) {
  EMBER_ASSIGN_OR_RETURN(int parts, graph.NumPartitions(parent));
  proto::Node n;
  n.set_num_partitions(parts);
  n.mutable_python()->set_parent(parent);
  n.mutable_python()->set_command(std::move(command));
  n.mutable_python()->mutable_broadcast_ids()->Add(broadcast_ids.begin(), broadcast_ids.end());
  n.mutable_python()->set_barrier(barrier);
  return n;
}

namespace {

class PythonKind : public NodeKind {
 public:
  std::vector<int> NarrowParents(const proto::Node& node) const override { return {node.python().parent()}; }
  std::vector<PartitionRef> ParentPartitions(const proto::Node& node, int p) const override {
    return {{node.python().parent(), p}};
  }
  Status Validate(const proto::Node& node, const NodeLookup& nodes) const override {
    if (nodes(node.python().parent())->num_partitions() != node.num_partitions())
      return Internal("python node must keep its parent's partition count");
    return Status::OK();
  }
  void CopyShape(const proto::Node& node, proto::Node* out) const override {
    *out->mutable_python() = node.python();
  }
  Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p,
                                            PartitionInputs& inputs) const override {
    EMBER_ASSIGN_OR_RETURN(auto parent, inputs.Open(node.python().parent(), p));
    return inputs.RunPython(node.python().command(), p, std::move(parent));
  }
};

}  // namespace

const NodeKind& PythonNodeKind() {
  static const PythonKind kind;
  return kind;
}

}  // namespace ember::rdd
