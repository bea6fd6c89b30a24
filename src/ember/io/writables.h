// Serialized forms of Hadoop's common Writables, byte for byte as Hadoop
// writes them, and Hadoop's variable-length integer encoding.
//
// Contract: Write*/Serialize* append exactly the bytes Hadoop's
// Writable.write produces (big-endian fixed widths; WritableUtils.writeVLong
// zero-compressed integers: -112..127 in one byte, otherwise a marker byte
// giving sign and length followed by 1-8 big-endian magnitude bytes, the
// magnitude one's-complemented for negatives). Parse* take one value's
// whole serialized bytes and return Corrupt naming the byte offset and what
// was expected if the bytes are short, too long or out of range; Read*
// decode at *pos within a larger buffer and advance *pos. Nothing here
// allocates more than the input holds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ember/common/status.h"

namespace ember::io {

// WritableUtils.writeVLong / writeVInt (the same encoding).
void WriteVLong(std::string* out, int64_t v);
// Total encoded size (1-9) given the first byte (WritableUtils.decodeVIntSize).
int VLongSize(int8_t first_byte);
Result<int64_t> ReadVLong(std::string_view data, size_t* pos);
// As ReadVLong, but the value must fit in int32 (WritableUtils.readVInt).
Result<int32_t> ReadVInt(std::string_view data, size_t* pos);

void WriteInt32BE(std::string* out, int32_t v);
void WriteInt64BE(std::string* out, int64_t v);
Result<int32_t> ReadInt32BE(std::string_view data, size_t* pos);
Result<int64_t> ReadInt64BE(std::string_view data, size_t* pos);

// Text: vint byte length + UTF-8 bytes (not validated here).
std::string SerializeText(std::string_view utf8);
Result<std::string> ReadText(std::string_view data, size_t* pos);
Result<std::string> ParseText(std::string_view bytes);

std::string SerializeInt(int32_t v);        // IntWritable: 4 bytes BE
std::string SerializeLong(int64_t v);       // LongWritable: 8 bytes BE
std::string SerializeFloat(float v);        // FloatWritable: IEEE bits, 4 bytes BE
std::string SerializeDouble(double v);      // DoubleWritable: IEEE bits, 8 bytes BE
std::string SerializeBoolean(bool v);       // BooleanWritable: 1 byte 0/1
std::string SerializeBytes(std::string_view v);  // BytesWritable: int32 BE length + bytes
std::string SerializeNull();                // NullWritable: no bytes

Result<int32_t> ParseInt(std::string_view bytes);
Result<int64_t> ParseLong(std::string_view bytes);
Result<float> ParseFloat(std::string_view bytes);
Result<double> ParseDouble(std::string_view bytes);
Result<bool> ParseBoolean(std::string_view bytes);
Result<std::string> ParseBytes(std::string_view bytes);
Status ParseNull(std::string_view bytes);

}  // namespace ember::io
