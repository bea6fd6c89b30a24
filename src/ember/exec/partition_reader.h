// PartitionReader: opens the stream of one partition of one node of a
// task's lineage (the nodes in its TaskDescription).
//
// Contract: one method per node kind, dispatched by Open(). Sources are read
// by C++ (parallel slices, text splits, whole files, checkpoint files);
// Python nodes run in a pooled worker over their parent's stream; shuffled
// nodes read bucket `partition` of every map output listed in the node
// (the scheduler lists only those whose block is non-empty), from this
// executor's shuffle directory or from the executor that wrote it
// (shuffle_read_stream.h); union and coalesce concatenate their
// parents' partitions. A persisted node (one whose lineage copy carries a
// storage level) is read from the executor's block store when the
// partition is there, without opening its parents, else from another
// executor the task names as holding it (cluster modes), and is computed
// and stored here as it streams otherwise. A lineage that refers to a node or partition the
// task does not carry is an Internal error.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "ember/common/frame_stream.h"
#include "ember/exec/task_context.h"
#include "ember/exec/task_runner.h"
#include "ember.pb.h"

namespace ember::exec {

class PartitionReader {
 public:
  PartitionReader(const proto::TaskDescription& task, const ExecutorEnv& env, TaskContext* ctx);
  Result<std::unique_ptr<FrameStream>> Open(int node_id, int partition);

 private:
  Result<std::unique_ptr<FrameStream>> Compute(const proto::Node& n, int p);
  std::optional<std::vector<Frame>> FetchCached(int node_id, int partition);
  Result<std::unique_ptr<FrameStream>> OpenParallel(const proto::ParallelNode& n, int p);
  Result<std::unique_ptr<FrameStream>> OpenText(const proto::TextNode& n, int p);
  Result<std::unique_ptr<FrameStream>> OpenWholeFiles(const proto::WholeFileNode& n, int p);
  Result<std::unique_ptr<FrameStream>> OpenShuffled(const proto::ShuffledNode& n, int p);
  Result<std::unique_ptr<FrameStream>> OpenUnion(const proto::UnionNode& n, int p);
  Result<std::unique_ptr<FrameStream>> OpenCoalesce(const proto::CoalesceNode& n, int p);
  Result<std::unique_ptr<FrameStream>> OpenPair(const proto::Node& n, int p);
  Result<std::unique_ptr<FrameStream>> OpenCheckpoint(const proto::CheckpointNode& n, int p);

  std::map<int, const proto::Node*> nodes_;
  const proto::TaskDescription& task_;
  const ExecutorEnv& env_;
  TaskContext* ctx_;
};

}  // namespace ember::exec
