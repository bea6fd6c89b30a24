#include "ember/io/writable_pairs.h"

#include <cstdint>

namespace ember::io {

namespace {

void PutLE(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Reads a little-endian length of `bytes` bytes and that many bytes after it.
Result<std::string_view> TakeField(std::string_view payload, size_t* pos, int bytes) {
  if (payload.size() - *pos < static_cast<size_t>(bytes))
    return Corrupt("writable pairs frame ends inside a length at byte " + std::to_string(*pos));
  uint64_t n = 0;
  for (int i = 0; i < bytes; ++i) n |= static_cast<uint64_t>(static_cast<uint8_t>(payload[*pos + i])) << (8 * i);
  *pos += static_cast<size_t>(bytes);
  if (payload.size() - *pos < n)
    return Corrupt("writable pairs frame: a " + std::to_string(n) + "-byte field passes its end");
  std::string_view field = payload.substr(*pos, n);
  *pos += n;
  return field;
}

}  // namespace

WritablePairsBuilder::WritablePairsBuilder(std::string key_class, std::string value_class)
    : key_class_(std::move(key_class)), value_class_(std::move(value_class)) {
  Take();
}

void WritablePairsBuilder::Add(std::string_view key, std::string_view value) {
  PutLE(&payload_, key.size(), 4);
  payload_.append(key);
  PutLE(&payload_, value.size(), 4);
  payload_.append(value);
  ++records_;
}

std::string WritablePairsBuilder::Take() {
  std::string out = std::move(payload_);
  payload_.clear();
  PutLE(&payload_, key_class_.size(), 2);
  payload_ += key_class_;
  PutLE(&payload_, value_class_.size(), 2);
  payload_ += value_class_;
  records_ = 0;
  return out;
}

Status ForEachWritablePair(std::string_view payload, const std::string& key_class,
                           const std::string& value_class,
                           const std::function<Status(std::string_view, std::string_view)>& fn) {
  size_t pos = 0;
  EMBER_ASSIGN_OR_RETURN(std::string_view kc, TakeField(payload, &pos, 2));
  EMBER_ASSIGN_OR_RETURN(std::string_view vc, TakeField(payload, &pos, 2));
  if (kc != key_class) return InvalidArgument("wrong key class: " + std::string(kc) + " is not " + key_class);
  if (vc != value_class)
    return InvalidArgument("wrong value class: " + std::string(vc) + " is not " + value_class);
  while (pos < payload.size()) {
    EMBER_ASSIGN_OR_RETURN(std::string_view key, TakeField(payload, &pos, 4));
    EMBER_ASSIGN_OR_RETURN(std::string_view value, TakeField(payload, &pos, 4));
    EMBER_RETURN_IF_ERROR(fn(key, value));
  }
  return Status::OK();
}

}  // namespace ember::io
