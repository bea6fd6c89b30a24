// Barrier stages as the graph sees them: a stage runs in barrier mode when
// a node of its narrow lineage (up to shuffles) is a barrier Python node
// (RDD.barrier().mapPartitions*).
//
// Contract: BarrierStage() answers for the stage computing `node` with
// `num_tasks` tasks: false for an ordinary stage; true for a barrier stage
// of an allowed shape; an InvalidArgument with Spark's SPARK-24820/24821
// message for a shape Spark forbids — a node of the lineage whose
// partition count differs from the number of tasks (union, coalesce, a
// job on some partitions only such as first()/take()) or a node reading
// more than one barrier parent (zip of two barrier RDDs). Iterative: long
// lineages do not recurse.
#pragma once

#include "ember/common/status.h"
#include "ember/rdd/graph.h"

namespace ember::rdd {

Result<bool> BarrierStage(const Graph& graph, int node, int num_tasks);

}  // namespace ember::rdd
