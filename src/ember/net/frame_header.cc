#include "ember/net/frame_header.h"

#include <cstdio>

namespace ember::net {

void EncodeFrameHeader(uint64_t payload_size, char out[kFrameHeaderSize]) {
  out[0] = static_cast<char>(kFrameMagic);
  for (int i = 0; i < 8; ++i) out[1 + i] = static_cast<char>(payload_size >> (8 * i));
}

Result<uint64_t> DecodeFrameHeader(const char in[kFrameHeaderSize]) {
  auto magic = static_cast<uint8_t>(in[0]);
  if (magic != kFrameMagic) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", magic);
    return Corrupt(std::string("bad frame header (magic byte ") + hex + ")");
  }
  uint64_t size = 0;
  for (int i = 0; i < 8; ++i)
    size |= static_cast<uint64_t>(static_cast<uint8_t>(in[1 + i])) << (8 * i);
  return size;
}

}  // namespace ember::net
