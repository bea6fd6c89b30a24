#include "ember/io/writables.h"

#include <cstring>

namespace ember::io {
namespace {

Status Short(size_t pos, size_t need, size_t have, const char* what) {
  return Corrupt("truncated " + std::string(what) + " at byte " + std::to_string(pos) + ": expected " +
                 std::to_string(need) + " bytes, " + std::to_string(have) + " remain");
}

size_t Left(std::string_view data, size_t pos) { return pos < data.size() ? data.size() - pos : 0; }

Status CheckExact(std::string_view bytes, size_t n, const char* what) {
  if (bytes.size() != n)
    return Corrupt(std::string(what) + " must be " + std::to_string(n) + " bytes, got " +
                   std::to_string(bytes.size()));
  return Status::OK();
}

}  // namespace

void WriteVLong(std::string* out, int64_t v) {
  if (v >= -112 && v <= 127) {
    out->push_back(static_cast<char>(v));
    return;
  }
  int len = -112;
  uint64_t mag = static_cast<uint64_t>(v);
  if (v < 0) {
    mag = ~mag;  // one's complement: magnitude of a negative
    len = -120;
  }
  for (uint64_t tmp = mag; tmp != 0; tmp >>= 8) len--;
  out->push_back(static_cast<char>(len));
  int n = len < -120 ? -(len + 120) : -(len + 112);
  for (int idx = n; idx != 0; idx--) out->push_back(static_cast<char>((mag >> ((idx - 1) * 8)) & 0xff));
}

int VLongSize(int8_t first) {
  if (first >= -112) return 1;
  if (first < -120) return -119 - first;
  return -111 - first;
}

Result<int64_t> ReadVLong(std::string_view data, size_t* pos) {
  if (*pos >= data.size()) return Short(*pos, 1, 0, "variable-length integer");
  int8_t first = static_cast<int8_t>(data[*pos]);
  size_t size = static_cast<size_t>(VLongSize(first));
  if (Left(data, *pos) < size) return Short(*pos, size, Left(data, *pos), "variable-length integer");
  if (size == 1) {
    ++*pos;
    return static_cast<int64_t>(first);
  }
  uint64_t mag = 0;
  for (size_t i = 1; i < size; i++) mag = (mag << 8) | static_cast<uint8_t>(data[*pos + i]);
  *pos += size;
  bool negative = first < -120 || (first >= -112 && first < 0);
  return static_cast<int64_t>(negative ? ~mag : mag);
}

Result<int32_t> ReadVInt(std::string_view data, size_t* pos) {
  size_t at = *pos;
  EMBER_ASSIGN_OR_RETURN(int64_t v, ReadVLong(data, pos));
  if (v < INT32_MIN || v > INT32_MAX)
    return Corrupt("variable-length int at byte " + std::to_string(at) + " out of int32 range: " +
                   std::to_string(v));
  return static_cast<int32_t>(v);
}

void WriteInt32BE(std::string* out, int32_t v) {
  uint32_t u = static_cast<uint32_t>(v);
  for (int s = 24; s >= 0; s -= 8) out->push_back(static_cast<char>((u >> s) & 0xff));
}

void WriteInt64BE(std::string* out, int64_t v) {
  uint64_t u = static_cast<uint64_t>(v);
  for (int s = 56; s >= 0; s -= 8) out->push_back(static_cast<char>((u >> s) & 0xff));
}

Result<int32_t> ReadInt32BE(std::string_view data, size_t* pos) {
  if (Left(data, *pos) < 4) return Short(*pos, 4, Left(data, *pos), "int32");
  uint32_t u = 0;
  for (int i = 0; i < 4; i++) u = (u << 8) | static_cast<uint8_t>(data[*pos + i]);
  *pos += 4;
  return static_cast<int32_t>(u);
}

Result<int64_t> ReadInt64BE(std::string_view data, size_t* pos) {
  if (Left(data, *pos) < 8) return Short(*pos, 8, Left(data, *pos), "int64");
  uint64_t u = 0;
  for (int i = 0; i < 8; i++) u = (u << 8) | static_cast<uint8_t>(data[*pos + i]);
  *pos += 8;
  return static_cast<int64_t>(u);
}

std::string SerializeText(std::string_view utf8) {
  std::string out;
  WriteVLong(&out, static_cast<int64_t>(utf8.size()));
  out.append(utf8);
  return out;
}

Result<std::string> ReadText(std::string_view data, size_t* pos) {
  size_t at = *pos;
  EMBER_ASSIGN_OR_RETURN(int32_t len, ReadVInt(data, pos));
  if (len < 0) return Corrupt("negative Text length " + std::to_string(len) + " at byte " + std::to_string(at));
  if (Left(data, *pos) < static_cast<size_t>(len))
    return Short(*pos, static_cast<size_t>(len), Left(data, *pos), "Text");
  std::string s(data.substr(*pos, static_cast<size_t>(len)));
  *pos += static_cast<size_t>(len);
  return s;
}

Result<std::string> ParseText(std::string_view bytes) {
  size_t pos = 0;
  EMBER_ASSIGN_OR_RETURN(std::string s, ReadText(bytes, &pos));
  if (pos != bytes.size())
    return Corrupt("Text has " + std::to_string(bytes.size() - pos) + " trailing bytes after byte " +
                   std::to_string(pos));
  return s;
}

std::string SerializeInt(int32_t v) {
  std::string out;
  WriteInt32BE(&out, v);
  return out;
}

std::string SerializeLong(int64_t v) {
  std::string out;
  WriteInt64BE(&out, v);
  return out;
}

std::string SerializeFloat(float v) {
  int32_t bits;
  std::memcpy(&bits, &v, 4);
  return SerializeInt(bits);
}

std::string SerializeDouble(double v) {
  int64_t bits;
  std::memcpy(&bits, &v, 8);
  return SerializeLong(bits);
}

std::string SerializeBoolean(bool v) { return std::string(1, v ? '\1' : '\0'); }

std::string SerializeBytes(std::string_view v) {
  std::string out;
  WriteInt32BE(&out, static_cast<int32_t>(v.size()));
  out.append(v);
  return out;
}

std::string SerializeNull() { return std::string(); }

Result<int32_t> ParseInt(std::string_view bytes) {
  EMBER_RETURN_IF_ERROR(CheckExact(bytes, 4, "IntWritable"));
  size_t pos = 0;
  return ReadInt32BE(bytes, &pos);
}

Result<int64_t> ParseLong(std::string_view bytes) {
  EMBER_RETURN_IF_ERROR(CheckExact(bytes, 8, "LongWritable"));
  size_t pos = 0;
  return ReadInt64BE(bytes, &pos);
}

Result<float> ParseFloat(std::string_view bytes) {
  EMBER_RETURN_IF_ERROR(CheckExact(bytes, 4, "FloatWritable"));
  size_t pos = 0;
  int32_t bits = *ReadInt32BE(bytes, &pos);
  float v;
  std::memcpy(&v, &bits, 4);
  return v;
}

Result<double> ParseDouble(std::string_view bytes) {
  EMBER_RETURN_IF_ERROR(CheckExact(bytes, 8, "DoubleWritable"));
  size_t pos = 0;
  int64_t bits = *ReadInt64BE(bytes, &pos);
  double v;
  std::memcpy(&v, &bits, 8);
  return v;
}

Result<bool> ParseBoolean(std::string_view bytes) {
  EMBER_RETURN_IF_ERROR(CheckExact(bytes, 1, "BooleanWritable"));
  return bytes[0] != 0;
}

Result<std::string> ParseBytes(std::string_view bytes) {
  size_t pos = 0;
  EMBER_ASSIGN_OR_RETURN(int32_t len, ReadInt32BE(bytes, &pos));
  if (len < 0 || static_cast<size_t>(len) != bytes.size() - 4)
    return Corrupt("BytesWritable length " + std::to_string(len) + " at byte 0 does not match the " +
                   std::to_string(bytes.size() - 4) + " bytes that follow");
  return std::string(bytes.substr(4));
}

Status ParseNull(std::string_view bytes) { return CheckExact(bytes, 0, "NullWritable"); }

}  // namespace ember::io
