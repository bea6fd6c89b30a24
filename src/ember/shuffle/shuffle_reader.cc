#include "ember/shuffle/shuffle_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "ember/shuffle/shuffle_index.h"

namespace ember::shuffle {

namespace {
Status Lost(const std::string& what) { return FetchFailed(what); }
}  // namespace

Result<std::vector<std::string>> ReadBlock(const std::string& data_path,
                                           const std::string& index_path, int bucket) {
  auto index = ReadIndex(index_path);
  if (!index.ok()) return Lost(index.status().message());
  if (bucket < 0 || static_cast<size_t>(bucket) >= index->size())
    return Lost("shuffle index " + index_path + " has no bucket " + std::to_string(bucket));
  const BlockEntry& e = (*index)[bucket];
  std::vector<std::string> batches;
  if (e.length == 0) return batches;

  int fd = ::open(data_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Lost("shuffle data " + data_path + " is missing");
  std::string block(e.length, '\0');
  ssize_t n = ::pread(fd, block.data(), block.size(), static_cast<off_t>(e.offset));
  ::close(fd);
  std::string where = "shuffle data " + data_path + " bucket " + std::to_string(bucket);
  if (n != static_cast<ssize_t>(block.size())) return Lost(where + " is truncated");
  if (Checksum(block.data(), block.size()) != e.checksum)
    return Lost(where + " is corrupt (checksum mismatch)");

  size_t pos = 0;
  while (pos < block.size()) {
    if (block.size() - pos < 4) return Lost(where + " is corrupt (bad record)");
    uint32_t len = 0;
    for (int i = 0; i < 4; ++i)
      len |= static_cast<uint32_t>(static_cast<uint8_t>(block[pos + i])) << (8 * i);
    pos += 4;
    if (block.size() - pos < len) return Lost(where + " is corrupt (bad record)");
    batches.emplace_back(block, pos, len);
    pos += len;
  }
  return batches;
}

}  // namespace ember::shuffle
