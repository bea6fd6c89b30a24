#include "ember/shuffle/shuffle_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <xxhash.h>

#include <algorithm>

#include "ember/shuffle/shuffle_index.h"

namespace ember::shuffle {

namespace {
constexpr size_t kReadChunk = 1 << 20;

// pread exactly n bytes; false on a short read (the file was truncated).
bool PreadFully(int fd, char* out, size_t n, uint64_t offset) {
  while (n > 0) {
    ssize_t got = ::pread(fd, out, n, static_cast<off_t>(offset));
    if (got <= 0) return false;
    out += got;
    n -= static_cast<size_t>(got);
    offset += static_cast<uint64_t>(got);
  }
  return true;
}
}  // namespace

Result<std::unique_ptr<BlockReader>> BlockReader::Open(const std::string& data_path,
                                                       const std::string& index_path,
                                                       int bucket) {
  auto index = ReadIndex(index_path);
  if (!index.ok()) return FetchFailed(index.status().message());
  if (bucket < 0 || static_cast<size_t>(bucket) >= index->size())
    return FetchFailed("shuffle index " + index_path + " has no bucket " + std::to_string(bucket));
  const BlockEntry& e = (*index)[bucket];
  int fd = ::open(data_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FetchFailed("shuffle data " + data_path + " is missing");
  std::unique_ptr<BlockReader> r(new BlockReader(
      fd, e.offset, e.length, "shuffle data " + data_path + " bucket " + std::to_string(bucket)));
  EMBER_RETURN_IF_ERROR(r->Verify(e.checksum));
  return r;
}

BlockReader::BlockReader(int fd, uint64_t offset, uint64_t length, std::string where)
    : fd_(fd), offset_(offset), remaining_(length), where_(std::move(where)) {}

BlockReader::~BlockReader() { ::close(fd_); }

Status BlockReader::Verify(uint64_t checksum) {
  if (remaining_ <= kInMemoryBlock) {
    // Small block: read it once, keep it, check it.
    buf_.resize(remaining_);
    if (!PreadFully(fd_, buf_.data(), buf_.size(), offset_))
      return FetchFailed(where_ + " is truncated");
    offset_ += remaining_;
    remaining_ = 0;
    if (Checksum(buf_.data(), buf_.size()) != checksum)
      return FetchFailed(where_ + " is corrupt (checksum mismatch)");
    return Status::OK();
  }
  XXH64_state_t* h = XXH64_createState();
  XXH64_reset(h, 0);
  std::string chunk(kReadChunk, '\0');
  bool whole = true;
  for (uint64_t done = 0; done < remaining_;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kReadChunk, remaining_ - done));
    if (!PreadFully(fd_, chunk.data(), n, offset_ + done)) {
      whole = false;
      break;
    }
    XXH64_update(h, chunk.data(), n);
    done += n;
  }
  uint64_t digest = XXH64_digest(h);
  XXH64_freeState(h);
  if (!whole) return FetchFailed(where_ + " is truncated");
  if (digest != checksum) return FetchFailed(where_ + " is corrupt (checksum mismatch)");
  return Status::OK();
}

// Makes at least `want` unconsumed bytes available in buf_, reading ahead.
Status BlockReader::Fill(size_t want) {
  size_t have = buf_.size() - pos_;
  if (have >= want) return Status::OK();
  if (want - have > remaining_) return FetchFailed(where_ + " is corrupt (bad record)");
  buf_.erase(0, pos_);
  pos_ = 0;
  size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, std::max(want - have, kReadChunk)));
  buf_.resize(have + n);
  if (!PreadFully(fd_, buf_.data() + have, n, offset_)) return FetchFailed(where_ + " is truncated");
  offset_ += n;
  remaining_ -= n;
  return Status::OK();
}

Result<bool> BlockReader::Next(std::string* batch) {
  if (pos_ == buf_.size() && remaining_ == 0) return false;
  EMBER_RETURN_IF_ERROR(Fill(4));
  uint32_t len = 0;
  for (int i = 0; i < 4; ++i)
    len |= static_cast<uint32_t>(static_cast<uint8_t>(buf_[pos_ + i])) << (8 * i);
  pos_ += 4;
  EMBER_RETURN_IF_ERROR(Fill(len));
  batch->assign(buf_, pos_, len);
  pos_ += len;
  return true;
}

}  // namespace ember::shuffle
