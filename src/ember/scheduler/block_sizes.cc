#include "ember/scheduler/block_sizes.h"

#include <algorithm>
#include <cmath>

namespace ember::scheduler {

namespace {
constexpr double kLogBase = 1.1;

int64_t DecodeSize(uint8_t code) {
  if (code == 0) return 0;
  return static_cast<int64_t>(std::pow(kLogBase, code));
}

// The smallest code whose size is at least `size` (rounding may leave the
// logarithm one short).
uint8_t EncodeSize(int64_t size) {
  if (size <= 0) return 0;
  double code = std::ceil(std::log(static_cast<double>(size)) / std::log(kLogBase));
  int c = static_cast<int>(std::clamp(code, 1.0, 255.0));
  if (c < 255 && DecodeSize(static_cast<uint8_t>(c)) < size) ++c;
  return static_cast<uint8_t>(c);
}
}  // namespace

BlockSizes::BlockSizes(const std::vector<int64_t>& sizes) : count_(static_cast<int>(sizes.size())) {
  if (count_ <= kMaxCompressed) Compress(sizes);
  else CompressHighly(sizes);
}

void BlockSizes::Compress(const std::vector<int64_t>& sizes) {
  log_sizes_.reserve(sizes.size());
  for (int64_t s : sizes) log_sizes_.push_back(EncodeSize(s));
}

void BlockSizes::CompressHighly(const std::vector<int64_t>& sizes) {
  non_empty_.assign((sizes.size() + 63) / 64, 0);
  std::vector<int64_t> present;
  for (size_t b = 0; b < sizes.size(); ++b) {
    if (sizes[b] <= 0) continue;
    non_empty_[b / 64] |= uint64_t{1} << (b % 64);
    present.push_back(sizes[b]);
  }
  if (present.empty()) return;
  // The median, unlike the mean, is not dragged up by the huge blocks.
  auto middle = present.begin() + static_cast<std::ptrdiff_t>(present.size() / 2);
  std::nth_element(present.begin(), middle, present.end());
  int64_t huge_above = kHugeFactor * *middle;
  int64_t rest_total = 0, rest = 0;
  for (size_t b = 0; b < sizes.size(); ++b) {
    if (sizes[b] <= 0) continue;
    if (sizes[b] > huge_above) {
      huge_.emplace_back(static_cast<int>(b), sizes[b]);
    } else {
      rest_total += sizes[b];
      ++rest;
    }
  }
  mean_ = rest > 0 ? rest_total / rest : 0;
}

bool BlockSizes::IsEmpty(int block) const {
  if (!highly_compressed()) return log_sizes_[block] == 0;
  return !(non_empty_[block / 64] >> (block % 64) & 1);
}

int64_t BlockSizes::Estimate(int block) const {
  if (!highly_compressed()) return DecodeSize(log_sizes_[block]);
  if (IsEmpty(block)) return 0;
  auto it = std::lower_bound(huge_.begin(), huge_.end(), std::make_pair(block, int64_t{0}));
  return it != huge_.end() && it->first == block ? it->second : mean_;
}

}  // namespace ember::scheduler
