#include "ember/rdd/binary_records_node.h"

#include "ember/io/file_list.h"
#include "ember/io/file_system.h"
#include "ember/io/text_split.h"
#include "ember/rdd/split_map.h"

namespace ember::rdd {

namespace {
constexpr size_t kFrameBytes = 64 * 1024;
}  // namespace

Result<proto::Node> MakeBinaryRecordsNode(const std::string& paths, int record_length, int min_partitions) {
  if (record_length <= 0)
    return InvalidArgument("binaryRecords: the record length must be positive, got " + std::to_string(record_length));
  EMBER_ASSIGN_OR_RETURN(auto files, io::ListInputFiles(paths));
  for (const auto& f : files) {
    if (io::CodecForPath(f.path) != io::Codec::kNone)
      return InvalidArgument("binaryRecords does not read compressed files: " + f.path);
    if (f.size % record_length != 0)
      return InvalidArgument("binaryRecords: " + f.path + " is " + std::to_string(f.size) +
                             " bytes, not a multiple of the record length " + std::to_string(record_length) +
                             " (a partial record of " + std::to_string(f.size % record_length) + " bytes at byte " +
                             std::to_string(f.size - f.size % record_length) + ")");
  }
  auto splits = io::ComputeFileSplits(files, min_partitions, record_length);
  proto::Node n;
  n.set_num_partitions(static_cast<int>(splits.size()));
  auto* br = n.mutable_binary_records();
  br->set_record_length(record_length);
  FillSplitMap(splits, br->mutable_splits());
  return n;
}

namespace {

// The records of [first, last) record-aligned bytes of one file.
class RecordStream : public FrameStream {
 public:
  RecordStream(std::unique_ptr<io::InputStream> in, std::string path, int record_length, int64_t bytes)
      : in_(std::move(in)), path_(std::move(path)), record_length_(record_length), left_(bytes) {}
  Result<bool> Next(Frame* frame) override {
    if (left_ == 0) return false;
    size_t per_frame = std::max<size_t>(1, kFrameBytes / record_length_) * record_length_;
    size_t want = static_cast<size_t>(std::min<int64_t>(left_, static_cast<int64_t>(per_frame)));
    frame->type = FrameType::kFixedRecords;
    frame->data.resize(4 + want);
    for (int i = 0; i < 4; ++i) frame->data[i] = static_cast<char>((record_length_ >> (8 * i)) & 0xff);
    size_t got = 0;
    while (got < want) {
      EMBER_ASSIGN_OR_RETURN(size_t n, in_->Read(frame->data.data() + 4 + got, want - got));
      if (n == 0) return Corrupt("binaryRecords: " + path_ + " ended early (changed while read?)");
      got += n;
    }
    left_ -= static_cast<int64_t>(want);
    return true;
  }

 private:
  std::unique_ptr<io::InputStream> in_;
  std::string path_;
  int record_length_;
  int64_t left_;
};

class BinaryRecordsKind : public NodeKind {
 public:
  void CopyShape(const proto::Node& node, proto::Node* out) const override {
    out->mutable_binary_records()->set_record_length(node.binary_records().record_length());
  }
  void CopyPartition(const proto::Node& node, int p, proto::Node* out) const override {
    CopyEntry(node.binary_records().splits(), p, out->mutable_binary_records()->mutable_splits());
  }
  Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p, PartitionInputs&) const override {
    const proto::BinaryRecordsNode& n = node.binary_records();
    auto it = n.splits().find(p);
    if (it == n.splits().end()) return Internal("task lacks binary records split " + std::to_string(p));
    const proto::TextSplit& split = it->second;
    int64_t len = n.record_length();
    // Records starting in [start, start + length): from the first boundary
    // at or after start to the first at or after the end.
    int64_t first = (split.start() + len - 1) / len * len;
    int64_t last = (split.start() + split.length() + len - 1) / len * len;
    EMBER_ASSIGN_OR_RETURN(auto fs, io::FileSystemFor(split.path()));
    EMBER_ASSIGN_OR_RETURN(auto in, fs->OpenSequential(split.path(), first));
    return std::unique_ptr<FrameStream>(
        new RecordStream(std::move(in), split.path(), n.record_length(), std::max<int64_t>(0, last - first)));
  }
};

}  // namespace

const NodeKind& BinaryRecordsNodeKind() {
  static const BinaryRecordsKind kind;
  return kind;
}

}  // namespace ember::rdd
