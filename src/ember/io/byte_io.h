// Byte sources read at offsets and byte sinks written in order: the small
// seam between file formats (SequenceFile, ...) and where bytes live.
//
// Contract: ByteSource::Size is the total length, fixed while reading;
// ReadAt returns fewer than n bytes only when the range passes the end
// (never a short read mid-file) and IOError on failure. ByteSink::Write
// appends; Close finishes the destination and must be called for a
// complete output. File systems (file_system.h) provide them for files;
// String* keep bytes in memory (tests).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ember/common/status.h"
#include "ember/io/codec.h"

namespace ember::io {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual int64_t Size() const = 0;
  virtual Result<size_t> ReadAt(int64_t offset, char* buf, size_t n) = 0;
  // Names the data in error messages (a path, or "<memory>").
  virtual std::string Name() const = 0;
};

// Written in order, then Close()d: the output stream of codec.h.
using ByteSink = OutputStream;

// Reads a copy of `data`.
std::unique_ptr<ByteSource> StringSource(std::string data);
// Appends to *out, which must outlive the sink.
std::unique_ptr<ByteSink> StringSink(std::string* out);

}  // namespace ember::io
