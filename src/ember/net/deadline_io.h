// Exact reads and full writes on a TCP socket that give up at a deadline.
//
// Asio's synchronous calls have no timeout, and a peer that has not
// authenticated yet must not be able to hold a thread forever, so the
// handshake reads and writes through these. Each call puts the socket in
// non-blocking mode, waits with poll() for what is left of the deadline,
// and restores blocking mode before returning.
//
// Contract: ReadExactBefore returns OK once `size` bytes are in `data`;
// WriteAllBefore once all `size` bytes are handed to the kernel. Otherwise
// IOError: "timed out" when the deadline passes, "the connection was
// closed" when the peer (or a local shutdown, see Connection::Close) ends
// the stream, or the socket error. Messages do not name the peer; callers
// add it. Thread-compatible: one reader and one writer per socket at most.
#pragma once

#include <asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>

#include "ember/common/status.h"

namespace ember::net {

using Deadline = std::chrono::steady_clock::time_point;

Status ReadExactBefore(asio::ip::tcp::socket& socket, char* data, size_t size, Deadline deadline);
Status WriteAllBefore(asio::ip::tcp::socket& socket, const char* data, size_t size,
                      Deadline deadline);

}  // namespace ember::net
