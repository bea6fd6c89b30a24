// Fuzz target: shuffle/shuffle_reader.h — ReadBlockRange, BlockReader::Open
// and Next, BlockReader::FromMemory — over a map output whose index
// entries are sound (the index proves each entry with its own checksum,
// which random bytes never pass) but may lie about where the blocks are,
// and whose data file is arbitrary.
//
// Input: u8 flags, u8 bucket count n (mod 9), n x (u64 LE offset, u64 LE
// length), then the data file. With flag bit 0 each entry carries the
// true checksum of the bytes it points at (when they exist), so the
// record framing inside a block is reached; without it the checksums are
// wrong and the verification path is.
#include <cstring>

#include "ember/shuffle/shuffle_reader.h"
#include "fuzz_util.h"

namespace {

void Drain(ember::shuffle::BlockReader& reader) {
  std::string batch;
  for (;;) {
    auto more = reader.Next(&batch);
    if (!more.ok() || !*more) return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ember::shuffle;
  if (size < 2) return 0;
  bool true_checksums = data[0] & 1;
  int n = data[1] % 9;
  size_t pos = 2;
  if (size < pos + 16 * static_cast<size_t>(n)) return 0;
  std::vector<BlockEntry> entries(n);
  for (BlockEntry& e : entries) {
    std::memcpy(&e.offset, data + pos, 8);
    std::memcpy(&e.length, data + pos + 8, 8);
    pos += 16;
  }
  std::string_view file = ember::fuzz::AsView(data + pos, size - pos);
  for (BlockEntry& e : entries) {
    bool inside = e.offset <= file.size() && e.length <= file.size() - e.offset;
    e.checksum = true_checksums && inside ? Checksum(file.data() + e.offset, e.length) : 0;
  }

  static const MapOutputFiles files{ember::fuzz::ScratchFile("shuffle_0_0_0.data"),
                                    ember::fuzz::ScratchFile("shuffle_0_0_0.index")};
  ember::fuzz::WriteScratch(files.index, EncodeIndex(entries));
  ember::fuzz::WriteScratch(files.data, file);

  if (n > 0) {
    auto range = ReadBlockRange(files, 0, n);
    if (range.ok()) {
      for (int b = 0; b < n; ++b) {
        if (range->Block(b).size() != range->entries[b].length) std::abort();
        Drain(*BlockReader::FromMemory(std::string(range->Block(b)), "fuzz"));
      }
    }
  }
  for (int b = 0; b < n; ++b) {
    auto reader = BlockReader::Open(files, b);
    if (reader.ok()) Drain(**reader);
  }
  Drain(*BlockReader::FromMemory(std::string(file), "fuzz"));
  return 0;
}
