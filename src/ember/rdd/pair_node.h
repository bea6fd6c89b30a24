// Pair nodes: two parents read side by side (cartesian, zip). Partition p
// reads the first parent's partition p / n2 and the second's p % n2
// (cartesian; n2 = the second's partition count), or both parents'
// partition p (zip). Its stream is the second parent's records, a SECTION
// frame, then the first's: the worker holds the second side in memory and
// streams the first.
#pragma once

#include "ember/rdd/graph.h"
#include "ember/rdd/node_kind.h"

namespace ember::rdd {

// Zip needs both parents to have the same number of partitions.
Result<proto::Node> MakePairNode(const Graph& graph, int first, int second, bool cartesian);
const NodeKind& PairNodeKind();

}  // namespace ember::rdd
