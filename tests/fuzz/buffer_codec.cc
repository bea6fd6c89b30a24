// Fuzz target: io/buffer_codec.h's DecompressBuffer, which decompresses
// SequenceFile values and blocks, in each codec it supports. The first
// byte picks the codec (mod 4: deflate, gzip, bzip2, Hadoop's lz4 blocks).
#include "ember/io/buffer_codec.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ember::io::Codec;
  if (size == 0) return 0;
  static const Codec kCodecs[] = {Codec::kDeflate, Codec::kGzip, Codec::kBzip2, Codec::kLz4};
  constexpr size_t kMaxOutput = 1 << 20;
  auto out = ember::io::DecompressBuffer(kCodecs[data[0] % 4], ember::fuzz::AsView(data + 1, size - 1),
                                         kMaxOutput);
  if (out.ok() && out->size() > kMaxOutput) std::abort();
  return 0;
}
