#include "ember/io/text_split.h"

#include <algorithm>

#include "ember/io/codec.h"

namespace ember::io {

std::vector<TextSplit> ComputeTextSplits(const std::vector<FileInfo>& files, int min_partitions,
                                         int64_t block_size) {
  int64_t total = 0;
  for (const auto& f : files) total += f.size;
  int64_t goal = total / std::max(min_partitions, 1);
  int64_t split_size = std::max<int64_t>(1, std::min(goal, block_size));
  std::vector<TextSplit> splits;
  for (const auto& f : files) {
    if (!IsSplittable(CodecForPath(f.path))) {
      splits.push_back({f.path, 0, -1});
      continue;
    }
    if (f.size == 0) {
      splits.push_back({f.path, 0, 0});
      continue;
    }
    int64_t remaining = f.size;
    while (static_cast<double>(remaining) / static_cast<double>(split_size) > 1.1) {
      splits.push_back({f.path, f.size - remaining, split_size});
      remaining -= split_size;
    }
    if (remaining > 0) splits.push_back({f.path, f.size - remaining, remaining});
  }
  return splits;
}

}  // namespace ember::io
