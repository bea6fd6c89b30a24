// Fuzz target: io/line_reader.h's LineChunkReader over a file in every
// codec the engine reads (io/codec.h), decompression included.
//
// Input: u8 codec (mod 6: none, gzip, bzip2, zstd, lz4, deflate), u8
// flags (bit 0: validate UTF-8; bit 1: one line per chunk), u8 split
// start and u8 split length (plain files only; 255 = whole file), then
// the file's bytes.
#include "ember/io/line_reader.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  static const char* const kNames[] = {"part.txt", "part.gz",  "part.bz2",
                                       "part.zst", "part.lz4", "part.deflate"};
  std::string path = ember::fuzz::ScratchFile(kNames[data[0] % 6]);
  ember::fuzz::WriteScratch(path, ember::fuzz::AsView(data + 4, size - 4));
  ember::io::TextSplit split{path, 0, -1};
  if (data[0] % 6 == 0 && data[3] != 255) split = {path, data[2], data[3]};
  bool validate = data[1] & 1;
  size_t target_chunk = (data[1] & 2) ? 0 : 64;
  auto reader = ember::io::LineChunkReader::Open(split, validate, target_chunk);
  if (!reader.ok()) return 0;
  std::string chunk;
  for (;;) {
    auto more = (*reader)->Next(&chunk);
    if (!more.ok() || !*more) break;
  }
  return 0;
}
