#include "ember/io/line_reader.h"

#include <cstring>
#include <limits>
#include <vector>

namespace ember::io {

struct LineChunkReader::Impl {
  std::unique_ptr<InputStream> in;
  std::string path;
  bool validate = false;
  size_t target = 0;
  int64_t end = 0;  // lines starting after this offset belong to the next split

  std::vector<char> buf = std::vector<char>(1 << 20);
  size_t pos = 0, len = 0;
  int64_t buf_offset = 0;  // file offset of buf[0]
  bool has_cr = false;     // buf holds a '\r': use the slow terminator scan
  bool skip_lf = false;    // a '\r' ended the last buffer: a leading '\n' is its pair
  bool eof = false, done = false;
  std::string carry;       // a line spanning buffer refills

  Status Refill() {
    buf_offset += static_cast<int64_t>(len);
    pos = 0;
    EMBER_ASSIGN_OR_RETURN(len, in->Read(buf.data(), buf.size()));
    eof = len == 0;
    has_cr = len && std::memchr(buf.data(), '\r', len) != nullptr;
    return Status::OK();
  }

  size_t FindTerminator() const {
    const char* b = buf.data();
    if (!has_cr) {
      const void* nl = std::memchr(b + pos, '\n', len - pos);
      return nl ? static_cast<size_t>(static_cast<const char*>(nl) - b) : len;
    }
    for (size_t i = pos; i < len; ++i)
      if (b[i] == '\n' || b[i] == '\r') return i;
    return len;
  }

  // Next line and its start offset; false at end of input. The view is
  // valid until the next call.
  Result<bool> NextLine(std::string_view* line, int64_t* start) {
    bool spanning = false;
    carry.clear();
    for (;;) {
      if (pos == len) {
        if (eof) break;
        EMBER_RETURN_IF_ERROR(Refill());
        continue;
      }
      if (skip_lf) {
        skip_lf = false;
        if (buf[pos] == '\n') ++pos;
        continue;
      }
      if (!spanning) *start = buf_offset + static_cast<int64_t>(pos);
      size_t t = FindTerminator();
      if (t == len) {
        carry.append(buf.data() + pos, len - pos);
        spanning = true;
        pos = len;
        continue;
      }
      std::string_view piece(buf.data() + pos, t - pos);
      if (spanning) {
        carry.append(piece);
        piece = carry;
      }
      *line = piece;
      if (buf[t] == '\r') {
        if (t + 1 < len) {
          if (buf[t + 1] == '\n') ++t;
        } else {
          skip_lf = true;
        }
      }
      pos = t + 1;
      return true;
    }
    if (!spanning) return false;
    *line = carry;  // a last line without a terminator
    return true;
  }
};

Result<std::unique_ptr<LineChunkReader>> LineChunkReader::Open(const TextSplit& split,
                                                               bool validate_utf8,
                                                               size_t target_chunk) {
  EMBER_ASSIGN_OR_RETURN(auto in, OpenInput(split.path, split.length < 0 ? 0 : split.start));
  std::unique_ptr<LineChunkReader> r(new LineChunkReader());
  r->impl_ = std::make_shared<Impl>();
  Impl& s = *r->impl_;
  s.in = std::move(in);
  s.path = split.path;
  s.validate = validate_utf8;
  s.target = target_chunk;
  bool whole = split.length < 0;
  s.buf_offset = whole ? 0 : split.start;
  s.end = whole ? std::numeric_limits<int64_t>::max() : split.start + split.length;
  if (!whole && split.start > 0) {
    // The line holding byte `start` was returned by the previous split.
    std::string_view skipped;
    int64_t at = 0;
    EMBER_RETURN_IF_ERROR(s.NextLine(&skipped, &at).status());
  }
  return r;
}

Result<bool> LineChunkReader::Next(std::string* chunk) {
  Impl& s = *impl_;
  chunk->clear();
  if (s.done) return false;
  bool any = false;
  while (chunk->size() < s.target) {
    std::string_view line;
    int64_t start = 0;
    EMBER_ASSIGN_OR_RETURN(bool more, s.NextLine(&line, &start));
    if (!more || start > s.end) {
      s.done = true;
      break;
    }
    size_t bad = 0;
    if (s.validate && !ValidateUtf8(line, &bad)) {
      return Corrupt("invalid UTF-8 in " + s.path + " at byte " +
                     std::to_string(start + static_cast<int64_t>(bad)) +
                     " (use_unicode=False reads bytes)");
    }
    if (any) chunk->push_back('\n');
    chunk->append(line);
    any = true;
  }
  return any;
}

bool ValidateUtf8(std::string_view data, size_t* bad_offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size(), i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp, min;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
    else { *bad_offset = i; return false; }
    if (i + len > n) { *bad_offset = i; return false; }
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) { *bad_offset = i; return false; }
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      *bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace ember::io
