// The index file of one map output: where each bucket's block lies in the
// data file and the checksum that proves it intact.
//
// Layout (little-endian): "EMB2" magic, u32 bucket count n, then n entries
// of 32 bytes: u64 offset, u64 length, u64 xxh64 of the block, and u64
// xxh64 of those 24 bytes seeded with the entry's bucket number. Every
// entry is verified on its own, so reading buckets [first, end) costs a
// read of the header and one of those entries whatever n is, and a damaged
// entry — or a sound one read in another bucket's place — is Corrupt,
// never misread. A file without the magic, or with fewer than `end`
// buckets, is Corrupt too (a damaged count either still covers the bucket,
// whose entry then proves itself, or it does not).
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
// Entries [first, end) of the index at `path`, each verified: NotFound when
// the file is missing, Corrupt when it is damaged, short or not an index.
Result<std::vector<BlockEntry>> ReadIndexEntries(const std::string& path, int first, int end);

}  // namespace ember::shuffle
