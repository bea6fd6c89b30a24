#include "ember/shuffle/shuffle_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include <algorithm>

#include "ember/common/file_util.h"

namespace ember::shuffle {

namespace {
constexpr size_t kReadChunk = 1 << 20;

std::string BucketOf(const std::string& data_path, int bucket) {
  return "shuffle data " + data_path + " bucket " + std::to_string(bucket);
}

Result<int> OpenData(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FetchFailed("shuffle data " + path + " is missing");
  return fd;
}

// Fills range->data with one read of its blocks, then verifies them. The
// blocks must lie inside the file before anything is allocated: an entry
// proves itself, but not that it belongs with this data file.
Status ReadBlocks(int fd, const std::string& data_path, BlockRange* range) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return FetchFailed(BucketOf(data_path, range->first) + " cannot be read");
  uint64_t size = static_cast<uint64_t>(st.st_size);
  uint64_t total = 0;
  for (size_t i = 0; i < range->entries.size(); ++i) {
    if (range->entries[i].length > size - total)  // total <= size throughout
      return FetchFailed(BucketOf(data_path, range->first + static_cast<int>(i)) + " is truncated");
    total += range->entries[i].length;
  }
  if (total > 0 && range->entries.front().offset > size - total)
    return FetchFailed(BucketOf(data_path, range->first) + " is truncated");
  range->data.resize(total);
  if (total > 0 && !PreadFully(fd, range->data.data(), total, range->entries.front().offset))
    return FetchFailed(BucketOf(data_path, range->first) + " is truncated");
  return VerifyBlocks(*range, "shuffle data " + data_path);
}
}  // namespace

std::string_view BlockRange::Block(int bucket) const {
  const BlockEntry& e = entries[static_cast<size_t>(bucket - first)];
  return std::string_view(data).substr(e.offset - entries.front().offset, e.length);
}

Status VerifyBlocks(const BlockRange& range, const std::string& where) {
  auto bucket = [&](size_t i) { return where + " bucket " + std::to_string(range.first + static_cast<int>(i)); };
  uint64_t start = range.entries.empty() ? 0 : range.entries.front().offset;
  uint64_t at = 0;  // in range.data
  for (size_t i = 0; i < range.entries.size(); ++i) {
    const BlockEntry& e = range.entries[i];
    if (e.offset != start + at) return FetchFailed(bucket(i) + " is corrupt (not after the previous block)");
    if (e.length > range.data.size() - at) return FetchFailed(bucket(i) + " is truncated");
    if (Checksum(range.data.data() + at, e.length) != e.checksum)
      return FetchFailed(bucket(i) + " is corrupt (checksum mismatch)");
    at += e.length;
  }
  return Status::OK();
}

Result<BlockRange> ReadBlockRange(const MapOutputFiles& files, int first, int end) {
  auto entries = ReadIndexEntries(files.index, first, end);
  if (!entries.ok()) return FetchFailed(entries.status().message());
  BlockRange range{first, std::move(entries).value(), {}};
  EMBER_ASSIGN_OR_RETURN(int fd, OpenData(files.data));
  Status st = ReadBlocks(fd, files.data, &range);
  ::close(fd);
  EMBER_RETURN_IF_ERROR(st);
  return range;
}

Result<std::unique_ptr<BlockReader>> BlockReader::Open(const MapOutputFiles& files, int bucket) {
  auto entries = ReadIndexEntries(files.index, bucket, bucket + 1);
  if (!entries.ok()) return FetchFailed(entries.status().message());
  const BlockEntry e = entries->front();
  EMBER_ASSIGN_OR_RETURN(int fd, OpenData(files.data));
  if (e.length <= kInMemoryBlock) {
    BlockRange range{bucket, std::move(entries).value(), {}};
    Status st = ReadBlocks(fd, files.data, &range);
    ::close(fd);
    EMBER_RETURN_IF_ERROR(st);
    return FromMemory(std::move(range.data), BucketOf(files.data, bucket));
  }
  std::unique_ptr<BlockReader> r(new BlockReader(fd, e.offset, e.length, BucketOf(files.data, bucket)));
  EMBER_RETURN_IF_ERROR(r->VerifyStreaming(e.checksum));
  return r;
}

std::unique_ptr<BlockReader> BlockReader::FromMemory(std::string block, std::string where) {
  std::unique_ptr<BlockReader> r(new BlockReader(-1, 0, 0, std::move(where)));
  r->buf_ = std::move(block);
  return r;
}

BlockReader::BlockReader(int fd, uint64_t offset, uint64_t length, std::string where)
    : fd_(fd), offset_(offset), remaining_(length), where_(std::move(where)) {}

BlockReader::~BlockReader() {
  if (fd_ >= 0) ::close(fd_);
}

// A large block: checksummed chunk by chunk before Next() reads it again.
Status BlockReader::VerifyStreaming(uint64_t checksum) {
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
