// MapOutputTracker: the driver's registry of shuffle map outputs — where
// each lives and which of its blocks hold data — compact for many maps
// times many reducers.
//
// Contract: an output is located by the executor that wrote it and the id
// of the task that wrote it (that executor derives the file names,
// shuffle/shuffle_files.h); its block sizes are kept compressed
// (block_sizes.h) next to one digest of its blocks' checksums. FillReads
// lists in a reduce task's ShuffledNode only the outputs whose block for
// that reducer is non-empty, plus those missing right now (their read
// fails and starts recovery), so a task description grows with what the
// task reads, not with the number of maps. An output unregistered because
// it could not be read, or with its executor, is remembered as lost until
// its map runs again: Register() then says whether the new output's digest
// differs — a nondeterministic map, whose readers must all run again. An
// output forgotten with UnregisterAll (its input was rolled back) is not
// remembered. Thread-safe: the scheduler writes it, and block servers may
// read locations from other threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ember/scheduler/block_sizes.h"
#include "ember.pb.h"

namespace ember::scheduler {

class MapOutputTracker {
 public:
  // Makes room for a shuffle's `num_maps` outputs; a known shuffle keeps them.
  void AddShuffle(int shuffle_id, int num_maps);
  // Forgets a shuffle, its lost outputs included.
  void RemoveShuffle(int shuffle_id);
  size_t NumShuffles() const { return shuffles_.size(); }

  // Records the output of map `map_id` written by task `task_id`, unless
  // one is registered already (the first stays). True when it replaces a
  // lost output whose blocks were different.
  [[nodiscard]] bool Register(int shuffle_id, int map_id, int64_t task_id,
                              const proto::MapStatus& status);
  // Marks one output lost; false when it was not registered.
  bool Unregister(int shuffle_id, int map_id);
  // Forgets every output of a shuffle and its lost ones; false when it had
  // none.
  bool UnregisterAll(int shuffle_id);
  // Marks lost every output written on `executor_id` (of one shuffle, or
  // of all when `shuffle_id` < 0); returns the shuffles that lost one,
  // ascending.
  std::vector<int> UnregisterExecutor(const std::string& executor_id, int shuffle_id = -1);
  // Where an output lives; "" when it is not registered.
  std::string ExecutorOf(int shuffle_id, int map_id) const;
  // The map task that wrote the registered output; -1 when none is.
  int64_t TaskOf(int shuffle_id, int map_id) const;

  bool Has(int shuffle_id, int map_id) const;
  // Whether every output of the shuffle is registered.
  bool Available(int shuffle_id) const;
  // Sets the map_* fields of `node` (whose shuffle_id says which shuffle)
  // to the outputs reducer `reducer` has to read.
  void FillReads(int reducer, proto::ShuffledNode* node) const;

 private:
  struct Output {
    std::string executor_id;
    int64_t task_id;
    uint64_t digest;
    BlockSizes sizes;
  };
  struct Shuffle {
    std::vector<std::unique_ptr<Output>> outputs;  // by map id; null: missing
    int registered = 0;
    std::map<int, uint64_t> lost;  // map id -> digest of the lost output
  };
  void MarkLost(Shuffle* shuffle, int map_id);

  mutable std::mutex mu_;
  std::map<int, Shuffle> shuffles_;
};

}  // namespace ember::scheduler
