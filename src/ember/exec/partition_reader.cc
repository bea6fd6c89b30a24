#include "ember/exec/partition_reader.h"

#include "ember/exec/cached_stream.h"
#include "ember/exec/python_stream.h"
#include "ember/exec/shuffle_read_stream.h"
#include "ember/io/codec.h"
#include "ember/io/line_reader.h"
#include "ember/rdd/graph.h"
#include "ember/shuffle/shuffle_files.h"
#include "ember/shuffle/shuffle_reader.h"

namespace ember::exec {

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

// One frame per file: [u32 path length][path][file bytes].
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

}  // namespace

PartitionReader::PartitionReader(const proto::TaskDescription& task, const ExecutorEnv& env,
                                 TaskContext* ctx)
    : task_(task), env_(env), ctx_(ctx) {
  for (const auto& n : task.nodes()) nodes_[n.id()] = &n;
}

Result<std::unique_ptr<FrameStream>> PartitionReader::Open(int node_id, int partition) {
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) return Internal("task lineage lacks node " + std::to_string(node_id));
  const proto::Node& n = *it->second;
  if (!n.has_storage() || !env_.blocks) return Compute(n, partition);
  storage::BlockId id{node_id, partition};
  ctx_->persisted_blocks.insert({node_id, partition});
  if (auto stored = env_.blocks->Get(id)) {
    auto block = OpenStoredBlock(env_.blocks, id, *stored);
    if (block.ok()) return block;  // else it vanished and was forgotten: compute it
  }
  if (auto remote = FetchCached(node_id, partition))
    return std::unique_ptr<FrameStream>(new VectorStream(std::move(*remote)));
  EMBER_ASSIGN_OR_RETURN(auto computed, Compute(n, partition));
  storage::Level level{n.storage().use_memory(), n.storage().use_disk()};
  return std::unique_ptr<FrameStream>(new CachingStream(std::move(computed), env_.blocks, id, level));
}

// The partition from another executor that has it cached, if any does.
std::optional<std::vector<Frame>> PartitionReader::FetchCached(int node_id, int partition) {
  if (!env_.fetcher) return std::nullopt;
  for (const auto& loc : task_.cached_locations()) {
    if (loc.node() != node_id || loc.partition() != partition) continue;
    proto::BlockRef ref;
    ref.set_node(node_id);
    ref.set_partition(partition);
    for (const auto& executor : loc.executors()) {
      auto address = task_.executor_addresses().find(executor);
      if (executor == env_.executor_id || address == task_.executor_addresses().end()) continue;
      if (auto frames = env_.fetcher->FetchCached(address->second, ref)) return frames;
    }
  }
  return std::nullopt;
}

Result<std::unique_ptr<FrameStream>> PartitionReader::Compute(const proto::Node& n, int partition) {
  int node_id = n.id();
  switch (n.kind_case()) {
    case proto::Node::kParallel: return OpenParallel(n.parallel(), partition);
    case proto::Node::kText: return OpenText(n.text(), partition);
    case proto::Node::kWholeFile: return OpenWholeFiles(n.whole_file(), partition);
    case proto::Node::kShuffled: return OpenShuffled(n.shuffled(), partition);
    case proto::Node::kUnionOf: return OpenUnion(n.union_of(), partition);
    case proto::Node::kCoalesce: return OpenCoalesce(n.coalesce(), partition);
    case proto::Node::kPair: return OpenPair(n, partition);
    case proto::Node::kCheckpoint: return OpenCheckpoint(n.checkpoint(), partition);
    case proto::Node::kPython: {
      EMBER_ASSIGN_OR_RETURN(auto parent, Open(n.python().parent(), partition));
      return std::unique_ptr<FrameStream>(
          new PythonStream(env_.pool, ctx_, n.python().command(), std::move(parent)));
    }
    default: return Internal("node " + std::to_string(node_id) + " has no kind");
  }
}

Result<std::unique_ptr<FrameStream>> PartitionReader::OpenParallel(const proto::ParallelNode& n,
                                                                   int p) {
  auto it = n.slices().find(p);
  if (it == n.slices().end()) return Internal("task lacks slice " + std::to_string(p));
  std::vector<Frame> frames;
  frames.push_back({FrameType::kPickleBatch, it->second});
  return std::unique_ptr<FrameStream>(new VectorStream(std::move(frames)));
}

Result<std::unique_ptr<FrameStream>> PartitionReader::OpenText(const proto::TextNode& n, int p) {
  auto it = n.splits().find(p);
  if (it == n.splits().end()) return Internal("task lacks text split " + std::to_string(p));
  io::TextSplit split{it->second.path(), it->second.start(), it->second.length()};
  EMBER_ASSIGN_OR_RETURN(auto reader, io::LineChunkReader::Open(split, n.use_unicode()));
  return std::unique_ptr<FrameStream>(new LineStream(
      std::move(reader), n.use_unicode() ? FrameType::kUtf8Lines : FrameType::kByteLines));
}

Result<std::unique_ptr<FrameStream>> PartitionReader::OpenWholeFiles(const proto::WholeFileNode& n,
                                                                     int p) {
  auto it = n.files().find(p);
  if (it == n.files().end()) return Internal("task lacks file list " + std::to_string(p));
  const proto::PathList* paths = &it->second;
  bool as_text = n.as_text();
  return std::unique_ptr<FrameStream>(new ConcatStream(
      paths->paths_size(), [paths, as_text](int i) -> Result<std::unique_ptr<FrameStream>> {
        EMBER_ASSIGN_OR_RETURN(Frame f, ReadWholeFile(paths->paths(i), as_text));
        std::vector<Frame> frames;
        frames.push_back(std::move(f));
        return std::unique_ptr<FrameStream>(new VectorStream(std::move(frames)));
      }));
}

Result<std::unique_ptr<FrameStream>> PartitionReader::OpenShuffled(const proto::ShuffledNode& n,
                                                                   int p) {
  return std::unique_ptr<FrameStream>(new ShuffleReadStream(n, p, task_.executor_addresses(), env_, ctx_));
}

Result<std::unique_ptr<FrameStream>> PartitionReader::OpenUnion(const proto::UnionNode& n, int p) {
  int offset = 0;
  for (int i = 0; i < n.parents_size(); ++i) {
    int count = n.parent_partitions(i);
    if (p < offset + count) return Open(n.parents(i), p - offset);
    offset += count;
  }
  return Internal("union partition " + std::to_string(p) + " out of range");
}

Result<std::unique_ptr<FrameStream>> PartitionReader::OpenCoalesce(const proto::CoalesceNode& n,
                                                                   int p) {
  auto it = n.groups().find(p);
  if (it == n.groups().end()) return Internal("task lacks coalesce group " + std::to_string(p));
  const proto::PartitionGroup* group = &it->second;
  int parent = n.parent();
  return std::unique_ptr<FrameStream>(new ConcatStream(
      group->parent_partitions_size(),
      [this, group, parent](int i) { return Open(parent, group->parent_partitions(i)); }));
}

Result<std::unique_ptr<FrameStream>> PartitionReader::OpenPair(const proto::Node& n, int p) {
  auto [first, second] = rdd::PairPartitions(n, p);
  const proto::PairNode* pair = &n.pair();
  return std::unique_ptr<FrameStream>(new ConcatStream(
      3, [this, pair, first = first, second = second](int i) -> Result<std::unique_ptr<FrameStream>> {
        if (i == 0) return Open(pair->second(), second);
        if (i == 2) return Open(pair->first(), first);
        std::vector<Frame> section;
        section.push_back({FrameType::kSection, {}});
        return std::unique_ptr<FrameStream>(new VectorStream(std::move(section)));
      }));
}

Result<std::unique_ptr<FrameStream>> PartitionReader::OpenCheckpoint(const proto::CheckpointNode& n,
                                                                     int p) {
  auto file = n.files().find(p);
  if (file == n.files().end()) return Internal("checkpoint has no partition " + std::to_string(p));
  auto stream = OpenStoredBlock(nullptr, {}, {nullptr, file->second});
  if (!stream.ok()) return NotFound("checkpoint file " + file->second + " is missing: " +
                                    stream.status().message());
  return stream;
}

}  // namespace ember::exec
