// Streams over persisted partitions.
//
// Contract: OpenStoredBlock() streams a block found in the BlockStore
// (frames shared from memory, or read back from its frame file, whose
// damage is a Corrupt error naming it). CachingStream
// passes a partition's frames through unchanged while recording them, and
// when the partition has been read to its end stores it at its level: in
// memory while it fits the store's budget, else on disk if the level
// allows (the frames collected so far move to a temporary file and the
// rest follows), else not at all. A stream that fails or is abandoned
// before its end stores nothing and leaves no file.
#pragma once

#include <memory>
#include <string>

#include "ember/common/frame_file.h"
#include "ember/common/frame_stream.h"
#include "ember/storage/block_store.h"

namespace ember::exec {

// `store` (may be null) forgets the block if it turns out missing or
// damaged, so the next attempt recomputes it.
Result<std::unique_ptr<FrameStream>> OpenStoredBlock(storage::BlockStore* store, storage::BlockId id,
                                                     const storage::BlockStore::Stored& block);

class CachingStream : public FrameStream {
 public:
  CachingStream(std::unique_ptr<FrameStream> inner, storage::BlockStore* store, storage::BlockId id,
                storage::Level level);
  ~CachingStream() override;
  Result<bool> Next(Frame* frame) override;

 private:
  Status Record(const Frame& frame);
  Status MoveToDisk();
  Status Finish();
  void Abandon();

  std::unique_ptr<FrameStream> inner_;
  storage::BlockStore* store_;
  storage::BlockId id_;
  storage::Level level_;
  storage::Frames frames_;
  size_t bytes_ = 0;
  bool recording_ = true;
  int fd_ = -1;
  std::unique_ptr<FrameFileWriter> file_;
  std::string temp_path_;
};

}  // namespace ember::exec
