// Fuzz target: shuffle/shuffle_index.h's ReadIndexEntries on a damaged
// index file. The first two bytes pick the bucket range asked for.
#include "ember/shuffle/shuffle_index.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static const std::string path = ember::fuzz::ScratchFile("shuffle_0_0_0.index");
  ember::fuzz::WriteScratch(path, ember::fuzz::AsView(data + 2, size - 2));
  int first = data[0] % 16;
  int end = first + data[1] % 16;
  auto entries = ember::shuffle::ReadIndexEntries(path, first, end);
  if (entries.ok() && entries->size() != static_cast<size_t>(end - first)) std::abort();
  return 0;
}
