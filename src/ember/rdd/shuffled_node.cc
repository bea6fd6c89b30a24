#include "ember/rdd/shuffled_node.h"

namespace ember::rdd {

Result<proto::Node> MakeShuffledNode(int map_node, int num_partitions) {
  if (num_partitions < 0) return InvalidArgument("number of partitions must not be negative, got " +
                                                 std::to_string(num_partitions));
  proto::Node n;
  n.set_num_partitions(num_partitions);
  n.mutable_shuffled()->set_map_node(map_node);
  return n;
}

namespace {

// No narrow parents: a stage boundary, whose map-side node runs in an
// earlier stage.
class ShuffledKind : public NodeKind {
 public:
  Status Validate(const proto::Node& node, const NodeLookup& nodes) const override {
    if (!nodes(node.shuffled().map_node()))
      return Internal("unknown map-side node " + std::to_string(node.shuffled().map_node()));
    return Status::OK();
  }
  void CopyShape(const proto::Node& node, proto::Node* out) const override {
    *out->mutable_shuffled() = node.shuffled();
  }
  Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p,
                                            PartitionInputs& inputs) const override {
    return inputs.ReadShuffle(node.shuffled(), p);
  }
};

}  // namespace

const NodeKind& ShuffledNodeKind() {
  static const ShuffledKind kind;
  return kind;
}

}  // namespace ember::rdd
