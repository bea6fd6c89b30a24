// Fuzz target: io/sequence_file.h's SequenceFileReader (header, records,
// record- and block-compressed files, sync markers). The first byte picks
// the split read: the whole file, or from that byte's offset to the end.
#include "ember/io/byte_io.h"
#include "ember/io/sequence_file.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string file(ember::fuzz::AsView(data + 1, size - 1));
  int64_t start = data[0] == 0 ? 0 : data[0] * 16;
  auto reader = ember::io::SequenceFileReader::Open(ember::io::StringSource(std::move(file)), start, -1);
  if (!reader.ok()) return 0;
  std::string key, value;
  for (;;) {
    auto more = (*reader)->Next(&key, &value);
    if (!more.ok() || !*more) break;
  }
  return 0;
}
