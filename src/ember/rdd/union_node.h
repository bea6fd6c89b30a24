// Union nodes: the partitions of several parents one after another;
// partition p is partition p - offset of the parent whose range holds it.
#pragma once

#include <vector>

#include "ember/rdd/graph.h"
#include "ember/rdd/node_kind.h"

namespace ember::rdd {

Result<proto::Node> MakeUnionNode(const Graph& graph, const std::vector<int>& parents);
const NodeKind& UnionNodeKind();

}  // namespace ember::rdd
