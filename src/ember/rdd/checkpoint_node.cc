#include "ember/rdd/checkpoint_node.h"

#include "ember/common/frame_file.h"
#include "ember/io/file_system.h"

namespace ember::rdd {

Result<proto::Node> MakeCheckpointNode(const std::vector<std::string>& files) {
  proto::Node n;
  n.set_num_partitions(static_cast<int>(files.size()));
  for (size_t p = 0; p < files.size(); ++p) {
    EMBER_ASSIGN_OR_RETURN(auto fs, io::FileSystemFor(files[p]));
    auto st = fs->Stat(files[p]);
    if (!st.ok() && st.status().code() == StatusCode::kNotFound)
      return NotFound("checkpoint file " + files[p] + " does not exist");
    EMBER_RETURN_IF_ERROR(st.status());
    (*n.mutable_checkpoint()->mutable_files())[static_cast<int>(p)] = files[p];
  }
  return n;
}

namespace {

// A checkpoint file on its file system, its checksum checked at the end.
class FrameFileStream : public FrameStream {
 public:
  FrameFileStream(std::unique_ptr<io::InputStream> in, const std::string& path)
      : in_(std::move(in)), reader_([this](char* buf, size_t n) { return in_->Read(buf, n); }, path) {}
  Result<bool> Next(Frame* frame) override { return reader_.Next(frame); }

 private:
  std::unique_ptr<io::InputStream> in_;
  FrameFileReader reader_;
};

class CheckpointKind : public NodeKind {
 public:
  void CopyShape(const proto::Node& node, proto::Node* out) const override { out->mutable_checkpoint(); }
  void CopyPartition(const proto::Node& node, int p, proto::Node* out) const override {
    CopyEntry(node.checkpoint().files(), p, out->mutable_checkpoint()->mutable_files());
  }
  Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p, PartitionInputs&) const override {
    auto file = node.checkpoint().files().find(p);
    if (file == node.checkpoint().files().end())
      return Internal("checkpoint has no partition " + std::to_string(p));
    auto fs = io::FileSystemFor(file->second);
    auto in = fs.ok() ? (*fs)->OpenSequential(file->second, 0) : fs.status();
    if (!in.ok()) return NotFound("checkpoint file " + file->second + " is missing: " + in.status().message());
    return std::unique_ptr<FrameStream>(new FrameFileStream(std::move(in).value(), file->second));
  }
};

}  // namespace

const NodeKind& CheckpointNodeKind() {
  static const CheckpointKind kind;
  return kind;
}

}  // namespace ember::rdd
