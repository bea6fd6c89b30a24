#include "ember/rdd/graph.h"

#include <set>

#include "ember/rdd/node_kind.h"

namespace ember::rdd {

Status Graph::Validate(const proto::Node& node) const {
  const NodeKind& kind = KindOf(node);
  for (int parent : kind.NarrowParents(node)) {
    if (!nodes_.count(parent)) return Internal("unknown parent node " + std::to_string(parent));
  }
  auto lookup = [this](int id) -> const proto::Node* {
    auto it = nodes_.find(id);
    return it == nodes_.end() ? nullptr : it->second.get();
  };
  EMBER_RETURN_IF_ERROR(kind.Validate(node, lookup));
  if (node.num_partitions() < 0) return InvalidArgument("negative partition count");
  return Status::OK();
}

Result<int> Graph::Add(proto::Node node) {
  std::lock_guard<std::mutex> lock(mu_);
  EMBER_RETURN_IF_ERROR(Validate(node));
  int id = next_node_++;
  node.set_id(id);
  if (node.kind_case() == proto::Node::kShuffled) {
    auto* s = node.mutable_shuffled();
    int sid = next_shuffle_++;
    s->set_shuffle_id(sid);
    int num_maps = nodes_.at(s->map_node())->num_partitions();
    s->set_num_maps(num_maps);
    shuffles_[sid] = {sid, s->map_node(), num_maps, node.num_partitions()};
  }
  for (int parent : DependsOn(node)) refs_[parent].children++;
  refs_[id] = Refs{};
  nodes_[id] = std::make_shared<const proto::Node>(std::move(node));
  return id;
}

std::vector<int> Graph::DependsOn(const proto::Node& node) {
  std::vector<int> out = KindOf(node).NarrowParents(node);
  if (node.kind_case() == proto::Node::kShuffled) out.push_back(node.shuffled().map_node());
  return out;
}

void Graph::Hold(int id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = refs_.find(id);
  if (it != refs_.end()) it->second.holds++;
}

// Iterative: dropping the end of a long narrow chain frees the whole chain.
FreedNodes Graph::Drop(int id) {
  std::lock_guard<std::mutex> lock(mu_);
  FreedNodes freed;
  auto it = refs_.find(id);
  if (it == refs_.end() || it->second.holds == 0) return freed;
  it->second.holds--;
  std::vector<int> todo = {id};
  while (!todo.empty()) {
    int n = todo.back();
    todo.pop_back();
    auto ref = refs_.find(n);
    if (ref->second.holds > 0 || ref->second.children > 0) continue;
    refs_.erase(ref);
    NodePtr node = std::move(nodes_.at(n));
    nodes_.erase(n);
    freed.nodes.push_back(n);
    persisted_.erase(n);
    if (node->kind_case() == proto::Node::kShuffled) {
      shuffles_.erase(node->shuffled().shuffle_id());
      freed.shuffles.push_back(node->shuffled().shuffle_id());
    }
    for (int parent : DependsOn(*node)) {
      if (--refs_.at(parent).children == 0) todo.push_back(parent);
    }
  }
  return freed;
}

size_t Graph::NumNodes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return nodes_.size();
}

size_t Graph::NumShuffles() const {
  std::lock_guard<std::mutex> lock(mu_);
  return shuffles_.size();
}

NodePtr Graph::Get(int id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : it->second;
}

Result<int> Graph::NumPartitions(int id) const {
  NodePtr n = Get(id);
  if (!n) return Internal("unknown node " + std::to_string(id));
  return n->num_partitions();
}

ShuffleInfo Graph::Shuffle(int shuffle_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return shuffles_.at(shuffle_id);
}

void Graph::Persist(int id, const proto::StorageLevel& level) {
  std::lock_guard<std::mutex> lock(mu_);
  persisted_[id] = level;
}

void Graph::Unpersist(int id) {
  std::lock_guard<std::mutex> lock(mu_);
  persisted_.erase(id);
}

bool Graph::IsPersisted(int id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return persisted_.count(id) > 0;
}

proto::StorageLevel Graph::StorageLevelOf(int id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = persisted_.find(id);
  return it == persisted_.end() ? proto::StorageLevel() : it->second;
}

int Graph::ShuffleOf(int id) const {
  NodePtr node = Get(id);
  return node && node->has_shuffled() ? node->shuffled().shuffle_id() : -1;
}

std::vector<int> Graph::ShufflesRead(int node) const {
  std::set<int> seen, shuffles;
  std::vector<int> todo = {node};
  while (!todo.empty()) {
    int id = todo.back();
    todo.pop_back();
    if (!seen.insert(id).second) continue;
    NodePtr n = Get(id);
    if (!n) continue;
    if (n->kind_case() == proto::Node::kShuffled) shuffles.insert(n->shuffled().shuffle_id());
    for (int p : KindOf(*n).NarrowParents(*n)) todo.push_back(p);
  }
  return {shuffles.begin(), shuffles.end()};
}

// A copy of a node without its per-partition data, with the storage level
// it is persisted at: copying it whole and then clearing would cost
// O(partitions) per task, O(partitions^2) per job.
proto::Node Graph::CopyShape(const proto::Node& n) const {
  proto::Node copy;
  copy.set_id(n.id());
  copy.set_num_partitions(n.num_partitions());
  if (n.has_storage()) *copy.mutable_storage() = n.storage();
  KindOf(n).CopyShape(n, &copy);
  std::lock_guard<std::mutex> lock(mu_);
  auto level = persisted_.find(n.id());
  if (level != persisted_.end()) *copy.mutable_storage() = level->second;
  return copy;
}

// Iterative walk over (node, partition) pairs: long narrow chains must not
// recurse.
void Graph::Collect(int node, int partition, std::map<int, proto::Node>* out) const {
  std::vector<std::pair<int, int>> todo = {{node, partition}};
  std::set<std::pair<int, int>> seen;
  while (!todo.empty()) {
    auto [id, p] = todo.back();
    todo.pop_back();
    if (!seen.insert({id, p}).second) continue;
    NodePtr n = Get(id);
    if (!n) continue;
    const NodeKind& kind = KindOf(*n);
    auto [it, fresh] = out->try_emplace(id);
    if (fresh) it->second = CopyShape(*n);
    kind.CopyPartition(*n, p, &it->second);
    for (const PartitionRef& parent : kind.ParentPartitions(*n, p))
      todo.push_back({parent.node, parent.partition});
  }
}

Result<std::vector<proto::Node>> Graph::BuildTaskLineage(int final_node, int partition) const {
  if (!Get(final_node)) return Internal("unknown node " + std::to_string(final_node));
  std::map<int, proto::Node> nodes;
  Collect(final_node, partition, &nodes);
  std::vector<proto::Node> out;
  out.reserve(nodes.size());
  for (auto& [id, n] : nodes) out.push_back(std::move(n));
  return out;
}

}  // namespace ember::rdd
