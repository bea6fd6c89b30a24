#include "ember/rdd/text_node.h"

#include "ember/io/file_list.h"
#include "ember/io/line_reader.h"
#include "ember/io/text_split.h"
#include "ember/rdd/split_map.h"
#include "ember/io/writable_pairs.h"
#include "ember/io/writables.h"

namespace ember::rdd {

Result<proto::Node> MakeTextNode(const std::string& paths, int min_partitions, bool use_unicode,
                                 bool with_offsets) {
  EMBER_ASSIGN_OR_RETURN(auto files, io::ListInputFiles(paths));
  auto splits = io::ComputeTextSplits(files, min_partitions);
  proto::Node n;
  n.set_num_partitions(static_cast<int>(splits.size()));
  auto* text = n.mutable_text();
  text->set_use_unicode(use_unicode);
  text->set_with_offsets(with_offsets);
  FillSplitMap(splits, text->mutable_splits());
  return n;
}

namespace {

class LineStream : public FrameStream {
 public:
  LineStream(std::unique_ptr<io::LineChunkReader> r, FrameType t) : reader_(std::move(r)), type_(t) {}
  Result<bool> Next(Frame* frame) override {
    frame->type = type_;
    return reader_->Next(&frame->data);
  }

 private:
  std::unique_ptr<io::LineChunkReader> reader_;
  FrameType type_;
};

// One line per read, each with its offset.
class OffsetLineStream : public FrameStream {
 public:
  explicit OffsetLineStream(std::unique_ptr<io::LineChunkReader> r)
      : reader_(std::move(r)), pairs_("org.apache.hadoop.io.LongWritable", "org.apache.hadoop.io.Text") {}
  Result<bool> Next(Frame* frame) override {
    std::string line;
    while (!done_ && pairs_.bytes() < kFrameBytes) {
      EMBER_ASSIGN_OR_RETURN(bool more, reader_->Next(&line));
      if (!more) done_ = true;
      else pairs_.Add(io::SerializeLong(reader_->chunk_offset()), io::SerializeText(line));
    }
    if (pairs_.records() == 0) return false;
    frame->type = FrameType::kWritablePairs;
    frame->data = pairs_.Take();
    return true;
  }

 private:
  static constexpr size_t kFrameBytes = 64 * 1024;
  std::unique_ptr<io::LineChunkReader> reader_;
  io::WritablePairsBuilder pairs_;
  bool done_ = false;
};

class TextKind : public NodeKind {
 public:
  void CopyShape(const proto::Node& node, proto::Node* out) const override {
    out->mutable_text()->set_use_unicode(node.text().use_unicode());
    out->mutable_text()->set_with_offsets(node.text().with_offsets());
  }
  void CopyPartition(const proto::Node& node, int p, proto::Node* out) const override {
    CopyEntry(node.text().splits(), p, out->mutable_text()->mutable_splits());
  }
  Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p,
                                            PartitionInputs& inputs) const override {
    const proto::TextNode& n = node.text();
    auto it = n.splits().find(p);
    if (it == n.splits().end()) return Internal("task lacks text split " + std::to_string(p));
    io::TextSplit split{it->second.path(), it->second.start(), it->second.length()};
    if (n.with_offsets()) {
      EMBER_ASSIGN_OR_RETURN(auto reader, io::LineChunkReader::Open(split, true, 0));
      return std::unique_ptr<FrameStream>(new OffsetLineStream(std::move(reader)));
    }
    EMBER_ASSIGN_OR_RETURN(auto reader, io::LineChunkReader::Open(split, n.use_unicode()));
    return std::unique_ptr<FrameStream>(new LineStream(
        std::move(reader), n.use_unicode() ? FrameType::kUtf8Lines : FrameType::kByteLines));
  }
};

}  // namespace

const NodeKind& TextNodeKind() {
  static const TextKind kind;
  return kind;
}

}  // namespace ember::rdd
