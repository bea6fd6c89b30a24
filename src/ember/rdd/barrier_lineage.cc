#include "ember/rdd/barrier_lineage.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <vector>

#include "ember/rdd/node_kind.h"

namespace ember::rdd {

Result<bool> BarrierStage(const Graph& graph, int node, int num_tasks) {
  // The narrow lineage; a parent's id is always below its child's (nodes
  // are added after their parents), so ascending ids visit parents first.
  std::map<int, NodePtr> lineage;
  std::vector<int> todo = {node};
  while (!todo.empty()) {
    int id = todo.back();
    todo.pop_back();
    if (lineage.count(id)) continue;
    NodePtr n = graph.Get(id);
    if (!n) return Internal(fmt::format("unknown node {}", id));
    lineage[id] = n;
    for (int p : KindOf(*n).NarrowParents(*n)) todo.push_back(p);
  }
  std::set<int> barrier;
  std::string bad;
  for (const auto& [id, n] : lineage) {
    int barrier_parents = 0;
    for (int p : KindOf(*n).NarrowParents(*n)) barrier_parents += barrier.count(p) ? 1 : 0;
    if (barrier_parents > 0 || (n->has_python() && n->python().barrier())) barrier.insert(id);
    if (!bad.empty()) continue;
    if (n->num_partitions() != num_tasks)
      bad = fmt::format("node {} has {} partitions, the stage runs {} tasks", id, n->num_partitions(),
                        num_tasks);
    else if (barrier_parents > 1)
      bad = fmt::format("node {} reads {} barrier RDDs", id, barrier_parents);
  }
  if (!barrier.count(node)) return false;
  if (bad.empty()) return true;
  return InvalidArgument(
      "[SPARK-24820][SPARK-24821]: Barrier execution mode does not allow the following pattern of "
      "RDD chain within a barrier stage:\n1. Ancestor RDDs that have different number of partitions "
      "from the resulting RDD (e.g. union()/coalesce()/first()/take()/PartitionPruningRDD). A "
      "workaround for first()/take() can be barrierRdd.collect().head (scala) or "
      "barrierRdd.collect()[0] (python).\n2. An RDD that depends on multiple barrier RDDs (e.g. "
      "barrierRdd1.zip(barrierRdd2)).\n(" + bad + ")");
}

}  // namespace ember::rdd
