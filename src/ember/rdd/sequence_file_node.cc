#include "ember/rdd/sequence_file_node.h"

#include "ember/io/file_list.h"
#include "ember/io/file_system.h"
#include "ember/io/sequence_file.h"
#include "ember/io/text_split.h"
#include "ember/rdd/split_map.h"
#include "ember/io/writable_pairs.h"

namespace ember::rdd {

namespace {
constexpr int64_t kSyncInterval = 2000;  // SequenceFileInputFormat's minimum split size
constexpr size_t kFrameBytes = 64 * 1024;
}  // namespace

Result<proto::Node> MakeSequenceFileNode(const std::string& paths, int min_partitions,
                                         const std::string& key_class, const std::string& value_class) {
  EMBER_ASSIGN_OR_RETURN(auto files, io::ListInputFiles(paths));
  auto splits = io::ComputeFileSplits(files, min_partitions, kSyncInterval);
  proto::Node n;
  n.set_num_partitions(static_cast<int>(splits.size()));
  auto* seq = n.mutable_sequence_file();
  seq->set_key_class(key_class);
  seq->set_value_class(value_class);
  FillSplitMap(splits, seq->mutable_splits());
  return n;
}

namespace {

Status CheckClass(const std::string& path, const char* what, const std::string& found,
                  const std::string& expected) {
  if (expected.empty() || found == expected) return Status::OK();
  return InvalidArgument("SequenceFile " + path + " holds " + what + " of class " + found + ", not " + expected);
}

class RecordStream : public FrameStream {
 public:
  RecordStream(std::unique_ptr<io::SequenceFileReader> reader, const io::SequenceFileHeader& h)
      : reader_(std::move(reader)), pairs_(h.key_class, h.value_class) {}
  Result<bool> Next(Frame* frame) override {
    std::string key, value;
    while (!done_ && pairs_.bytes() < kFrameBytes) {
      EMBER_ASSIGN_OR_RETURN(bool more, reader_->Next(&key, &value));
      if (!more) done_ = true;
      else pairs_.Add(key, value);
    }
    if (pairs_.records() == 0) return false;
    frame->type = FrameType::kWritablePairs;
    frame->data = pairs_.Take();
    return true;
  }

 private:
  std::unique_ptr<io::SequenceFileReader> reader_;
  io::WritablePairsBuilder pairs_;
  bool done_ = false;
};

class SequenceFileKind : public NodeKind {
 public:
  void CopyShape(const proto::Node& node, proto::Node* out) const override {
    out->mutable_sequence_file()->set_key_class(node.sequence_file().key_class());
    out->mutable_sequence_file()->set_value_class(node.sequence_file().value_class());
  }
  void CopyPartition(const proto::Node& node, int p, proto::Node* out) const override {
    CopyEntry(node.sequence_file().splits(), p, out->mutable_sequence_file()->mutable_splits());
  }
  Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p, PartitionInputs&) const override {
    const proto::SequenceFileNode& n = node.sequence_file();
    auto it = n.splits().find(p);
    if (it == n.splits().end()) return Internal("task lacks sequence file split " + std::to_string(p));
    const proto::TextSplit& split = it->second;
    EMBER_ASSIGN_OR_RETURN(auto fs, io::FileSystemFor(split.path()));
    EMBER_ASSIGN_OR_RETURN(std::shared_ptr<io::ByteSource> source, fs->OpenRead(split.path()));
    int64_t end = split.length() < 0 ? -1 : split.start() + split.length();
    EMBER_ASSIGN_OR_RETURN(auto reader, io::SequenceFileReader::Open(source, split.start(), end));
    const io::SequenceFileHeader& h = reader->header();
    EMBER_RETURN_IF_ERROR(CheckClass(split.path(), "keys", h.key_class, n.key_class()));
    EMBER_RETURN_IF_ERROR(CheckClass(split.path(), "values", h.value_class, n.value_class()));
    io::SequenceFileHeader header = h;
    return std::unique_ptr<FrameStream>(new RecordStream(std::move(reader), header));
  }
};

}  // namespace

const NodeKind& SequenceFileNodeKind() {
  static const SequenceFileKind kind;
  return kind;
}

}  // namespace ember::rdd
