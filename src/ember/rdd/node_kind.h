// NodeKind: everything the engine knows about one kind of RDD node (one
// case of `Node.kind` in ember.proto), so that each kind has one home:
// which parents it reads, which parent partitions each of its partitions
// reads, how a task's lineage copy of it is cut down to one partition, and
// how an executor opens a partition of it.
//
// Contract: KindOf() returns the kind of any node, a node without a kind
// included (it opens to an Internal error); kinds are stateless singletons,
// registered in node_kinds.cc. The graph (graph.h) uses NarrowParents,
// ParentPartitions, Validate and the Copy* methods; the executor's
// PartitionReader implements PartitionInputs and calls Open. A kind whose
// partitions carry data (slices, splits, file lists, groups) leaves it out
// of CopyShape and adds one partition's worth in CopyPartition: a task
// carries only what it reads (copying whole and then clearing would cost
// O(partitions) per task, O(partitions^2) per job). A shuffled node is the
// one wide dependency: its kind names no parent, the graph registers its
// shuffle.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ember/common/frame_stream.h"
#include "ember/common/status.h"
#include "ember.pb.h"

namespace ember::rdd {

// Partition `partition` of node `node`.
struct PartitionRef {
  int node = 0;
  int partition = 0;
  bool operator==(const PartitionRef&) const = default;
};

// A node already in the graph by id, or nullptr.
using NodeLookup = std::function<const proto::Node*(int id)>;

// What opening a partition may need from the executor running the task.
// Implemented by exec::PartitionReader, which knows the task's lineage,
// block store, Python workers and shuffle files.
class PartitionInputs {
 public:
  virtual ~PartitionInputs() = default;
  // A partition of another node of the task's lineage, read from the block
  // store when that node is persisted and the partition is cached.
  virtual Result<std::unique_ptr<FrameStream>> Open(int node, int partition) = 0;
  // `command` (a pickled pipeline) run by a pooled Python worker over
  // `input`, partition `partition` of the node the command belongs to (its
  // split, which is not the task's partition under a union or coalesce).
  virtual Result<std::unique_ptr<FrameStream>> RunPython(const std::string& command, int partition,
                                                         std::unique_ptr<FrameStream> input) = 0;
  // Bucket `bucket` of every map output the shuffled node lists.
  virtual Result<std::unique_ptr<FrameStream>> ReadShuffle(const proto::ShuffledNode& node,
                                                           int bucket) = 0;
};

class NodeKind {
 public:
  virtual ~NodeKind() = default;

  // The nodes whose partitions this node reads directly (its narrow dependencies).
  virtual std::vector<int> NarrowParents(const proto::Node& node) const { return {}; }
  // The parent partitions partition `p` reads (in the order the kind
  // documents); empty when `node` does not carry partition `p`'s data.
  virtual std::vector<PartitionRef> ParentPartitions(const proto::Node& node, int p) const {
    return {};
  }
  // Checks beyond "every narrow parent exists" (which the graph checks).
  virtual Status Validate(const proto::Node& node, const NodeLookup& nodes) const {
    return Status::OK();
  }
  // Sets `out`'s kind to a copy of `node`'s without per-partition data.
  virtual void CopyShape(const proto::Node& node, proto::Node* out) const = 0;
  // Adds to `out` (shaped by CopyShape) the data partition `p` reads, if any.
  virtual void CopyPartition(const proto::Node& node, int p, proto::Node* out) const {}
  // The stream of partition `p` of a task's lineage copy of `node`.
  virtual Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p,
                                                    PartitionInputs& inputs) const = 0;
};

const NodeKind& KindOf(const proto::Node& node);

// Copies entry `p` of a per-partition map field, if it has one: what
// CopyPartition does for most sources.
template <typename Map>
void CopyEntry(const Map& from, int p, Map* to) {
  auto it = from.find(p);
  if (it != from.end()) (*to)[p] = it->second;
}

}  // namespace ember::rdd
