#include "ember/fast/key_counts.h"

#include <algorithm>
#include <cstring>

#define XXH_INLINE_ALL  // the hash of a short key is a few instructions: inline them
#include <xxhash.h>

namespace ember::fast {
namespace {
constexpr size_t kInitialSlots = 1024;
constexpr size_t kBlockBytes = 256 * 1024;
}  // namespace

KeyCounts::KeyCounts() : slots_(kInitialSlots) {}

void KeyCounts::Add(std::string_view key, double value) {
  uint64_t hash = XXH3_64bits(key.data(), key.size());
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Entry& e = slots_[i];
    if (!e.key) {
      e.hash = hash;
      e.key = Store(key);
      e.size = static_cast<uint32_t>(key.size());
      e.count = 1;
      e.sum = value;
      if (++used_ * 4 > slots_.size() * 3) Grow();
      return;
    }
    if (e.hash == hash && e.size == key.size() && std::memcmp(e.key, key.data(), key.size()) == 0) {
      ++e.count;
      e.sum += value;
      return;
    }
  }
}

const char* KeyCounts::Store(std::string_view key) {
  if (key.empty()) return "";  // any non-null pointer marks the slot used
  if (block_used_ + key.size() > block_size_) {
    block_size_ = std::max(kBlockBytes, key.size());
    blocks_.push_back(std::make_unique<char[]>(block_size_));
    block_used_ = 0;
    arena_bytes_ += block_size_;
  }
  char* at = blocks_.back().get() + block_used_;
  std::memcpy(at, key.data(), key.size());
  block_used_ += key.size();
  return at;
}

void KeyCounts::Grow() {
  std::vector<Entry> old(slots_.size() * 2);
  old.swap(slots_);
  size_t mask = slots_.size() - 1;
  for (const Entry& e : old) {
    if (!e.key) continue;
    size_t i = e.hash & mask;
    while (slots_[i].key) i = (i + 1) & mask;
    slots_[i] = e;
  }
}

size_t KeyCounts::Memory() const { return slots_.size() * sizeof(Entry) + arena_bytes_; }

void KeyCounts::Clear() {
  slots_.assign(kInitialSlots, Entry{});
  used_ = 0;
  blocks_.clear();
  block_used_ = block_size_ = arena_bytes_ = 0;
}

}  // namespace ember::fast
