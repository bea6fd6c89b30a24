#include "ember/rdd/whole_file_node.h"

#include <algorithm>

#include "ember/io/codec.h"
#include "ember/io/file_list.h"
#include "ember/io/line_reader.h"

namespace ember::rdd {

Result<proto::Node> MakeWholeFileNode(const std::string& paths, int min_partitions, bool as_text) {
  EMBER_ASSIGN_OR_RETURN(auto files, io::ListInputFiles(paths));
  int parts = std::max(1, std::min(min_partitions, static_cast<int>(files.size())));
  proto::Node n;
  n.set_num_partitions(files.empty() ? 0 : parts);
  auto* wf = n.mutable_whole_file();
  wf->set_as_text(as_text);
  for (size_t i = 0; i < files.size(); ++i) {
    int p = static_cast<int>(i * static_cast<size_t>(parts) / files.size());
    (*wf->mutable_files())[p].add_paths(files[i].path);
  }
  return n;
}

namespace {

Result<Frame> ReadWholeFile(const std::string& path, bool as_text) {
  EMBER_ASSIGN_OR_RETURN(auto in, io::OpenInput(path));
  Frame f{as_text ? FrameType::kTextFile : FrameType::kBinaryFile, {}};
  uint32_t n = static_cast<uint32_t>(path.size());
  for (int i = 0; i < 4; ++i) f.data.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  f.data += path;
  size_t header = f.data.size();
  char buf[1 << 16];
  for (;;) {
    EMBER_ASSIGN_OR_RETURN(size_t got, in->Read(buf, sizeof buf));
    if (got == 0) break;
    f.data.append(buf, got);
  }
  size_t bad = 0;
  if (as_text && !io::ValidateUtf8(std::string_view(f.data).substr(header), &bad))
    return Corrupt("invalid UTF-8 in " + path + " at byte " + std::to_string(bad) +
                   " (use_unicode=False reads bytes)");
  return f;
}

class WholeFileKind : public NodeKind {
 public:
  void CopyShape(const proto::Node& node, proto::Node* out) const override {
    out->mutable_whole_file()->set_as_text(node.whole_file().as_text());
  }
  void CopyPartition(const proto::Node& node, int p, proto::Node* out) const override {
    CopyEntry(node.whole_file().files(), p, out->mutable_whole_file()->mutable_files());
  }
  // Files are read one at a time, as the stream reaches them.
  Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p,
                                            PartitionInputs& inputs) const override {
    auto it = node.whole_file().files().find(p);
    if (it == node.whole_file().files().end()) return Internal("task lacks file list " + std::to_string(p));
    const proto::PathList* paths = &it->second;
    bool as_text = node.whole_file().as_text();
    return std::unique_ptr<FrameStream>(new ConcatStream(
        paths->paths_size(), [paths, as_text](int i) -> Result<std::unique_ptr<FrameStream>> {
          EMBER_ASSIGN_OR_RETURN(Frame f, ReadWholeFile(paths->paths(i), as_text));
          return SingleFrameStream(std::move(f));
        }));
  }
};

}  // namespace

const NodeKind& WholeFileNodeKind() {
  static const WholeFileKind kind;
  return kind;
}

}  // namespace ember::rdd
