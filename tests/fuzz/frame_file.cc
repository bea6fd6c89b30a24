// Fuzz target: common/frame_file.h's FrameFileReader, which reads cached
// blocks and checkpoint files back from disk.
#include <cstring>

#include "ember/common/frame_file.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = ember::fuzz::AsView(data, size);
  ember::FrameFileReader reader(
      [&](char* buf, size_t n) -> ember::Result<size_t> {
        size_t k = std::min(n, in.size());
        std::memcpy(buf, in.data(), k);
        in.remove_prefix(k);
        return k;
      },
      "rdd_0_0");
  ember::Frame frame;
  for (;;) {
    auto more = reader.Next(&frame);
    if (!more.ok() || !*more) break;
  }
  return 0;
}
