#include "ember/common/frame.h"

#include <unistd.h>

#include <algorithm>
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
    case FrameType::kWritablePairs:
    case FrameType::kFixedRecords:
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

FrameReader::FrameReader(int fd) : read_([fd](char* buf, size_t n) { return ReadSome(fd, buf, n); }) {}

FrameWriter::FrameWriter(int fd) : write_([fd](std::string_view data) { return WriteAll(fd, data); }) {}

// Ensures at least `need` unread bytes are buffered, reading as much as
// fits per call; a clean EOF is reported as kIOError with "eof" so Next can
// tell a clean end apart. The buffer grows (doubling, from kReadChunk) only
// once it is full of bytes that arrived, never to `need` at once: `need`
// comes from a length field, and a damaged one must not allocate 2 GiB.
Status FrameReader::Fill(size_t need) {
  if (end_ - pos_ >= need) return Status::OK();
  size_t unread = end_ - pos_;
  if (pos_ > 0 && unread > 0) std::memmove(buf_.get(), buf_.get() + pos_, unread);
  pos_ = 0;
  end_ = unread;
  while (end_ < need) {
    if (end_ == capacity_) {
      size_t capacity = std::max(kReadChunk, std::min(need, capacity_ * 2));
      auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
      if (end_ > 0) std::memcpy(bigger.get(), buf_.get(), end_);
      buf_ = std::move(bigger);
      capacity_ = capacity;
    }
    EMBER_ASSIGN_OR_RETURN(size_t got, read_(buf_.get() + end_, capacity_ - end_));
    if (got == 0) return Status(StatusCode::kIOError, "eof");
    end_ += got;
  }
  return Status::OK();
}

Result<bool> FrameReader::Next(Frame* frame) {
  Status st = Fill(kFrameHeaderSize);
  if (!st.ok()) {
    if (st.message() == "eof" && end_ == pos_) return false;
    if (st.message() == "eof") return IOError("stream ended inside a frame header");
    return st;
  }
  uint32_t len = GetU32(buf_.get() + pos_);
  auto type = static_cast<FrameType>(static_cast<uint8_t>(buf_[pos_ + 4]));
  if (len > kMaxFramePayload) return Corrupt("frame length out of range");
  st = Fill(kFrameHeaderSize + len);
  if (!st.ok()) {
    if (st.message() == "eof") return IOError("stream ended inside a frame");
    return st;
  }
  frame->type = type;
  frame->data.assign(buf_.get() + pos_ + kFrameHeaderSize, len);
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
    return write_(payload);
  }
  EncodeFrame(type, payload, &buf_);
  if (buf_.size() >= kWriteFlushAt) return Flush();
  return Status::OK();
}

Status FrameWriter::Flush() {
  Status st = write_(buf_);
  buf_.clear();
  return st;
}

}  // namespace ember
