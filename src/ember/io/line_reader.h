// Reading the lines of one text split, as chunks ready to become frames.
//
// Contract (Hadoop LineRecordReader): a line ends at '\n', '\r' or "\r\n";
// terminators are not part of the line. For a split [start, start+length):
// if start > 0 the reader skips everything up to and including the first
// line terminator at or after `start` (that line belongs to the previous
// split); it then returns every line that starts at an offset <= start +
// length, reading past the end of the split to finish the last one. A
// final line without a terminator is returned; an empty file has no lines.
// Whole-file splits (length -1, compressed files) return all lines.
//
// Lines are handed out in chunks: several lines joined by '\n' (no trailing
// '\n'), each chunk about `target_chunk` bytes (a single longer line makes
// a longer chunk); a target of 0 makes each chunk exactly one line. With
// validate_utf8, invalid UTF-8 is a Corrupt error
// naming the file and the (decompressed) byte offset of the first byte of
// the first invalid sequence:
// "invalid UTF-8 in /x/a.txt at byte 812 (use_unicode=False reads bytes)".
#pragma once

#include <memory>
#include <string>

#include "ember/common/status.h"
#include "ember/io/codec.h"
#include "ember/io/text_split.h"

namespace ember::io {

class LineChunkReader {
 public:
  static Result<std::unique_ptr<LineChunkReader>> Open(const TextSplit& split, bool validate_utf8,
                                                       size_t target_chunk = 64 * 1024);
  // Fills `chunk` with the next chunk; returns false when the split is done.
  Result<bool> Next(std::string* chunk);
  // The (decompressed) file offset of the first line of the last chunk
  // Next returned: each line's offset when target_chunk is 0, the key of
  // Hadoop's TextInputFormat.
  int64_t chunk_offset() const;

 private:
  LineChunkReader() = default;
  // Implementation state is the helper's choice; keep it in this class.
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// True if `data` is valid UTF-8; otherwise sets *bad_offset to the offset
// of the first byte of the first invalid sequence.
bool ValidateUtf8(std::string_view data, size_t* bad_offset);

}  // namespace ember::io
