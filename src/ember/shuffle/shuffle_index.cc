#include "ember/shuffle/shuffle_index.h"

#include <fcntl.h>
#include <unistd.h>

#include <xxhash.h>

#include <bit>
#include <cstring>

#include "ember/common/file_util.h"

namespace ember::shuffle {

namespace {
constexpr char kMagic[4] = {'E', 'M', 'B', '2'};
constexpr size_t kHeaderBytes = 8;
constexpr size_t kEntryBytes = 32;

// The index is little-endian, like every machine ember runs on.
static_assert(std::endian::native == std::endian::little);
void PutU64(uint64_t v, char* out) { std::memcpy(out, &v, 8); }
uint64_t GetU64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
uint64_t EntryChecksum(const char* entry, int bucket) {
  return XXH64(entry, 24, static_cast<uint64_t>(bucket));
}
}  // namespace

uint64_t Checksum(const void* data, size_t n) { return XXH64(data, n, 0); }

std::string EncodeIndex(const std::vector<BlockEntry>& entries) {
  std::string out(kHeaderBytes + entries.size() * kEntryBytes, '\0');
  std::memcpy(out.data(), kMagic, 4);
  uint32_t n = static_cast<uint32_t>(entries.size());
  std::memcpy(out.data() + 4, &n, 4);
  for (size_t b = 0; b < entries.size(); ++b) {
    char* p = out.data() + kHeaderBytes + b * kEntryBytes;
    PutU64(entries[b].offset, p);
    PutU64(entries[b].length, p + 8);
    PutU64(entries[b].checksum, p + 16);
    PutU64(EntryChecksum(p, static_cast<int>(b)), p + 24);
  }
  return out;
}

Result<std::vector<BlockEntry>> ReadIndexEntries(const std::string& path, int first, int end) {
  if (first < 0 || end < first) return InvalidArgument("bad bucket range of shuffle index " + path);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NotFound("shuffle index " + path + " is missing");
  char header[kHeaderBytes];
  bool header_ok = PreadFully(fd, header, kHeaderBytes, 0);
  uint32_t n = 0;
  if (header_ok) std::memcpy(&n, header + 4, 4);
  // The range is checked against the count before anything is allocated:
  // a request for buckets the output does not have costs nothing.
  bool in_range = static_cast<uint32_t>(end) <= n;
  std::string raw(in_range ? static_cast<size_t>(end - first) * kEntryBytes : 0, '\0');
  bool entries_ok = header_ok && in_range &&
                    PreadFully(fd, raw.data(), raw.size(), kHeaderBytes + static_cast<uint64_t>(first) * kEntryBytes);
  ::close(fd);
  if (!header_ok || std::memcmp(header, kMagic, 4) != 0)
    return Corrupt("shuffle index " + path + " is corrupt (bad header)");
  if (!entries_ok)
    return Corrupt("shuffle index " + path + " is corrupt (has no bucket " + std::to_string(end - 1) + ")");
  std::vector<BlockEntry> entries(end - first);
  for (int b = first; b < end; ++b) {
    const char* p = raw.data() + static_cast<size_t>(b - first) * kEntryBytes;
    if (GetU64(p + 24) != EntryChecksum(p, b))
      return Corrupt("shuffle index " + path + " is corrupt (entry of bucket " + std::to_string(b) +
                     " fails its checksum)");
    entries[b - first] = {GetU64(p), GetU64(p + 8), GetU64(p + 16)};
  }
  return entries;
}

}  // namespace ember::shuffle
