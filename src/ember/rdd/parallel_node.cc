#include "ember/rdd/parallel_node.h"

namespace ember::rdd {

proto::Node MakeParallelNode(std::vector<std::string> slices) {
  proto::Node n;
  n.set_num_partitions(static_cast<int>(slices.size()));
  auto* par = n.mutable_parallel();
  for (size_t i = 0; i < slices.size(); ++i) (*par->mutable_slices())[static_cast<int>(i)] = std::move(slices[i]);
  return n;
}

namespace {

class ParallelKind : public NodeKind {
 public:
  void CopyShape(const proto::Node& node, proto::Node* out) const override { out->mutable_parallel(); }
  void CopyPartition(const proto::Node& node, int p, proto::Node* out) const override {
    CopyEntry(node.parallel().slices(), p, out->mutable_parallel()->mutable_slices());
  }
  Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p,
                                            PartitionInputs& inputs) const override {
    auto it = node.parallel().slices().find(p);
    if (it == node.parallel().slices().end()) return Internal("task lacks slice " + std::to_string(p));
    return SingleFrameStream({FrameType::kPickleBatch, it->second});
  }
};

}  // namespace

const NodeKind& ParallelNodeKind() {
  static const ParallelKind kind;
  return kind;
}

}  // namespace ember::rdd
