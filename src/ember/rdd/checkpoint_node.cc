#include "ember/rdd/checkpoint_node.h"

#include "ember/common/file_util.h"

namespace ember::rdd {

Result<proto::Node> MakeCheckpointNode(const std::vector<std::string>& files) {
  proto::Node n;
  n.set_num_partitions(static_cast<int>(files.size()));
  for (size_t p = 0; p < files.size(); ++p) {
    if (!PathExists(files[p])) return NotFound("checkpoint file " + files[p] + " does not exist");
    (*n.mutable_checkpoint()->mutable_files())[static_cast<int>(p)] = files[p];
  }
  return n;
}

namespace {

class CheckpointKind : public NodeKind {
 public:
  void CopyShape(const proto::Node& node, proto::Node* out) const override { out->mutable_checkpoint(); }
  void CopyPartition(const proto::Node& node, int p, proto::Node* out) const override {
    CopyEntry(node.checkpoint().files(), p, out->mutable_checkpoint()->mutable_files());
  }
  Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p,
                                            PartitionInputs& inputs) const override {
    auto file = node.checkpoint().files().find(p);
    if (file == node.checkpoint().files().end())
      return Internal("checkpoint has no partition " + std::to_string(p));
    auto stream = inputs.OpenFrameFile(file->second);
    if (!stream.ok())
      return NotFound("checkpoint file " + file->second + " is missing: " + stream.status().message());
    return stream;
  }
};

}  // namespace

const NodeKind& CheckpointNodeKind() {
  static const CheckpointKind kind;
  return kind;
}

}  // namespace ember::rdd
