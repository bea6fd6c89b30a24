// Python nodes: an opaque pickled pipeline run by a Python worker over
// the parent's partition of the same index (a narrow one-to-one
// dependency; the partition count is the parent's).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ember/rdd/graph.h"
#include "ember/rdd/node_kind.h"

namespace ember::rdd {

// `broadcast_ids`: the broadcasts pickled into `command`, which an
// executor fetches before running it (exec/task_inputs.h).
// `barrier`: the node comes from RDD.barrier() (rdd/barrier_lineage.h).
Result<proto::Node> MakePythonNode(const Graph& graph, int parent, std::string command,
                                   std::vector<int64_t> broadcast_ids, bool barrier = false);
const NodeKind& PythonNodeKind();

}  // namespace ember::rdd
