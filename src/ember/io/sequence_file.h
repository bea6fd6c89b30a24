// Hadoop SequenceFile (version 6) reading and writing, format only: keys
// and values are the Writables' serialized bytes (see writables.h).
//
// Layout: "SEQ" 6, key and value class names (Text), compressed and
// blockCompressed booleans, codec class name (Text, if compressed),
// metadata (int32 BE count, Text key/value pairs), 16-byte sync marker.
// Uncompressed/record-compressed records are int32 BE record length, int32
// BE key length, key, value (in record compression the value alone is one
// codec stream); before a record, once 2000 bytes have passed since the
// last, the writer puts a sync escape (int32 -1) and the sync marker.
// Block-compressed files are blocks, each: escape + sync marker, vint
// record count, then four vint-length-prefixed codec streams: key lengths
// (vints), keys, value lengths (vints), values.
// Codecs: org.apache.hadoop.io.compress.{DefaultCodec,GzipCodec,BZip2Codec,Lz4Codec}.
//
// Splits (Hadoop's SequenceFileRecordReader): the header is read from
// offset 0; a reader for [start, end) begins at the first sync escape at
// or after `start` (or right after the header if start is inside it) and
// returns records until it meets a sync escape at or after `end`, reading
// past `end` as needed. Splits covering a file thus partition its records.
//
// Errors: wrong magic, unsupported version, bad lengths, truncation, sync
// mismatch and bad compressed data are Corrupt; an unsupported codec is
// InvalidArgument; each names the source, the byte offset and what was
// expected. Lengths are checked against the bytes left before allocating.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "ember/common/status.h"
#include "ember/io/byte_io.h"
#include "ember/io/codec.h"

namespace ember::io {

enum class SequenceFileCompression { kNone, kRecord, kBlock };

struct SequenceFileHeader {
  std::string key_class;
  std::string value_class;
  SequenceFileCompression compression = SequenceFileCompression::kNone;
  std::string codec_class;  // empty when not compressed
  std::map<std::string, std::string> metadata;
  std::array<char, 16> sync{};
  int64_t header_end = 0;  // offset of the first byte after the header
};

struct SequenceFileWriterOptions {
  std::string key_class = "org.apache.hadoop.io.Text";
  std::string value_class = "org.apache.hadoop.io.Text";
  SequenceFileCompression compression = SequenceFileCompression::kNone;
  std::string codec_class = "org.apache.hadoop.io.compress.DefaultCodec";
  std::map<std::string, std::string> metadata;
  // Uncompressed key+value bytes buffered before a block is written
  // (Hadoop's io.seqfile.compress.blocksize).
  size_t block_size = 1000000;
};

class SequenceFileWriter {
 public:
  static Result<std::unique_ptr<SequenceFileWriter>> Create(std::unique_ptr<ByteSink> sink,
                                                            const SequenceFileWriterOptions& options);
  Status Append(std::string_view key, std::string_view value);
  // Writes the last block and closes the sink; required for a complete file.
  Status Close();

 private:
  SequenceFileWriter() = default;
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

class SequenceFileReader {
 public:
  // Reads records whose sync region starts in [start, end); end -1 = file end.
  static Result<std::unique_ptr<SequenceFileReader>> Open(std::shared_ptr<ByteSource> source,
                                                          int64_t start = 0, int64_t end = -1);
  const SequenceFileHeader& header() const;
  // Fills the next key and value (serialized Writables); false when done.
  Result<bool> Next(std::string* key, std::string* value);

 private:
  SequenceFileReader() = default;
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace ember::io
