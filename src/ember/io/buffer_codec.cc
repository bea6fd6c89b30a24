#include "ember/io/buffer_codec.h"

#include <bzlib.h>
#include <lz4.h>
#include <zlib.h>

#include <algorithm>
#include <climits>

namespace ember::io {
namespace {

constexpr size_t kStep = 64 * 1024;

Status TooBig(size_t max_output) {
  return Corrupt("compressed data expands past the limit of " + std::to_string(max_output) + " bytes");
}

Result<std::string> ZlibCompress(std::string_view data, int window_bits) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return Internal("deflateInit2 failed");
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return Internal("deflate did not finish");
  return out;
}

Result<std::string> ZlibDecompress(std::string_view data, int window_bits, size_t max_output) {
  z_stream z{};
  if (inflateInit2(&z, window_bits) != Z_OK) return Internal("inflateInit2 failed");
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (true) {
    if (out.size() >= max_output + 1) break;
    size_t old = out.size();
    size_t grow = std::min(kStep, max_output + 1 - old);
    out.resize(old + grow);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + old);
    z.avail_out = static_cast<uInt>(grow);
    rc = inflate(&z, Z_NO_FLUSH);
    out.resize(old + grow - z.avail_out);
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      inflateReset(&z);  // another gzip member or zlib stream follows
      continue;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;  // input ended mid-stream
    if (rc != Z_OK) break;
  }
  std::string msg = z.msg ? z.msg : "";
  size_t consumed = data.size() - z.avail_in;
  inflateEnd(&z);
  if (out.size() > max_output) return TooBig(max_output);
  if (rc != Z_STREAM_END)
    return Corrupt("bad or truncated compressed data near byte " + std::to_string(consumed) +
                   (msg.empty() ? "" : ": " + msg));
  return out;
}

Result<std::string> Bzip2Compress(std::string_view data) {
  bz_stream s{};
  if (BZ2_bzCompressInit(&s, 9, 0, 0) != BZ_OK) return Internal("BZ2_bzCompressInit failed");
  std::string out(data.size() + data.size() / 100 + 600, '\0');
  s.next_in = const_cast<char*>(data.data());
  s.avail_in = static_cast<unsigned>(data.size());
  s.next_out = out.data();
  s.avail_out = static_cast<unsigned>(out.size());
  int rc = BZ2_bzCompress(&s, BZ_FINISH);
  out.resize(out.size() - s.avail_out);
  BZ2_bzCompressEnd(&s);
  if (rc != BZ_STREAM_END) return Internal("bzip2 compression did not finish");
  return out;
}

Result<std::string> Bzip2Decompress(std::string_view data, size_t max_output) {
  std::string out;
  size_t at = 0;
  do {
    bz_stream s{};
    if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK) return Internal("BZ2_bzDecompressInit failed");
    s.next_in = const_cast<char*>(data.data() + at);
    s.avail_in = static_cast<unsigned>(data.size() - at);
    int rc = BZ_OK;
    while (out.size() <= max_output) {
      size_t old = out.size();
      size_t grow = std::min(kStep, max_output + 1 - old);
      out.resize(old + grow);
      s.next_out = out.data() + old;
      s.avail_out = static_cast<unsigned>(grow);
      rc = BZ2_bzDecompress(&s);
      out.resize(old + grow - s.avail_out);
      if (rc != BZ_OK || (s.avail_in == 0 && s.avail_out != 0)) break;
    }
    size_t consumed = data.size() - at - s.avail_in;
    BZ2_bzDecompressEnd(&s);
    if (out.size() > max_output) return TooBig(max_output);
    if (rc != BZ_STREAM_END)
      return Corrupt("bad or truncated bzip2 data near byte " + std::to_string(at + consumed));
    at += consumed;
  } while (at < data.size());
  return out;
}

// Hadoop's BlockCompressorStream framing (Lz4Codec): blocks of at most
// kLz4Block input bytes, each an int32 BE uncompressed length followed by
// int32 BE compressed length + LZ4 raw block chunks until that length is
// reached.
constexpr size_t kLz4Block = 256 * 1024 - (256 * 1024 / 255 + 16);  // Hadoop's buffer less its overhead

// An LZ4 block never expands its input more than 255-fold (a match of
// 255 bytes per byte of length code).
constexpr size_t kLz4MaxRatio = 255;

void PutInt32BE(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}

Result<uint32_t> GetInt32BE(std::string_view data, size_t* pos) {
  if (data.size() - *pos < 4) return Corrupt("truncated lz4 block header near byte " + std::to_string(*pos));
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(data[*pos + i]);
  *pos += 4;
  return v;
}

std::string Lz4Compress(std::string_view data) {
  std::string out;
  for (size_t at = 0; at < data.size(); at += kLz4Block) {
    size_t n = std::min(kLz4Block, data.size() - at);
    std::string block(static_cast<size_t>(LZ4_compressBound(static_cast<int>(n))), '\0');
    int z = LZ4_compress_default(data.data() + at, block.data(), static_cast<int>(n), static_cast<int>(block.size()));
    PutInt32BE(&out, static_cast<uint32_t>(n));
    PutInt32BE(&out, static_cast<uint32_t>(z));
    out.append(block.data(), static_cast<size_t>(z));
  }
  return out;
}

Result<std::string> Lz4Decompress(std::string_view data, size_t max_output) {
  std::string out;
  size_t pos = 0;
  while (pos < data.size()) {
    EMBER_ASSIGN_OR_RETURN(uint32_t raw, GetInt32BE(data, &pos));
    if (out.size() + raw > max_output) return TooBig(max_output);
    size_t block_end = out.size() + raw;
    while (out.size() < block_end) {
      EMBER_ASSIGN_OR_RETURN(uint32_t z, GetInt32BE(data, &pos));
      if (z > data.size() - pos) return Corrupt("truncated lz4 block near byte " + std::to_string(pos));
      // Room for what z bytes can expand to at most, not for the announced
      // length: 8 bytes of header must not allocate half a gigabyte.
      size_t old = out.size();
      size_t room = std::min<size_t>(block_end - old, kLz4MaxRatio * static_cast<size_t>(z) + 16);
      out.resize(old + room);
      int got = LZ4_decompress_safe(data.data() + pos, out.data() + old, static_cast<int>(z),
                                    static_cast<int>(room));
      if (got <= 0) return Corrupt("bad lz4 block near byte " + std::to_string(pos));
      out.resize(old + static_cast<size_t>(got));
      pos += z;
    }
  }
  return out;
}

}  // namespace

bool BufferCodecSupported(Codec codec) {
  return codec == Codec::kDeflate || codec == Codec::kGzip || codec == Codec::kBzip2 || codec == Codec::kLz4;
}

Result<std::string> CompressBuffer(Codec codec, std::string_view data) {
  if (data.size() > UINT_MAX / 2) return InvalidArgument("buffer too large to compress at once");
  switch (codec) {
    case Codec::kDeflate: return ZlibCompress(data, 15);
    case Codec::kGzip: return ZlibCompress(data, 15 + 16);
    case Codec::kBzip2: return Bzip2Compress(data);
    case Codec::kLz4: return Lz4Compress(data);
    default: return InvalidArgument("codec not supported for buffer compression");
  }
}

Result<std::string> DecompressBuffer(Codec codec, std::string_view data, size_t max_output) {
  if (data.size() > UINT_MAX / 2) return InvalidArgument("buffer too large to decompress at once");
  switch (codec) {
    case Codec::kDeflate: return ZlibDecompress(data, 15, max_output);
    case Codec::kGzip: return ZlibDecompress(data, 15 + 16, max_output);
    case Codec::kBzip2: return Bzip2Decompress(data, max_output);
    case Codec::kLz4: return Lz4Decompress(data, max_output);
    default: return InvalidArgument("codec not supported for buffer decompression");
  }
}

}  // namespace ember::io
