#include "ember/scheduler/stage_rdds.h"

#include <deque>
#include <set>

#include "ember/rdd/node_kind.h"

namespace ember::scheduler {

namespace {

const char* RddClass(const proto::Node& n) {
  switch (n.kind_case()) {
    case proto::Node::kParallel: return "ParallelCollectionRDD";
    case proto::Node::kText: return "HadoopRDD";
    case proto::Node::kPython: return "PythonRDD";
    case proto::Node::kShuffled: return "ShuffledRDD";
    case proto::Node::kUnionOf: return "UnionRDD";
    case proto::Node::kCoalesce: return "CoalescedRDD";
    case proto::Node::kWholeFile: return "WholeTextFileRDD";
    case proto::Node::kPair: return n.pair().cartesian() ? "CartesianRDD" : "ZippedPartitionsRDD2";
    case proto::Node::kCheckpoint: return "ReliableCheckpointRDD";
    case proto::Node::kSequenceFile: return "HadoopRDD";
    case proto::Node::kBinaryRecords: return "BinaryFileRDD";
    default: return "RDD";
  }
}

}  // namespace

std::vector<listener::RddInfo> StageRddInfos(const rdd::Graph& graph, int node) {
  std::vector<listener::RddInfo> infos;
  std::set<int> seen{node};
  std::deque<int> todo{node};
  while (!todo.empty()) {
    auto n = graph.Get(todo.front());
    todo.pop_front();
    if (!n) continue;
    listener::RddInfo info;
    info.id = n->id();
    info.name = RddClass(*n);
    info.num_partitions = n->num_partitions();
    info.storage = graph.StorageLevelOf(n->id());
    info.barrier = n->has_python() && n->python().barrier();
    if (n->has_shuffled()) {
      info.parent_ids.push_back(graph.Shuffle(graph.ShuffleOf(n->id())).map_node);
    } else {
      info.parent_ids = rdd::KindOf(*n).NarrowParents(*n);
      for (int p : info.parent_ids)
        if (seen.insert(p).second) todo.push_back(p);
    }
    infos.push_back(std::move(info));
  }
  return infos;
}

}  // namespace ember::scheduler
