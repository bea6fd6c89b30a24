// BlockSizes: the sizes of one map output's blocks as the driver keeps
// them — about a byte per block or less, the way Spark's map statuses do.
//
// Contract: up to kMaxCompressed blocks, each size is one byte, log-encoded
// (base 1.1): Estimate() is at least the size and less than 1.1 times it,
// up to 1.1^255 bytes (~36 GB; larger sizes read as that). Above
// kMaxCompressed blocks ("highly compressed"), a bitmap says which blocks
// are empty, blocks larger than kHugeFactor times the median non-empty
// size keep their exact size, and every other non-empty block reads as the
// mean of those others. Either way IsEmpty() is exact, so a reducer can skip a
// block without reading it.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace ember::scheduler {

class BlockSizes {
 public:
  static constexpr int kMaxCompressed = 2000;
  static constexpr int64_t kHugeFactor = 5;

  explicit BlockSizes(const std::vector<int64_t>& sizes);
  int count() const { return count_; }
  bool highly_compressed() const { return log_sizes_.empty() && count_ > 0; }
  bool IsEmpty(int block) const;
  int64_t Estimate(int block) const;

 private:
  void Compress(const std::vector<int64_t>& sizes);
  void CompressHighly(const std::vector<int64_t>& sizes);

  int count_ = 0;
  std::vector<uint8_t> log_sizes_;              // compressed: one byte per block
  std::vector<uint64_t> non_empty_;             // highly compressed: a bit per block
  int64_t mean_ = 0;                            //   of the non-empty blocks not in huge_
  std::vector<std::pair<int, int64_t>> huge_;   //   exact sizes, by block
};

}  // namespace ember::scheduler
