// BlockStore: one executor's persisted RDD partitions ("rdd_<node>_<p>").
//
// Contract: a block is the complete frame sequence of one partition, held
// in memory (within `memory_budget` bytes) or in a file under `disk_dir`.
// PutMemory() makes room by evicting least-recently-used blocks of other
// RDDs (never of the same one, so a scan over an RDD larger than memory
// keeps its first partitions instead of evicting each in turn): a block
// whose level allows disk moves to disk, any other is dropped (its
// partition is recomputed from lineage when next needed). A block that
// does not fit goes to disk if its level allows, else is not stored.
// Get() marks a memory block as recently used; the returned frames stay
// valid for the reader even if the block is evicted meanwhile. Disk blocks
// are written by the caller to NewTempPath() and published by CommitDisk()
// (rename), so a half-written file is never visible. RemoveRdd() drops
// every block of a node. The first Put of a block wins; later ones are
// ignored. Thread-safe.
#pragma once

#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ember/common/frame.h"
#include "ember/common/status.h"

namespace ember::storage {

struct Level {
  bool use_memory = true;
  bool use_disk = false;
};

struct BlockId {
  int rdd = 0;
  int partition = 0;
  bool operator<(const BlockId& o) const {
    return rdd != o.rdd ? rdd < o.rdd : partition < o.partition;
  }
  std::string Name() const;
};

using Frames = std::vector<Frame>;

class BlockStore {
 public:
  BlockStore(std::string disk_dir, size_t memory_budget);
  ~BlockStore();

  struct Stored {
    std::shared_ptr<const Frames> memory;  // set for a memory block
    std::string disk_path;                 // else the block's file
    size_t bytes = 0;                      // its size in memory or on disk
  };
  std::optional<Stored> Get(const BlockId& id);

  bool Fits(size_t bytes) const { return bytes <= memory_budget_; }
  void PutMemory(const BlockId& id, Level level, Frames frames, size_t bytes);
  std::string NewTempPath(const BlockId& id);
  Status CommitDisk(const BlockId& id, const std::string& temp_path);
  void RemoveRdd(int rdd);
  void Remove(const BlockId& id);  // a block found missing or damaged

  size_t memory_used() const;
  bool OnDisk(const BlockId& id) const;

 private:
  struct Entry {
    std::shared_ptr<const Frames> frames;
    size_t bytes = 0;
    Level level;
    std::list<BlockId>::iterator lru;
  };
  // With mu_ held: the blocks to evict so that `bytes` more fit, or
  // nullopt when evicting every block of other RDDs would not be enough.
  std::optional<std::vector<BlockId>> Victims(const BlockId& id, size_t bytes) const;
  Status WriteToDisk(const BlockId& id, const Frames& frames);
  // With mu_ held: drop a memory block (and its share of the budget), or a
  // disk block and its file.
  std::map<BlockId, Entry>::iterator Erase(std::map<BlockId, Entry>::iterator it);
  std::map<BlockId, std::string>::iterator Erase(std::map<BlockId, std::string>::iterator it);

  const std::string disk_dir_;
  const size_t memory_budget_;
  mutable std::mutex mu_;
  std::map<BlockId, Entry> memory_;
  std::list<BlockId> lru_;  // front: most recently used
  std::map<BlockId, std::string> disk_;
  size_t used_ = 0;
  int next_temp_ = 0;
};

}  // namespace ember::storage
