// Compression codecs for reading and writing files, chosen as Hadoop does:
// by file extension on read, by Hadoop codec class name on write.
//
// Read: .gz (gzip, multi-member), .bz2 (multi-stream), .zst, .lz4 (LZ4
// frame format, as written by the lz4 tool), .deflate (zlib stream); any
// other extension is read as plain bytes. Corrupt or truncated compressed
// data is a Corrupt error naming the file and the compressed byte offset
// reached ("corrupt gzip data in /x/a.gz near byte 1234: ...").
// Write: codec class names org.apache.hadoop.io.compress.{GzipCodec,
// BZip2Codec, ZStandardCodec, Lz4Codec, DefaultCodec} (or the short names
// gzip, bzip2, zstd, lz4, deflate); an unknown name is InvalidArgument
// naming it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ember/common/status.h"

namespace ember::io {

enum class Codec { kNone, kGzip, kBzip2, kZstd, kLz4, kDeflate };

Codec CodecForPath(const std::string& path);
// Plain files can be split into byte ranges; compressed ones are read whole.
bool IsSplittable(Codec codec);
Result<Codec> CodecFromClassName(const std::string& name);
// File extension Hadoop appends for this codec (".gz", ...; "" for none).
std::string CodecExtension(Codec codec);

class InputStream {
 public:
  virtual ~InputStream() = default;
  // Reads up to n decompressed bytes; returns 0 only at end of data.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
};

class OutputStream {
 public:
  virtual ~OutputStream() = default;
  virtual Status Write(std::string_view data) = 0;
  // Flushes codec trailers and closes the file; must be called for a
  // complete file (a stream destroyed without Close leaves it incomplete).
  virtual Status Close() = 0;
};

// Opens `path` (on its file system, file_system.h) for reading, decompressing by extension. `offset` (plain
// files only; InvalidArgument otherwise) starts reading at that byte.
Result<std::unique_ptr<InputStream>> OpenInput(const std::string& path, int64_t offset = 0);
// Creates `path` on its file system (must not exist: AlreadyExists) and compresses what is
// written with `codec`.
Result<std::unique_ptr<OutputStream>> CreateOutput(const std::string& path, Codec codec);

}  // namespace ember::io
