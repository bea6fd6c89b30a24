// Graph: the driver's registry of RDD nodes and their dependencies.
//
// Contract: nodes are immutable once added; Add() assigns the id (ids are
// never reused) and, for a shuffled node, registers its shuffle (a new
// shuffle id, the map-side node and bucket count). Lifetime: Add() gives
// the caller one hold on the new node, Hold() another (a running job),
// Drop() gives one back. A node is freed — with its partition data, its
// persisted level (its blocks are the caller's: unpersist) and, for a shuffled node, its shuffle registration —
// once it has no hold and no live node depends on it (narrow parents and a
// shuffled node's map-side node count as dependencies), so a live node's
// whole lineage stays readable; freeing cascades to parents left the same
// way, and Drop() reports what went. Dependencies, checks and lineage cuts come from each
// node's kind (node_kind.h); the graph itself knows no kind but the
// shuffled one, the only wide dependency. BuildTaskLineage() copies the
// nodes that one partition of `final_node` reads without crossing a
// shuffle, keeping only the slices/splits/groups that partition needs, so
// a task carries no data it does not use. Thread-safe: Python threads add
// nodes while the scheduler reads them.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "ember/common/status.h"
#include "ember.pb.h"

namespace ember::rdd {

struct ShuffleInfo {
  int shuffle_id = 0;
  int map_node = 0;
  int num_maps = 0;
  int num_buckets = 0;
};

using NodePtr = std::shared_ptr<const proto::Node>;

// What one Drop() freed: the engine forgets their shuffles' map outputs.
struct FreedNodes {
  std::vector<int> nodes;
  std::vector<int> shuffles;  // shuffle ids of freed shuffled nodes
};

class Graph {
 public:
  // Validates parents and partition counts; returns the new node's id.
  Result<int> Add(proto::Node node);
  NodePtr Get(int id) const;
  // Lifetime holds (see the contract); unknown ids are ignored.
  void Hold(int id);
  FreedNodes Drop(int id);
  size_t NumNodes() const;
  size_t NumShuffles() const;
  Result<int> NumPartitions(int id) const;
  ShuffleInfo Shuffle(int shuffle_id) const;
  // The shuffle id of a shuffled node, else -1.
  int ShuffleOf(int id) const;

  // Marks a node persisted (its partitions are cached by executors) or no
  // longer persisted; task lineages carry the level on the node.
  void Persist(int id, const proto::StorageLevel& level);
  void Unpersist(int id);
  bool IsPersisted(int id) const;
  // The node's storage level; all false when it is not persisted.
  proto::StorageLevel StorageLevelOf(int id) const;

  // Shuffle ids read, without crossing shuffles, by any partition of `node`.
  std::vector<int> ShufflesRead(int node) const;
  // The narrow lineage of (final_node, partition), restricted to what it reads.
  Result<std::vector<proto::Node>> BuildTaskLineage(int final_node, int partition) const;

 private:
  Status Validate(const proto::Node& node) const;
  void Collect(int node, int partition, std::map<int, proto::Node>* out) const;
  proto::Node CopyShape(const proto::Node& node) const;
  // The nodes `node` depends on: narrow parents and a shuffle's map side.
  static std::vector<int> DependsOn(const proto::Node& node);

  struct Refs {
    int holds = 1;     // Add()'s, plus Hold()s not yet dropped
    int children = 0;  // live nodes depending on this one
  };

  mutable std::mutex mu_;
  std::map<int, NodePtr> nodes_;
  std::map<int, Refs> refs_;
  std::map<int, ShuffleInfo> shuffles_;
  std::map<int, proto::StorageLevel> persisted_;
  int next_node_ = 0;
  int next_shuffle_ = 0;
};

}  // namespace ember::rdd
