// Splitting text input into partitions with Hadoop's FileInputFormat rule.
//
// Contract: goal = totalSize / max(minPartitions, 1); splitSize =
// max(1, min(goal, blockSize)) with each file's blockSize (its file
// system's: 32 MiB for local files, Hadoop's default). Each splittable file is cut into splitSize pieces while
// the remainder is more than 1.1 x splitSize; the last piece takes the rest.
// Compressed files are one split each (length -1 = whole file). Empty files
// give one empty split each, as Hadoop does for local files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ember/common/status.h"
#include "ember/io/file_list.h"

namespace ember::io {

struct TextSplit {
  std::string path;
  int64_t start = 0;
  int64_t length = -1;  // -1: whole file
};

std::vector<TextSplit> ComputeTextSplits(const std::vector<FileInfo>& files, int min_partitions);

// The same rule for formats that split every file (SequenceFiles, split at
// sync markers whatever their codec): splitSize is at least
// `min_split_size` (SequenceFileInputFormat's 2000, its sync interval).
std::vector<TextSplit> ComputeFileSplits(const std::vector<FileInfo>& files, int min_partitions,
                                         int64_t min_split_size);

}  // namespace ember::io
