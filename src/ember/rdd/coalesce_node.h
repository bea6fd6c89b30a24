// Coalesce nodes: partition g concatenates group g of the parent's
// partitions (coalesce without a shuffle; the driver picks the groups).
#pragma once

#include <vector>

#include "ember/rdd/graph.h"
#include "ember/rdd/node_kind.h"

namespace ember::rdd {

// Every partition a group names must be one of the parent's.
Result<proto::Node> MakeCoalesceNode(const Graph& graph, int parent,
                                     const std::vector<std::vector<int>>& groups);
const NodeKind& CoalesceNodeKind();

}  // namespace ember::rdd
