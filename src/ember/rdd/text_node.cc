#include "ember/rdd/text_node.h"

#include "ember/io/file_list.h"
#include "ember/io/line_reader.h"
#include "ember/io/text_split.h"

namespace ember::rdd {

Result<proto::Node> MakeTextNode(const std::string& paths, int min_partitions, bool use_unicode) {
  EMBER_ASSIGN_OR_RETURN(auto files, io::ListInputFiles(paths));
  auto splits = io::ComputeTextSplits(files, min_partitions);
  proto::Node n;
  n.set_num_partitions(static_cast<int>(splits.size()));
  auto* text = n.mutable_text();
  text->set_use_unicode(use_unicode);
  for (size_t i = 0; i < splits.size(); ++i) {
    proto::TextSplit s;
    s.set_path(splits[i].path);
    s.set_start(splits[i].start);
    s.set_length(splits[i].length);
    (*text->mutable_splits())[static_cast<int>(i)] = s;
  }
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

class TextKind : public NodeKind {
 public:
  void CopyShape(const proto::Node& node, proto::Node* out) const override {
    out->mutable_text()->set_use_unicode(node.text().use_unicode());
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
