#include "ember/shuffle/shuffle_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <xxhash.h>

#include <algorithm>
#include <cerrno>

#include "ember/common/frame.h"
#include "ember/shuffle/shuffle_index.h"

namespace ember::shuffle {

namespace {
void AppendRecord(std::string_view batch, std::string* out) {
  uint32_t n = static_cast<uint32_t>(batch.size());
  char len[4];
  for (int i = 0; i < 4; ++i) len[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  out->append(len, 4);
  out->append(batch);
}

Result<int> CreateFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError("create", path, errno);
  return fd;
}

// "write: No space left on device" alone does not say which disk filled up.
Status Naming(const std::string& path, Status st) {
  return st.ok() ? st : Status(st.code(), "writing " + path + ": " + st.message());
}
}  // namespace

ShuffleWriter::ShuffleWriter(MapOutputFiles files, int num_buckets, size_t memory_budget)
    : data_path_(std::move(files.data)),
      index_path_(std::move(files.index)),
      spill_path_(data_path_ + ".spill"),
      num_buckets_(num_buckets),
      memory_budget_(memory_budget),
      buffers_(num_buckets),
      spilled_(num_buckets) {}

ShuffleWriter::~ShuffleWriter() {
  if (spill_fd_ >= 0) ::close(spill_fd_);
  ::unlink(spill_path_.c_str());
  if (!finished_) {
    ::unlink((data_path_ + ".tmp").c_str());
    ::unlink((index_path_ + ".tmp").c_str());
  }
}

Status ShuffleWriter::Add(int bucket, std::string_view batch) {
  if (bucket < 0 || bucket >= num_buckets_)
    return Internal("shuffle bucket " + std::to_string(bucket) + " out of range");
  AppendRecord(batch, &buffers_[bucket]);
  buffered_ += batch.size() + 4;
  peak_buffered_ = std::max(peak_buffered_, buffered_);
  if (buffered_ > memory_budget_) return Spill();
  return Status::OK();
}

Status ShuffleWriter::Spill() {
  if (spill_fd_ < 0) {
    EMBER_ASSIGN_OR_RETURN(spill_fd_, CreateFile(spill_path_));
  }
  for (int b = 0; b < num_buckets_; ++b) {
    std::string& buf = buffers_[b];
    if (buf.empty()) continue;
    EMBER_RETURN_IF_ERROR(Naming(spill_path_, WriteAll(spill_fd_, buf)));
    spilled_[b].push_back({spill_size_, static_cast<int64_t>(buf.size())});
    spill_size_ += static_cast<int64_t>(buf.size());
    std::string().swap(buf);
  }
  buffered_ = 0;
  return Status::OK();
}

Result<MapOutput> ShuffleWriter::Finish() {
  std::string tmp_data = data_path_ + ".tmp";
  EMBER_ASSIGN_OR_RETURN(int out, CreateFile(tmp_data));
  std::vector<BlockEntry> entries(num_buckets_);
  MapOutput result;
  result.block_sizes.reserve(num_buckets_);
  uint64_t offset = 0;
  Status st;
  const uint64_t empty_checksum = Checksum("", 0);
  XXH64_state_t* h = XXH64_createState();
  for (int b = 0; b < num_buckets_ && st.ok(); ++b) {
    if (spilled_[b].empty() && buffers_[b].empty()) {  // most buckets of a wide shuffle
      entries[b] = {offset, 0, empty_checksum};
      result.block_sizes.push_back(0);
      continue;
    }
    XXH64_reset(h, 0);
    uint64_t length = 0;
    std::string chunk;
    for (const Segment& s : spilled_[b]) {
      chunk.resize(static_cast<size_t>(s.length));
      if (::pread(spill_fd_, chunk.data(), chunk.size(), s.offset) != s.length) {
        st = IOError("reading shuffle spill " + spill_path_ + " failed");
        break;
      }
      XXH64_update(h, chunk.data(), chunk.size());
      st = Naming(tmp_data, WriteAll(out, chunk));
      if (!st.ok()) break;
      length += chunk.size();
    }
    if (st.ok()) {
      XXH64_update(h, buffers_[b].data(), buffers_[b].size());
      st = Naming(tmp_data, WriteAll(out, buffers_[b]));
      length += buffers_[b].size();
      std::string().swap(buffers_[b]);
    }
    entries[b] = {offset, length, XXH64_digest(h)};
    offset += length;
    result.block_sizes.push_back(static_cast<int64_t>(length));
  }
  XXH64_freeState(h);
  if (::close(out) != 0 && st.ok()) st = ErrnoError("close", tmp_data, errno);
  EMBER_RETURN_IF_ERROR(st);

  std::string tmp_index = index_path_ + ".tmp";
  EMBER_ASSIGN_OR_RETURN(int idx, CreateFile(tmp_index));
  st = Naming(tmp_index, WriteAll(idx, EncodeIndex(entries)));
  ::close(idx);
  EMBER_RETURN_IF_ERROR(st);
  if (::rename(tmp_data.c_str(), data_path_.c_str()) != 0) return ErrnoError("rename", tmp_data, errno);
  if (::rename(tmp_index.c_str(), index_path_.c_str()) != 0) return ErrnoError("rename", tmp_index, errno);
  finished_ = true;
  std::vector<uint64_t> checksums;
  for (const BlockEntry& e : entries) checksums.push_back(e.checksum);
  result.blocks_digest = Checksum(checksums.data(), checksums.size() * sizeof(uint64_t));
  return result;
}

}  // namespace ember::shuffle
