// Fuzz target: common/frame.h's FrameReader, as it reads frames from a
// Python worker's socket or a file. The first byte picks how many bytes
// each read hands over (1..256, or everything), so frames split across
// reads are covered too.
#include <algorithm>
#include <cstring>

#include "ember/common/frame.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t step = data[0] == 0 ? SIZE_MAX : data[0];
  std::string_view in = ember::fuzz::AsView(data + 1, size - 1);
  ember::FrameReader reader([&](char* buf, size_t n) -> ember::Result<size_t> {
    size_t k = std::min({n, step, in.size()});
    std::memcpy(buf, in.data(), k);
    in.remove_prefix(k);
    return k;
  });
  ember::Frame frame;
  for (;;) {
    auto more = reader.Next(&frame);
    if (!more.ok() || !*more) break;
  }
  return 0;
}
