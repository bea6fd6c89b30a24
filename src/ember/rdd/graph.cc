#include "ember/rdd/graph.h"

#include <set>

namespace ember::rdd {

namespace {
std::vector<int> NarrowParents(const proto::Node& n) {
  switch (n.kind_case()) {
    case proto::Node::kPython: return {n.python().parent()};
    case proto::Node::kUnionOf: return {n.union_of().parents().begin(), n.union_of().parents().end()};
    case proto::Node::kCoalesce: return {n.coalesce().parent()};
    case proto::Node::kPair: return {n.pair().first(), n.pair().second()};
    default: return {};
  }
}
}  // namespace

std::pair<int, int> PairPartitions(const proto::Node& pair_node, int partition) {
  const auto& pn = pair_node.pair();
  if (!pn.cartesian()) return {partition, partition};
  int n2 = pn.second_partitions();
  return {partition / n2, partition % n2};
}

Status Graph::Validate(const proto::Node& node) const {
  for (int parent : NarrowParents(node)) {
    if (!nodes_.count(parent)) return Internal("unknown parent node " + std::to_string(parent));
  }
  if (node.kind_case() == proto::Node::kShuffled && !nodes_.count(node.shuffled().map_node()))
    return Internal("unknown map-side node " + std::to_string(node.shuffled().map_node()));
  if (node.kind_case() == proto::Node::kPython &&
      nodes_.at(node.python().parent())->num_partitions() != node.num_partitions())
    return Internal("python node must keep its parent's partition count");
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
  nodes_[id] = std::make_shared<const proto::Node>(std::move(node));
  return id;
}

NodePtr Graph::Get(int id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : it->second;
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
    for (int p : NarrowParents(*n)) todo.push_back(p);
  }
  return {shuffles.begin(), shuffles.end()};
}

namespace {

// A copy of a node without its per-partition data: copying it whole and
// then clearing would cost O(partitions) per task, O(partitions^2) per job.
proto::Node WithoutPartitions(const proto::Node& n) {
  proto::Node copy;
  copy.set_id(n.id());
  copy.set_num_partitions(n.num_partitions());
  if (n.has_storage()) *copy.mutable_storage() = n.storage();
  switch (n.kind_case()) {
    case proto::Node::kParallel: copy.mutable_parallel(); break;
    case proto::Node::kText: copy.mutable_text()->set_use_unicode(n.text().use_unicode()); break;
    case proto::Node::kWholeFile: copy.mutable_whole_file()->set_as_text(n.whole_file().as_text()); break;
    case proto::Node::kCoalesce: copy.mutable_coalesce()->set_parent(n.coalesce().parent()); break;
    case proto::Node::kCheckpoint: copy.mutable_checkpoint(); break;
    default: copy = n;  // no per-partition data
  }
  return copy;
}

}  // namespace

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
    auto [it, fresh] = out->try_emplace(id);
    proto::Node& copy = it->second;
    if (fresh) {
      copy = WithoutPartitions(*n);  // the partitions tasks need are added below
      std::lock_guard<std::mutex> lock(mu_);
      auto level = persisted_.find(id);
      if (level != persisted_.end()) *copy.mutable_storage() = level->second;
    }
    switch (n->kind_case()) {
      case proto::Node::kParallel:
        if (n->parallel().slices().count(p))
          (*copy.mutable_parallel()->mutable_slices())[p] = n->parallel().slices().at(p);
        break;
      case proto::Node::kText:
        if (n->text().splits().count(p))
          (*copy.mutable_text()->mutable_splits())[p] = n->text().splits().at(p);
        break;
      case proto::Node::kWholeFile:
        if (n->whole_file().files().count(p))
          (*copy.mutable_whole_file()->mutable_files())[p] = n->whole_file().files().at(p);
        break;
      case proto::Node::kPython:
        todo.push_back({n->python().parent(), p});
        break;
      case proto::Node::kUnionOf: {
        const auto& u = n->union_of();
        int offset = 0;
        for (int i = 0; i < u.parents_size(); ++i) {
          if (p < offset + u.parent_partitions(i)) {
            todo.push_back({u.parents(i), p - offset});
            break;
          }
          offset += u.parent_partitions(i);
        }
        break;
      }
      case proto::Node::kCoalesce: {
        auto g = n->coalesce().groups().find(p);
        if (g == n->coalesce().groups().end()) break;
        (*copy.mutable_coalesce()->mutable_groups())[p] = g->second;
        for (int pp : g->second.parent_partitions()) todo.push_back({n->coalesce().parent(), pp});
        break;
      }
      case proto::Node::kCheckpoint:
        if (n->checkpoint().files().count(p))
          (*copy.mutable_checkpoint()->mutable_files())[p] = n->checkpoint().files().at(p);
        break;
      case proto::Node::kPair: {
        auto [first, second] = PairPartitions(*n, p);
        todo.push_back({n->pair().first(), first});
        todo.push_back({n->pair().second(), second});
        break;
      }
      default:
        break;  // shuffled: a stage boundary; its map outputs are filled in per task
    }
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
