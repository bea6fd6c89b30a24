#include "ember/rdd/parallel_node.h"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace ember::rdd {

proto::Node MakeParallelNode(std::vector<std::string> slices) {
  proto::Node n;
  n.set_num_partitions(static_cast<int>(slices.size()));
  auto* par = n.mutable_parallel();
  for (size_t i = 0; i < slices.size(); ++i) (*par->mutable_slices())[static_cast<int>(i)] = std::move(slices[i]);
  return n;
}

namespace {

// The frames of one slice, read in place from the task's copy of it: a
// task holds its slice once and copies a batch at a time on its way to the
// worker (the task's node outlives the streams opened from it).
class SliceStream : public FrameStream {
 public:
  explicit SliceStream(std::string_view slice)
      : rest_(slice), reader_([this](char* buf, size_t n) -> Result<size_t> {
          size_t k = std::min(n, rest_.size());
          std::memcpy(buf, rest_.data(), k);
          rest_.remove_prefix(k);
          return k;
        }) {}
  Result<bool> Next(Frame* frame) override { return reader_.Next(frame); }

 private:
  std::string_view rest_;
  FrameReader reader_;
};

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
    return std::unique_ptr<FrameStream>(std::make_unique<SliceStream>(it->second));
  }
};

}  // namespace

const NodeKind& ParallelNodeKind() {
  static const ParallelKind kind;
  return kind;
}

}  // namespace ember::rdd
