// Frame files: a partition stored on disk (cached block, checkpoint file)
// as frames in wire format followed by an END frame whose payload is the
// u32 LE CRC-32 (zlib's) of every byte before it.
//
// Contract: FrameFileWriter writes frames and, on Finish(), the END frame.
// FrameFileReader returns the data frames; at the END frame it checks the
// CRC, and a file that ends early, has a bad CRC or carries bytes after the
// END frame is Corrupt, naming the file — so damage is detected, never
// read as records. Both work on a file descriptor or on any byte stream
// (checkpoint files live on the checkpoint directory's file system).
#pragma once

#include <cstdint>
#include <string>

#include "ember/common/frame.h"

namespace ember {

class FrameFileWriter {
 public:
  explicit FrameFileWriter(int fd) : out_(fd) {}
  explicit FrameFileWriter(WriteBytes write) : out_(std::move(write)) {}
  Status Write(FrameType type, std::string_view payload);
  Status Finish();

 private:
  FrameWriter out_;
  uint32_t crc_ = 0;
};

class FrameFileReader {
 public:
  FrameFileReader(int fd, std::string path) : in_(fd), path_(std::move(path)) {}
  FrameFileReader(ReadBytes read, std::string path) : in_(std::move(read)), path_(std::move(path)) {}
  Result<bool> Next(Frame* frame);

 private:
  FrameReader in_;
  std::string path_;
  uint32_t crc_ = 0;
  bool ended_ = false;
};

}  // namespace ember
