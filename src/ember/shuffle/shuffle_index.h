// The index file of one map output: where each bucket's block lies in the
// data file and the checksum that proves it intact.
//
// Layout (little-endian): "EMBI" magic, u32 bucket count n, then n entries
// of {u64 offset, u64 length, u64 xxh64 of the block}, then u64 xxh64 of
// everything before it. Reading verifies the magic and the trailing
// checksum, so a damaged index is Corrupt, never misread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ember/common/status.h"

namespace ember::shuffle {

struct BlockEntry {
  uint64_t offset = 0;
  uint64_t length = 0;
  uint64_t checksum = 0;
};

uint64_t Checksum(const void* data, size_t n);
std::string EncodeIndex(const std::vector<BlockEntry>& entries);
Result<std::vector<BlockEntry>> ReadIndex(const std::string& path);

}  // namespace ember::shuffle
