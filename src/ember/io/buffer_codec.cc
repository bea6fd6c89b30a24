#include "ember/io/buffer_codec.h"

#include <bzlib.h>
#include <zlib.h>

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

}  // namespace

bool BufferCodecSupported(Codec codec) {
  return codec == Codec::kDeflate || codec == Codec::kGzip || codec == Codec::kBzip2;
}

Result<std::string> CompressBuffer(Codec codec, std::string_view data) {
  if (data.size() > UINT_MAX / 2) return InvalidArgument("buffer too large to compress at once");
  switch (codec) {
    case Codec::kDeflate: return ZlibCompress(data, 15);
    case Codec::kGzip: return ZlibCompress(data, 15 + 16);
    case Codec::kBzip2: return Bzip2Compress(data);
    default: return InvalidArgument("codec not supported for buffer compression");
  }
}

Result<std::string> DecompressBuffer(Codec codec, std::string_view data, size_t max_output) {
  if (data.size() > UINT_MAX / 2) return InvalidArgument("buffer too large to decompress at once");
  switch (codec) {
    case Codec::kDeflate: return ZlibDecompress(data, 15, max_output);
    case Codec::kGzip: return ZlibDecompress(data, 15 + 16, max_output);
    case Codec::kBzip2: return Bzip2Decompress(data, max_output);
    default: return InvalidArgument("codec not supported for buffer decompression");
  }
}

}  // namespace ember::io
