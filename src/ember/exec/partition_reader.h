// PartitionReader: opens the stream of one partition of one node of a
// task's lineage (the nodes in its TaskDescription).
//
// Contract: how a partition is computed is its node kind's business
// (rdd/node_kind.h); the reader is what kinds open their inputs through
// (rdd::PartitionInputs): other nodes' partitions, pooled Python workers,
// shuffle buckets (from this executor's shuffle directory or from the
// executor that wrote them, shuffle_read_stream.h) and frame files. A
// persisted node (one whose lineage copy carries a storage level) is read
// from the executor's block store when the partition is there, without
// opening its parents, else from another executor the task names as
// holding it (cluster modes), and is computed and stored here as it
// streams otherwise. Sources' partitions and cached blocks are measured
// as the task's input (input_meter.h). A lineage that refers to a node or partition the task
// does not carry is an Internal error.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ember/common/frame_stream.h"
#include "ember/exec/task_context.h"
#include "ember/exec/task_runner.h"
#include "ember/rdd/node_kind.h"
#include "ember.pb.h"

namespace ember::exec {

class PartitionReader : public rdd::PartitionInputs {
 public:
  PartitionReader(const proto::TaskDescription& task, const ExecutorEnv& env, TaskContext* ctx);
  Result<std::unique_ptr<FrameStream>> Open(int node_id, int partition) override;

  Result<std::unique_ptr<FrameStream>> RunPython(const std::string& command, int partition,
                                                 std::unique_ptr<FrameStream> input) override;
  Result<std::unique_ptr<FrameStream>> ReadShuffle(const proto::ShuffledNode& node, int bucket) override;

 private:
  std::optional<std::vector<Frame>> FetchCached(int node_id, int partition);
  Result<std::unique_ptr<FrameStream>> Compute(const proto::Node& n, int partition);
  std::unique_ptr<FrameStream> Metered(std::unique_ptr<FrameStream> input);

  std::map<int, const proto::Node*> nodes_;
  const proto::TaskDescription& task_;
  const ExecutorEnv& env_;
  TaskContext* ctx_;
};

}  // namespace ember::exec
