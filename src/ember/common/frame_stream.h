// FrameStream: a pull iterator over the data frames of one partition, and
// the generic streams every layer composes (frames in memory, a
// concatenation of streams opened one after another).
//
// Contract: Next() fills `frame` with the next data frame and returns true,
// returns false at the end, or returns an error Status (the stream is then
// finished). Streams are used by one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ember/common/frame.h"
#include "ember/common/status.h"

namespace ember {

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

inline std::unique_ptr<FrameStream> SingleFrameStream(Frame frame) {
  std::vector<Frame> frames;
  frames.push_back(std::move(frame));
  return std::make_unique<VectorStream>(std::move(frames));
}

// Streams the concatenation of `count` streams, opening stream i only once
// stream i-1 has ended, so at most one of them is open at a time.
class ConcatStream : public FrameStream {
 public:
  using Opener = std::function<Result<std::unique_ptr<FrameStream>>(int)>;
  ConcatStream(int count, Opener open) : count_(count), open_(std::move(open)) {}
  Result<bool> Next(Frame* frame) override {
    for (;;) {
      if (!current_) {
        if (index_ >= count_) return false;
        auto s = open_(index_++);
        if (!s.ok()) return s.status();
        current_ = std::move(s).value();
      }
      auto more = current_->Next(frame);
      if (!more.ok() || *more) return more;
      current_.reset();
    }
  }

 private:
  int count_;
  int index_ = 0;
  Opener open_;
  std::unique_ptr<FrameStream> current_;
};

}  // namespace ember
