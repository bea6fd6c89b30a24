#include "ember/shuffle/shuffle_index.h"

#include <xxhash.h>

#include <cstring>
#include <fstream>
#include <iterator>

namespace ember::shuffle {

namespace {
constexpr char kMagic[4] = {'E', 'M', 'B', 'I'};

void PutU64(uint64_t v, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}
}  // namespace

uint64_t Checksum(const void* data, size_t n) { return XXH64(data, n, 0); }

std::string EncodeIndex(const std::vector<BlockEntry>& entries) {
  std::string out(kMagic, 4);
  uint32_t n = static_cast<uint32_t>(entries.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  for (const auto& e : entries) {
    PutU64(e.offset, &out);
    PutU64(e.length, &out);
    PutU64(e.checksum, &out);
  }
  PutU64(Checksum(out.data(), out.size()), &out);
  return out;
}

Result<std::vector<BlockEntry>> ReadIndex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("shuffle index " + path + " is missing");
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (raw.size() < 16 || std::memcmp(raw.data(), kMagic, 4) != 0)
    return Corrupt("shuffle index " + path + " is corrupt (bad header)");
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= static_cast<uint32_t>(static_cast<uint8_t>(raw[4 + i])) << (8 * i);
  size_t body = 8 + static_cast<size_t>(n) * 24;
  if (raw.size() != body + 8) return Corrupt("shuffle index " + path + " is corrupt (bad size)");
  if (GetU64(raw.data() + body) != Checksum(raw.data(), body))
    return Corrupt("shuffle index " + path + " is corrupt (checksum mismatch)");
  std::vector<BlockEntry> entries(n);
  for (uint32_t i = 0; i < n; ++i) {
    const char* p = raw.data() + 8 + i * 24;
    entries[i] = {GetU64(p), GetU64(p + 8), GetU64(p + 16)};
  }
  return entries;
}

}  // namespace ember::shuffle
