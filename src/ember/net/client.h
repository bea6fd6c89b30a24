// Connect: open an authenticated connection to an ember Server.
//
// Contract: resolves host, connects (trying each address it resolves to),
// and runs the client side of the handshakes — TLS when credentials.tls
// is set (the server's chain verified against its trust store,
// tls_context.h), then the mutual HMAC handshake (auth.h) — all within
// `timeout`, except name resolution itself, which the system resolver
// bounds (instant for IP addresses and "localhost"). Returns the
// connection only once the server has proven it knows credentials.secret
// (and accepted our proof). Every error is an IOError naming host:port and
// saying what went wrong: refused, timed out, TLS handshake failed (a
// server without TLS included), or authentication failed; never the
// secret. An empty secret is refused. Thread-safe: concurrent calls share
// nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "ember/common/status.h"
#include "ember/net/connection.h"

namespace ember::net {

Result<std::shared_ptr<Connection>> Connect(const std::string& host, uint16_t port,
                                            const Credentials& credentials,
                                            std::chrono::milliseconds timeout,
                                            ConnectionOptions options = {});

}  // namespace ember::net
