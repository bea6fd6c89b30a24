// The mutual HMAC-SHA256 handshake every ember TCP connection starts with,
// before a single frame is parsed or anything is unpickled.
//
// It runs over the connection's ByteStream: inside TLS when TLS is on.
//
// Protocol (fixed-size messages only; nothing variable-length is read):
//   client -> server  "ember2\r\n"                        8 bytes
//   server -> client  Ns                                  32 random bytes
//   client -> server  Nc | HMAC(secret, "ember2-client" | Ns | Nc)   64 bytes
//   server -> client  HMAC(secret, "ember2-server" | Nc | Ns)        32 bytes
// The server checks the client's proof before answering, so a client
// without the secret learns nothing but a random nonce; the client checks
// the server's proof, so it never talks to a server that lacks the secret.
// Fresh nonces on both sides stop replays; distinct labels stop a proof
// from being reflected back to the side that made it. The "1" in the
// labels is the protocol version: a peer of another version fails here.
// The client speaks first so that a client without TLS meeting a server
// with it (or the reverse) is refused at once instead of both waiting:
// the server tells a TLS ClientHello from the hello, and a TLS server
// fails on the hello.
//
// Contract: ServerHandshake / ClientHandshake return OK only once the peer
// has proven it knows `secret`. Any failure (wrong proof, the peer closed,
// the deadline passed) returns IOError whose message names `peer` and says
// "authentication failed" (and, when the other end looks like it has TLS
// on and this one off, says so); the secret never appears in a message. They
// neither log nor close the socket: the caller does both. Proofs are
// compared in constant time. Thread-compatible (one handshake per socket).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ember/common/status.h"
#include "ember/net/byte_stream.h"

namespace ember::net {

constexpr size_t kHandshakeNonceSize = 32;
constexpr std::string_view kClientHello = "ember2\r\n";

// The proofs, exposed so tests can impersonate a peer that lacks the secret.
std::string ClientProof(std::string_view secret, std::string_view server_nonce,
                        std::string_view client_nonce);
std::string ServerProof(std::string_view secret, std::string_view client_nonce,
                        std::string_view server_nonce);

Status ServerHandshake(ByteStream& stream, std::string_view secret, Deadline deadline,
                       const std::string& peer);
Status ClientHandshake(ByteStream& stream, std::string_view secret, Deadline deadline,
                       const std::string& peer);

}  // namespace ember::net
