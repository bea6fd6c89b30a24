// Connect: open an authenticated connection to an ember Server.
//
// Contract: resolves host, connects (trying each address it resolves to),
// and runs the client side of the mutual handshake (auth.h), all within
// `timeout` — except name resolution itself, which the system resolver
// bounds (instant for IP addresses and "localhost"). Returns the
// connection only once the server has proven it knows `secret` (and
// accepted our proof). Every error is an IOError naming host:port and
// saying what went wrong: refused, timed out, or authentication failed;
// never the secret. An empty secret is refused. Thread-safe: concurrent
// calls share nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ember/common/status.h"
#include "ember/net/connection.h"

namespace ember::net {

Result<std::shared_ptr<Connection>> Connect(const std::string& host, uint16_t port,
                                            std::string_view secret,
                                            std::chrono::milliseconds timeout,
                                            ConnectionOptions options = {});

}  // namespace ember::net
