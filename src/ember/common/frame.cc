#include "ember/common/frame.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ember {

namespace {
constexpr size_t kReadChunk = 256 * 1024;
constexpr size_t kWriteFlushAt = 256 * 1024;

void PutU32(uint32_t v, char* p) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}
}  // namespace

bool IsDataFrame(FrameType t) {
  switch (t) {
    case FrameType::kPickleBatch:
    case FrameType::kUtf8Lines:
    case FrameType::kByteLines:
    case FrameType::kBucketBatch:
    case FrameType::kTextFile:
    case FrameType::kBinaryFile:
      return true;
    default:
      return false;
  }
}

void EncodeFrame(FrameType type, std::string_view payload, std::string* out) {
  char header[kFrameHeaderSize];
  PutU32(static_cast<uint32_t>(payload.size()), header);
  header[4] = static_cast<char>(type);
  out->append(header, kFrameHeaderSize);
  out->append(payload);
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IOError(std::string("write: ") + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Result<size_t> ReadSome(int fd, char* buf, size_t n) {
  for (;;) {
    ssize_t r = ::read(fd, buf, n);
    if (r >= 0) return static_cast<size_t>(r);
    if (errno == EINTR) continue;
    return IOError(std::string("read: ") + std::strerror(errno));
  }
}

// Ensures at least `need` unread bytes are buffered; NotFound-free EOF is
// reported as kIOError with "eof" so Next can tell a clean end apart.
Status FrameReader::Fill(size_t need) {
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  while (buf_.size() - pos_ < need) {
    if (pos_ > 0) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
    size_t old = buf_.size();
    size_t want = std::max(kReadChunk, need - old);
    buf_.resize(old + want);
    auto got = ReadSome(fd_, buf_.data() + old, want);
    if (!got.ok()) {
      buf_.resize(old);
      return got.status();
    }
    buf_.resize(old + *got);
    if (*got == 0) return Status(StatusCode::kIOError, "eof");
  }
  return Status::OK();
}

Result<bool> FrameReader::Next(Frame* frame) {
  Status st = Fill(kFrameHeaderSize);
  if (!st.ok()) {
    if (st.message() == "eof" && buf_.size() == pos_) return false;
    if (st.message() == "eof") return IOError("stream ended inside a frame header");
    return st;
  }
  uint32_t len = GetU32(buf_.data() + pos_);
  auto type = static_cast<FrameType>(static_cast<uint8_t>(buf_[pos_ + 4]));
  if (len > kMaxFramePayload) return Corrupt("frame length out of range");
  st = Fill(kFrameHeaderSize + len);
  if (!st.ok()) {
    if (st.message() == "eof") return IOError("stream ended inside a frame");
    return st;
  }
  frame->type = type;
  frame->data.assign(buf_.data() + pos_ + kFrameHeaderSize, len);
  pos_ += kFrameHeaderSize + len;
  return true;
}

Status FrameWriter::Write(FrameType type, std::string_view payload) {
  if (payload.size() >= kWriteFlushAt) {
    // Large payloads skip the copy into the buffer.
    char header[kFrameHeaderSize];
    PutU32(static_cast<uint32_t>(payload.size()), header);
    header[4] = static_cast<char>(type);
    buf_.append(header, kFrameHeaderSize);
    EMBER_RETURN_IF_ERROR(Flush());
    return WriteAll(fd_, payload);
  }
  EncodeFrame(type, payload, &buf_);
  if (buf_.size() >= kWriteFlushAt) return Flush();
  return Status::OK();
}

Status FrameWriter::Flush() {
  Status st = WriteAll(fd_, buf_);
  buf_.clear();
  return st;
}

}  // namespace ember
