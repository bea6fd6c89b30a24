// ShuffleWriter: turns one map task's bucket-tagged batches into one data
// file and one index file.
//
// Contract: Add() may be called in any bucket order; memory held stays
// within `memory_budget` bytes (above it, buffered buckets are spilled to a
// spill file in arrival order). Finish() writes files.data with the blocks
// of buckets 0..n-1 back to back (each block a sequence of
// [u32 LE length][pickled batch] records, in the order they were added) and
// files.index (see shuffle_index.h), both atomically (temp file + rename),
// and removes its spill file; it returns each block's size and one digest
// of all the blocks' checksums. A writer destroyed without Finish() leaves
// no files behind. For the task metrics it tells how many bytes it spilled
// (the same in memory and on disk: blocks are not compressed) and the most
// it held buffered at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ember/common/status.h"
#include "ember/shuffle/shuffle_files.h"

namespace ember::shuffle {

struct MapOutput {
  std::vector<int64_t> block_sizes;
  // xxh64 of the blocks' xxh64s: outputs with equal digests hold the same
  // blocks, so a recomputed output can be compared with a lost one.
  uint64_t blocks_digest = 0;
};

class ShuffleWriter {
 public:
  ShuffleWriter(MapOutputFiles files, int num_buckets, size_t memory_budget);
  ~ShuffleWriter();
  ShuffleWriter(const ShuffleWriter&) = delete;
  ShuffleWriter& operator=(const ShuffleWriter&) = delete;

  Status Add(int bucket, std::string_view batch);
  Result<MapOutput> Finish();
  int64_t spilled_bytes() const { return spill_size_; }
  int64_t peak_buffered() const { return static_cast<int64_t>(peak_buffered_); }

 private:
  struct Segment {
    int64_t offset;
    int64_t length;
  };
  Status Spill();

  std::string data_path_, index_path_, spill_path_;
  int num_buckets_;
  size_t memory_budget_;
  size_t buffered_ = 0;
  size_t peak_buffered_ = 0;
  std::vector<std::string> buffers_;
  std::vector<std::vector<Segment>> spilled_;  // per bucket, in spill order
  int spill_fd_ = -1;
  int64_t spill_size_ = 0;
  bool finished_ = false;
};

}  // namespace ember::shuffle
