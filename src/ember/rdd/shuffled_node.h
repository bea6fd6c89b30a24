// Shuffled nodes: partition r reads bucket r of every map output of one
// shuffle, written by the partitions of the map-side node. The one wide
// dependency: the graph assigns the shuffle when the node is added, and
// the scheduler fills in, per task, the map outputs the task reads.
#pragma once

#include "ember/rdd/node_kind.h"

namespace ember::rdd {

// Zero partitions is allowed: the shuffle of an RDD with no partitions has none.
Result<proto::Node> MakeShuffledNode(int map_node, int num_partitions);
const NodeKind& ShuffledNodeKind();

}  // namespace ember::rdd
