#include "ember/io/line_reader.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>

namespace ember::io {

namespace {

constexpr size_t kBufferSize = 1 << 20;
// Bytes read past a split's end to finish its last line, per refill.
constexpr size_t kMinRead = 64 << 10;
constexpr int64_t kNoEnd = std::numeric_limits<int64_t>::max();
constexpr size_t kNone = std::numeric_limits<size_t>::max();

}  // namespace

// The unread input lives in buf[pos, len); buf[0] is file offset `base`.
// A line is only consumed once its terminator is in the buffer (for '\r',
// together with the byte after it), so `pos` is always a line start and a
// "\r\n" is never split between two refills.
struct LineChunkReader::Impl {
  std::unique_ptr<InputStream> in;
  std::string path;
  bool validate = false;
  size_t target = 0;  // 0: one line per chunk
  int64_t end = kNoEnd;  // last file offset at which a line of this split may start

  std::unique_ptr<char[]> buf;
  size_t cap = 0, pos = 0, len = 0;
  int64_t base = 0;
  int64_t chunk_offset = 0;  // file offset of the current chunk's first line
  bool eof = false, done = false;
  // First '\r' at or after pos (kNone: none before len); stale once pos passes it.
  size_t cr = kNone;
  bool cr_known = false;

  Status Fill();
  size_t FirstCrFrom(size_t from);
  size_t FindTerminator(size_t from);
  Status SkipFirstLine();
  Status Step(std::string* chunk, bool* any);
  Status Emit(size_t to, std::string* chunk, bool* any);
  void AppendNormalized(size_t from, size_t to, std::string* chunk) const;
};

// Keeps the unfinished line, then reads more after it; grows the buffer
// only when one line fills it.
Status LineChunkReader::Impl::Fill() {
  if (pos > 0) {
    std::memmove(buf.get(), buf.get() + pos, len - pos);
    base += static_cast<int64_t>(pos);
    len -= pos;
    pos = 0;
  }
  if (len == cap) {
    auto bigger = std::make_unique<char[]>(cap * 2);
    std::memcpy(bigger.get(), buf.get(), len);
    buf = std::move(bigger);
    cap *= 2;
  }
  size_t want = cap - len;
  if (end != kNoEnd) {
    // Past the split's end only the last line is needed: read a little,
    // doubling while that line goes on, instead of whole buffers.
    int64_t inside = end + 1 - (base + static_cast<int64_t>(len));
    size_t least = std::max(kMinRead, len);
    want = std::min(want, inside > 0 ? std::max(static_cast<size_t>(inside), least) : least);
  }
  EMBER_ASSIGN_OR_RETURN(size_t got, in->Read(buf.get() + len, want));
  len += got;
  eof = got == 0;
  cr_known = false;
  return Status::OK();
}

size_t LineChunkReader::Impl::FirstCrFrom(size_t from) {
  if (!cr_known || cr < pos) {
    const void* r = std::memchr(buf.get() + pos, '\r', len - pos);
    cr = r ? static_cast<size_t>(static_cast<const char*>(r) - buf.get()) : kNone;
    cr_known = true;
  }
  if (cr == kNone || cr >= from) return cr;
  const void* r = std::memchr(buf.get() + from, '\r', len - from);
  return r ? static_cast<size_t>(static_cast<const char*>(r) - buf.get()) : kNone;
}

// Index of the first '\n' or '\r' at or after `from`, or len.
size_t LineChunkReader::Impl::FindTerminator(size_t from) {
  const void* nl = std::memchr(buf.get() + from, '\n', len - from);
  size_t t = nl ? static_cast<size_t>(static_cast<const char*>(nl) - buf.get()) : len;
  return std::min(t, FirstCrFrom(from));
}

// Hadoop's rule for a split not at the file's start: the line holding its
// first byte (even if that byte is the '\n' of a "\r\n") was the previous
// split's, so drop everything through the first terminator.
Status LineChunkReader::Impl::SkipFirstLine() {
  for (;;) {
    if (pos == len) {
      if (eof) return Status::OK();
      EMBER_RETURN_IF_ERROR(Fill());
      continue;
    }
    size_t t = FindTerminator(pos);
    if (t == len) {
      pos = len;
      continue;
    }
    if (buf[t] == '\r' && t + 1 == len && !eof) {  // a '\n' may follow
      pos = t;
      EMBER_RETURN_IF_ERROR(Fill());
      continue;
    }
    pos = (buf[t] == '\r' && t + 1 < len && buf[t + 1] == '\n') ? t + 2 : t + 1;
    return Status::OK();
  }
}

// Appends the whole lines from pos up to the first terminator at or after
// the point where the chunk reaches its target (or the split's last line
// start), with one copy; refills instead when that terminator is unread.
Status LineChunkReader::Impl::Step(std::string* chunk, bool* any) {
  if (base + static_cast<int64_t>(pos) > end) {
    done = true;
    return Status::OK();
  }
  if (pos == len) {
    if (eof) {
      done = true;
      return Status::OK();
    }
    return Fill();
  }
  size_t q = target == 0 ? pos : pos + std::min(target - chunk->size(), len - 1 - pos);
  int64_t last_start = end - base;  // >= pos, checked above
  if (static_cast<int64_t>(q) > last_start) q = static_cast<size_t>(last_start);
  size_t t = FindTerminator(q);
  if (t == len || (buf[t] == '\r' && t + 1 == len && !eof)) {
    if (!eof) return Fill();
    // No terminator left at or after q: the rest is whole lines plus a
    // final unterminated one.
    EMBER_RETURN_IF_ERROR(Emit(len, chunk, any));
    pos = len;
    return Status::OK();
  }
  size_t line_end = t, next = t + 1;
  if (buf[t] == '\r' && t + 1 < len && buf[t + 1] == '\n') next = t + 2;
  if (buf[t] == '\n' && t > pos && buf[t - 1] == '\r') line_end = t - 1;  // t == q split a "\r\n"
  EMBER_RETURN_IF_ERROR(Emit(line_end, chunk, any));
  pos = next;
  return Status::OK();
}

// Appends the lines in buf[pos, to) as one piece of the chunk.
Status LineChunkReader::Impl::Emit(size_t to, std::string* chunk, bool* any) {
  size_t bad = 0;
  if (validate && !ValidateUtf8(std::string_view(buf.get() + pos, to - pos), &bad)) {
    return Corrupt("invalid UTF-8 in " + path + " at byte " +
                   std::to_string(base + static_cast<int64_t>(pos + bad)) +
                   " (use_unicode=False reads bytes)");
  }
  if (*any) chunk->push_back('\n');
  else chunk_offset = base + static_cast<int64_t>(pos);
  *any = true;
  if (FirstCrFrom(pos) >= to) {
    chunk->append(buf.get() + pos, to - pos);
  } else {
    AppendNormalized(pos, to, chunk);
  }
  return Status::OK();
}

// "\r\n" and lone '\r' inside the piece become the chunk's '\n'. The piece
// never ends with a '\r' whose '\n' lies outside it (Step cuts before it).
void LineChunkReader::Impl::AppendNormalized(size_t from, size_t to, std::string* chunk) const {
  const char* b = buf.get();
  while (from < to) {
    const void* r = std::memchr(b + from, '\r', to - from);
    size_t i = r ? static_cast<size_t>(static_cast<const char*>(r) - b) : to;
    chunk->append(b + from, i - from);
    if (i == to) break;
    chunk->push_back('\n');
    from = i + 1;
    if (from < to && b[from] == '\n') ++from;
  }
}

Result<std::unique_ptr<LineChunkReader>> LineChunkReader::Open(const TextSplit& split,
                                                               bool validate_utf8,
                                                               size_t target_chunk) {
  // Offsets in a compressed file mean nothing after decompression, so its
  // split is always the whole file.
  bool whole = split.length < 0 || !IsSplittable(CodecForPath(split.path));
  if (split.start < 0 || (whole && split.start != 0))
    return InvalidArgument("bad text split of " + split.path + " at byte " + std::to_string(split.start));
  EMBER_ASSIGN_OR_RETURN(auto in, OpenInput(split.path, split.start));
  std::unique_ptr<LineChunkReader> reader(new LineChunkReader());
  auto impl = std::make_shared<Impl>();
  impl->in = std::move(in);
  impl->path = split.path;
  impl->validate = validate_utf8;
  impl->target = target_chunk;
  impl->end = whole ? kNoEnd : split.start + split.length;
  impl->base = split.start;
  impl->cap = kBufferSize;
  impl->buf.reset(new char[kBufferSize]);  // uninitialised: it is filled by reads
  if (split.start > 0) EMBER_RETURN_IF_ERROR(impl->SkipFirstLine());
  reader->impl_ = std::move(impl);
  return reader;
}

Result<bool> LineChunkReader::Next(std::string* chunk) {
  Impl& s = *impl_;
  chunk->clear();
  bool any = false;
  while (!s.done && (s.target == 0 ? !any : chunk->size() < s.target)) EMBER_RETURN_IF_ERROR(s.Step(chunk, &any));
  return any;
}

int64_t LineChunkReader::chunk_offset() const { return impl_->chunk_offset; }

namespace {

// UTF-8 as a DFA (Unicode table 3-7) in the "shift" encoding: each state
// is a bit offset, and kUtf8Rows[byte] holds every state's successor in
// 6-bit fields, so a step is one load and one shift with no branches.
enum : uint8_t {
  kAccept = 0,
  kReject = 6,
  kTail1 = 12,   // one continuation byte (80..BF) to go
  kTail2 = 18,
  kTail3 = 24,
  kAfterE0 = 30,  // next byte A0..BF (excludes overlongs)
  kAfterED = 36,  // next byte 80..9F (excludes surrogates)
  kAfterF0 = 42,  // next byte 90..BF (excludes overlongs)
  kAfterF4 = 48,  // next byte 80..8F (excludes > U+10FFFF)
};

constexpr uint64_t Utf8Row(unsigned b) {
  auto to = [](uint8_t from, uint8_t next) { return static_cast<uint64_t>(next) << from; };
  uint64_t row = 0;
  for (uint8_t s = kReject; s <= kAfterF4; s += 6) row |= to(s, kReject);  // default: reject
  auto set = [&](uint8_t from, uint8_t next) { row = (row & ~to(from, 63)) | to(from, next); };
  if (b < 0x80) set(kAccept, kAccept);
  else if (b < 0xC0) {
    set(kAccept, kReject);
    set(kTail1, kAccept);
    set(kTail2, kTail1);
    set(kTail3, kTail2);
    if (b >= 0xA0) set(kAfterE0, kTail1);
    if (b < 0xA0) set(kAfterED, kTail1);
    if (b >= 0x90) set(kAfterF0, kTail2);
    if (b < 0x90) set(kAfterF4, kTail2);
  } else if (b < 0xC2 || b > 0xF4) set(kAccept, kReject);
  else if (b < 0xE0) set(kAccept, kTail1);
  else if (b == 0xE0) set(kAccept, kAfterE0);
  else if (b == 0xED) set(kAccept, kAfterED);
  else if (b < 0xF0) set(kAccept, kTail2);
  else if (b == 0xF0) set(kAccept, kAfterF0);
  else if (b == 0xF4) set(kAccept, kAfterF4);
  else set(kAccept, kTail3);
  return row;
}

constexpr auto kUtf8Rows = [] {
  std::array<uint64_t, 256> rows{};
  for (unsigned b = 0; b < 256; ++b) rows[b] = Utf8Row(b);
  return rows;
}();

// Start of the first bad sequence, stepping from `from`, which lies
// between sequences. Only the error path pays for tracking sequence starts.
size_t FirstBadSequence(const unsigned char* p, size_t from, size_t n) {
  uint64_t state = kAccept;
  size_t start = from;
  for (size_t i = from; i < n; ++i) {
    if (state == kAccept) start = i;
    state = (kUtf8Rows[p[i]] >> state) & 63;
    if (state == kReject) break;
  }
  return start;  // also right for a sequence cut off by the end
}

}  // namespace

bool ValidateUtf8(std::string_view data, size_t* bad_offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const size_t n = data.size();
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  uint64_t state = kAccept;
  size_t i = 0, between = 0;  // `between`: an offset known to lie between sequences
  while (i < n) {
    if (state == kAccept) {
      between = i;
      for (uint64_t a, b; i + 16 <= n; i += 16) {
        std::memcpy(&a, p + i, 8);
        std::memcpy(&b, p + i + 8, 8);
        if ((a | b) & kHigh) break;
      }
    }
    // Reject is absorbing, so it is enough to look once per block.
    for (size_t end = std::min(n, i + 32); i < end; ++i) state = (kUtf8Rows[p[i]] >> state) & 63;
    if (state == kReject) break;
  }
  if (state == kAccept) return true;
  *bad_offset = FirstBadSequence(p, between, n);
  return false;
}

}  // namespace ember::io
