// WRITABLE_PAIRS frame payloads: serialized Writable (key, value) records
// with their class names, between SequenceFiles and Python workers (which
// convert them, python/ember/writables.py and serializers.py).
//
// Layout (little-endian, like every frame): u16 key class length, key class,
// u16 value class length, value class, then per record u32 key length, key
// bytes, u32 value length, value bytes.
//
// Contract: WritablePairsBuilder accumulates records for one frame;
// ForEachWritablePair walks a payload, checking its classes are the
// expected ones (InvalidArgument naming both, as Hadoop's "wrong key
// class") and its lengths stay inside it (Corrupt otherwise).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "ember/common/status.h"

namespace ember::io {

class WritablePairsBuilder {
 public:
  WritablePairsBuilder(std::string key_class, std::string value_class);
  void Add(std::string_view key, std::string_view value);
  size_t records() const { return records_; }
  size_t bytes() const { return payload_.size(); }
  // The payload so far; the builder starts a fresh one with the same classes.
  std::string Take();

 private:
  std::string key_class_, value_class_, payload_;
  size_t records_ = 0;
};

Status ForEachWritablePair(std::string_view payload, const std::string& key_class,
                           const std::string& value_class,
                           const std::function<Status(std::string_view, std::string_view)>& fn);

}  // namespace ember::io
