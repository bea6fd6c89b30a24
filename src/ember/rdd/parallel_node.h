// Parallel nodes: a source of pickled slices the driver holds
// (parallelize, range). Partition i is slice i: its data frames, encoded
// back to back (common/frame.h), usually kPickleBatch batches.
#pragma once

#include <string>
#include <vector>

#include "ember/rdd/node_kind.h"

namespace ember::rdd {

proto::Node MakeParallelNode(std::vector<std::string> slices);
const NodeKind& ParallelNodeKind();

}  // namespace ember::rdd
