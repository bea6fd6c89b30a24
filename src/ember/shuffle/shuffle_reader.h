// Reading the blocks of a map output, each verified by its own checksum
// before a byte of it is handed out.
//
// Contract: BlockReader::Open reads one bucket's block: its index entry
// alone (shuffle_index.h), so the cost does not grow with the bucket
// count, then the block. Blocks up to kInMemoryBlock bytes are read once
// and kept; larger ones are verified in a streaming first pass and read
// again batch by batch, so memory stays at one batch plus a read buffer
// whatever the block size. Next() yields the batches in the order they
// were written.
//
// ReadBlockRange reads the blocks of buckets [first, end) of one map
// output — what a block server answers to "shuffle s, map m, reducers
// [first, end)" — with one read of the index header, one of the range's
// entries and one of the data, and verifies every block. The range is
// held in memory, so callers bound it (a map status tells roughly how
// large each block is). VerifyBlocks checks a range again where it
// arrives, and BlockReader::FromMemory yields the batches of one of its
// blocks.
//
// A missing or truncated data or index file, a damaged index entry, a
// checksum mismatch and a malformed block are all FetchFailed (messages
// name the file and bucket and say "corrupt" where it is), because either
// way the map output must be recomputed. A file that changes between the
// passes is caught by the record framing or reported as truncated.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ember/common/status.h"
#include "ember/shuffle/shuffle_files.h"
#include "ember/shuffle/shuffle_index.h"

namespace ember::shuffle {

// The blocks of buckets [first, first + entries.size()) of one map output.
struct BlockRange {
  int first = 0;
  std::vector<BlockEntry> entries;  // as in the index: offsets in the data file
  std::string data;                 // the blocks back to back
  // The block of `bucket`, one of the range's.
  std::string_view Block(int bucket) const;
};

Result<BlockRange> ReadBlockRange(const MapOutputFiles& files, int first, int end);
// FetchFailed naming `where` unless the entries are contiguous and every
// block matches its checksum.
Status VerifyBlocks(const BlockRange& range, const std::string& where);

class BlockReader {
 public:
  static constexpr uint64_t kInMemoryBlock = 4 << 20;

  static Result<std::unique_ptr<BlockReader>> Open(const MapOutputFiles& files, int bucket);
  // The batches of a block already verified; `where` names it in errors.
  static std::unique_ptr<BlockReader> FromMemory(std::string block, std::string where);
  ~BlockReader();
  BlockReader(const BlockReader&) = delete;
  BlockReader& operator=(const BlockReader&) = delete;

  // The next batch into *batch; false at the end of the block.
  Result<bool> Next(std::string* batch);

 private:
  BlockReader(int fd, uint64_t offset, uint64_t length, std::string where);
  Status VerifyStreaming(uint64_t checksum);
  Status Fill(size_t want);

  int fd_;             // -1 once the whole block is in buf_
  uint64_t offset_;    // file offset of the next unread byte of the block
  uint64_t remaining_; // block bytes not yet read from the file
  std::string where_;
  std::string buf_;    // read buffer; unconsumed bytes start at pos_
  size_t pos_ = 0;
};

}  // namespace ember::shuffle
