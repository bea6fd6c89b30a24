// Whole-buffer compression for formats that compress pieces of a file
// (SequenceFile values and blocks), in the stream formats Hadoop's codecs
// write: DefaultCodec = zlib stream, GzipCodec = gzip, BZip2Codec = bzip2,
// Lz4Codec = Hadoop's block framing of LZ4 raw blocks (int32 BE
// uncompressed length, then int32 BE compressed length + block pieces).
//
// Contract: CompressBuffer output decompresses to the input with
// DecompressBuffer. DecompressBuffer accepts concatenated streams (gzip
// members, bzip2 streams), requires the input to end at a stream end,
// and never produces more than max_output bytes: more, bad data or a
// truncated stream is Corrupt. Other codecs are InvalidArgument.
#pragma once

#include <string>
#include <string_view>

#include "ember/common/status.h"
#include "ember/io/codec.h"

namespace ember::io {

bool BufferCodecSupported(Codec codec);
Result<std::string> CompressBuffer(Codec codec, std::string_view data);
Result<std::string> DecompressBuffer(Codec codec, std::string_view data, size_t max_output);

}  // namespace ember::io
