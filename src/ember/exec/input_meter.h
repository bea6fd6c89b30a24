// InputMeter: a stream of input data — a source node's partition or a
// cached block — measured for the task metrics.
//
// Contract: passes the inner stream's frames through unchanged but for
// their origin, set to FrameOrigin::kInput (so a Python worker's count of
// their records becomes input records, exec/task_metrics.h), and adds the
// bytes they hold to the task's input_bytes_read when it is destroyed,
// ended or not. Bytes are those of the records as the frames carry them:
// a text line counts with one '\n' terminator (a file with LF line ends
// and a final newline counts its size), other frames their payload.
#pragma once

#include <memory>

#include "ember/common/frame_stream.h"
#include "ember/exec/task_context.h"

namespace ember::exec {

class InputMeter : public FrameStream {
 public:
  InputMeter(std::unique_ptr<FrameStream> inner, TaskContext* ctx) : inner_(std::move(inner)), ctx_(ctx) {}
  ~InputMeter() override;
  Result<bool> Next(Frame* frame) override;

 private:
  std::unique_ptr<FrameStream> inner_;
  TaskContext* ctx_;
  int64_t bytes_ = 0;
};

}  // namespace ember::exec
