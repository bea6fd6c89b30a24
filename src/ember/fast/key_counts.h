// KeyCounts: per distinct byte-string key, how many times it was added and
// the running float sum of the values added (in the order they came), for
// the native `reduceByKey(add)` of `(key, constant)` pairs.
//
// Contract: keys are copied into an arena owned by the map; iteration
// order is unspecified; Memory() is the bytes held (slots and arena), which
// the caller compares with its budget to flush (ForEach, then Clear).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace ember::fast {

class KeyCounts {
 public:
  struct Entry {
    uint64_t hash = 0;
    const char* key = nullptr;  // nullptr: an empty slot
    uint32_t size = 0;
    int64_t count = 0;
    double sum = 0;
  };

  KeyCounts();
  // Adds one occurrence of `key` with the float value `value`.
  void Add(std::string_view key, double value);
  size_t size() const { return used_; }
  size_t Memory() const;
  void Clear();
  template <typename F>
  void ForEach(F&& f) const {
    for (const Entry& e : slots_)
      if (e.key) f(std::string_view(e.key, e.size), e.count, e.sum);
  }

 private:
  const char* Store(std::string_view key);
  void Grow();

  std::vector<Entry> slots_;  // a power of two, at most 3/4 used
  size_t used_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = 0, block_size_ = 0, arena_bytes_ = 0;
};

}  // namespace ember::fast
