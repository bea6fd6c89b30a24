// FrameStream: a pull iterator over the data frames of one partition.
//
// Contract: Next() fills `frame` with the next data frame and returns true,
// returns false at the end, or returns an error Status (the stream is then
// finished). Streams are used by one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ember/common/frame.h"
#include "ember/common/status.h"

namespace ember::exec {

class FrameStream {
 public:
  virtual ~FrameStream() = default;
  virtual Result<bool> Next(Frame* frame) = 0;
};

// A stream over frames already in memory.
class VectorStream : public FrameStream {
 public:
  explicit VectorStream(std::vector<Frame> frames) : frames_(std::move(frames)) {}
  Result<bool> Next(Frame* frame) override {
    if (pos_ >= frames_.size()) return false;
    *frame = std::move(frames_[pos_++]);
    return true;
  }

 private:
  std::vector<Frame> frames_;
  size_t pos_ = 0;
};

}  // namespace ember::exec
