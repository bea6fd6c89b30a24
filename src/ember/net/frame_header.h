// The header in front of every message on an authenticated ember TCP
// connection (not to be confused with common/frame.h, the record frames
// exchanged with Python workers).
//
// Wire format: [u8 magic/version = kFrameMagic][u64 little-endian payload
// length][payload]. The magic byte changes with any incompatible change of
// framing, so mismatched peers fail on the first frame instead of
// misreading lengths.
//
// Contract: EncodeFrameHeader writes exactly kFrameHeaderSize bytes.
// DecodeFrameHeader checks the magic byte and returns the payload length,
// or Corrupt for a foreign magic byte; the caller enforces its maximum
// before allocating anything. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ember/common/status.h"

namespace ember::net {

constexpr uint8_t kFrameMagic = 0xE1;  // 'E'mber framing, version 1
constexpr size_t kFrameHeaderSize = 9;

void EncodeFrameHeader(uint64_t payload_size, char out[kFrameHeaderSize]);
Result<uint64_t> DecodeFrameHeader(const char in[kFrameHeaderSize]);

}  // namespace ember::net
