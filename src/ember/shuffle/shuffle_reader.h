// Reading one bucket's block of one map output, in bounded memory.
//
// Contract: BlockReader::Open verifies the block's checksum against the
// index before a single batch is handed out, so a consumer never sees a
// byte of a damaged block. Blocks up to kInMemoryBlock bytes are read once
// and kept; larger ones are verified in a streaming first pass and then
// read again batch by batch, so memory stays at one batch plus a read
// buffer whatever the block size. Next() yields the batches in the order
// they were written. A missing or truncated data or index file, a checksum
// mismatch and a malformed block are all FetchFailed (messages name the
// file and bucket and say "corrupt" where it is), because either way the
// map output must be recomputed. A file that changes between the passes
// is caught by the record framing or reported as truncated.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ember/common/status.h"

namespace ember::shuffle {

class BlockReader {
 public:
  static constexpr uint64_t kInMemoryBlock = 4 << 20;

  static Result<std::unique_ptr<BlockReader>> Open(const std::string& data_path,
                                                   const std::string& index_path, int bucket);
  ~BlockReader();
  BlockReader(const BlockReader&) = delete;
  BlockReader& operator=(const BlockReader&) = delete;

  // The next batch into *batch; false at the end of the block.
  Result<bool> Next(std::string* batch);

 private:
  BlockReader(int fd, uint64_t offset, uint64_t length, std::string where);
  Status Verify(uint64_t checksum);
  Status Fill(size_t want);

  int fd_;
  uint64_t offset_;    // file offset of the next unread byte of the block
  uint64_t remaining_; // block bytes not yet read from the file
  std::string where_;
  std::string buf_;    // read buffer; unconsumed bytes start at pos_
  size_t pos_ = 0;
};

}  // namespace ember::shuffle
