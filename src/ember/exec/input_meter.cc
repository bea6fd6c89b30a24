#include "ember/exec/input_meter.h"

namespace ember::exec {

InputMeter::~InputMeter() {
  proto::TaskMetrics m;
  m.set_input_bytes_read(bytes_);
  ctx_->AddMetrics(m);
}

Result<bool> InputMeter::Next(Frame* frame) {
  auto more = inner_->Next(frame);
  if (!more.ok() || !*more) return more;
  frame->origin = FrameOrigin::kInput;
  bool lines = frame->type == FrameType::kUtf8Lines || frame->type == FrameType::kByteLines;
  bytes_ += static_cast<int64_t>(frame->data.size()) + (lines ? 1 : 0);
  return true;
}

}  // namespace ember::exec
