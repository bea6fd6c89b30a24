#include "ember/io/text_split.h"

#include <algorithm>

#include "ember/io/codec.h"

namespace ember::io {

namespace {
// Hadoop's SPLIT_SLOP: a last piece up to 10% over splitSize is not cut.
constexpr double kSplitSlop = 1.1;
}  // namespace

namespace {

std::vector<TextSplit> Split(const std::vector<FileInfo>& files, int min_partitions, int64_t min_split_size,
                             bool by_extension) {
  int64_t total = 0;
  for (const auto& f : files) total += f.size;  // compressed files count too, as in Hadoop
  int64_t goal = total / std::max(min_partitions, 1);
  std::vector<TextSplit> splits;
  for (const auto& f : files) {
    int64_t split_size = std::max<int64_t>(min_split_size, std::min(goal, f.block_size));
    if (by_extension && !IsSplittable(CodecForPath(f.path))) {
      splits.push_back({f.path, 0, -1});
      continue;
    }
    if (f.size == 0) {
      splits.push_back({f.path, 0, 0});
      continue;
    }
    int64_t left = f.size;
    while (static_cast<double>(left) / static_cast<double>(split_size) > kSplitSlop) {
      splits.push_back({f.path, f.size - left, split_size});
      left -= split_size;
    }
    splits.push_back({f.path, f.size - left, left});
  }
  return splits;
}

}  // namespace

std::vector<TextSplit> ComputeTextSplits(const std::vector<FileInfo>& files, int min_partitions) {
  return Split(files, min_partitions, 1, true);
}

std::vector<TextSplit> ComputeFileSplits(const std::vector<FileInfo>& files, int min_partitions,
                                         int64_t min_split_size) {
  return Split(files, min_partitions, min_split_size, false);
}

}  // namespace ember::io
