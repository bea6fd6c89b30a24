// StageRdds: the RDD infos a stage's listener events carry ("RDD Info").
//
// Contract: StageRddInfos() lists `node` first, then every node it reads
// without crossing a shuffle, each once, breadth first; a shuffled node is
// listed with its map-side node as parent but that node is not followed
// (it belongs to the parent stage). Names are the RDD classes Spark shows
// for the same kind of node (ParallelCollectionRDD, PythonRDD,
// ShuffledRDD, ...); storage levels are the graph's current ones.
#pragma once

#include <vector>

#include "ember/rdd/graph.h"
#include "ember/scheduler/listener_events.h"

namespace ember::scheduler {

std::vector<listener::RddInfo> StageRddInfos(const rdd::Graph& graph, int node);

}  // namespace ember::scheduler
