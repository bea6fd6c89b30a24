// The few cryptographic primitives ember's handshakes are built from.
//
// Contract: HmacSha256 returns the 32 raw bytes of HMAC-SHA256(key,
// message). Sha256 returns the 32 raw bytes of SHA-256(data); ToHex spells
// bytes as lowercase hex (how digests appear in signed requests). RandomBytes returns n bytes from OpenSSL's CSPRNG, or an error
// if the generator cannot supply them (a handshake must not go ahead with
// a predictable nonce). ConstantTimeEquals compares two byte strings in a
// time that depends only on their lengths (which are public), never on
// where they first differ, so a peer cannot learn a valid MAC byte by byte.
// All functions are thread-safe and never log their inputs.
//
// InitCrypto initialises OpenSSL on the calling thread and registers its
// exit-time cleanup now. Call it first in main(), before anything that
// starts threads using OpenSSL (servers, whose session threads hash and
// draw random bytes; TLS): exit handlers and static destructors run in
// reverse order of registration, so OpenSSL is then torn down after them.
// Left to itself OpenSSL registers its cleanup at its first real use,
// after those objects exist, and frees its state under their threads.
// A failure is not reported here: the first use of OpenSSL reports it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ember/common/status.h"

namespace ember {

void InitCrypto();

constexpr size_t kHmacSha256Size = 32;

std::string HmacSha256(std::string_view key, std::string_view message);
std::string Sha256(std::string_view data);
std::string ToHex(std::string_view bytes);
Result<std::string> RandomBytes(size_t n);
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace ember
