#include "ember/exec/partition_reader.h"

#include "ember/exec/cached_stream.h"
#include "ember/exec/input_meter.h"
#include "ember/exec/python_stream.h"
#include "ember/exec/shuffle_read_stream.h"

namespace ember::exec {

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
    if (block.ok()) return Metered(std::move(*block));  // else it vanished and was forgotten: compute it
  }
  if (auto remote = FetchCached(node_id, partition))
    return Metered(std::make_unique<VectorStream>(std::move(*remote)));
  EMBER_ASSIGN_OR_RETURN(auto computed, Compute(n, partition));
  storage::Level level{n.storage().use_memory(), n.storage().use_disk()};
  return std::unique_ptr<FrameStream>(new CachingStream(std::move(computed), env_.blocks, id, level));
}

// A source's partition (a node reading no other node's, not a shuffle) is
// input for the task metrics; so is a cached block (Metered).
Result<std::unique_ptr<FrameStream>> PartitionReader::Compute(const proto::Node& n, int partition) {
  const auto& kind = rdd::KindOf(n);
  EMBER_ASSIGN_OR_RETURN(auto stream, kind.Open(n, partition, *this));
  if (n.has_shuffled() || !kind.NarrowParents(n).empty()) return stream;
  return Metered(std::move(stream));
}

std::unique_ptr<FrameStream> PartitionReader::Metered(std::unique_ptr<FrameStream> input) {
  return std::make_unique<InputMeter>(std::move(input), ctx_);
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

Result<std::unique_ptr<FrameStream>> PartitionReader::RunPython(const std::string& command,
                                                                int partition,
                                                                std::unique_ptr<FrameStream> input) {
  return std::unique_ptr<FrameStream>(
      new PythonStream(env_.pool, ctx_, command, partition, std::move(input)));
}

Result<std::unique_ptr<FrameStream>> PartitionReader::ReadShuffle(const proto::ShuffledNode& node,
                                                                  int bucket) {
  return std::unique_ptr<FrameStream>(
      new ShuffleReadStream(node, bucket, task_.executor_addresses(), env_, ctx_));
}

}  // namespace ember::exec
