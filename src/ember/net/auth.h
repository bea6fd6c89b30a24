// The mutual HMAC-SHA256 handshake every ember TCP connection starts with,
// before a single frame is parsed or anything is unpickled.
//
// Protocol (fixed-size messages only; nothing variable-length is read):
//   server -> client  Ns                                  32 random bytes
//   client -> server  Nc | HMAC(secret, "ember1-client" | Ns | Nc)   64 bytes
//   server -> client  HMAC(secret, "ember1-server" | Nc | Ns)        32 bytes
// The server checks the client's proof before answering, so a client
// without the secret learns nothing but a random nonce; the client checks
// the server's proof, so it never talks to a server that lacks the secret.
// Fresh nonces on both sides stop replays; distinct labels stop a proof
// from being reflected back to the side that made it. The "1" in the
// labels is the protocol version: a peer of another version fails here.
//
// Contract: ServerHandshake / ClientHandshake return OK only once the peer
// has proven it knows `secret`. Any failure (wrong proof, the peer closed,
// the deadline passed) returns IOError whose message names `peer` and says
// "authentication failed"; the secret never appears in a message. They
// neither log nor close the socket: the caller does both. Proofs are
// compared in constant time. Thread-compatible (one handshake per socket).
#pragma once

#include <asio/ip/tcp.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "ember/common/status.h"
#include "ember/net/deadline_io.h"

namespace ember::net {

constexpr size_t kHandshakeNonceSize = 32;

// The proofs, exposed so tests can impersonate a peer that lacks the secret.
std::string ClientProof(std::string_view secret, std::string_view server_nonce,
                        std::string_view client_nonce);
std::string ServerProof(std::string_view secret, std::string_view client_nonce,
                        std::string_view server_nonce);

Status ServerHandshake(asio::ip::tcp::socket& socket, std::string_view secret, Deadline deadline,
                       const std::string& peer);
Status ClientHandshake(asio::ip::tcp::socket& socket, std::string_view secret, Deadline deadline,
                       const std::string& peer);

}  // namespace ember::net
