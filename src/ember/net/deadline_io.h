// Reads and writes on a TCP socket that give up at a deadline.
//
// Asio's synchronous calls have no timeout, and a peer that has not
// authenticated yet must not be able to hold a thread forever, so the
// handshakes read and write through these; so does TLS (tls_stream.h)
// always, kNoDeadline once authenticated. Each call puts the socket in
// non-blocking mode, waits with poll() for what is left of the deadline,
// and puts back the mode it found.
//
// Contract: ReadSomeBefore returns at least one byte; ReadExactBefore
// returns once `size` bytes are in `data`; WriteAllBefore once all `size`
// bytes are handed to the kernel. Otherwise `ec` says why:
// asio::error::timed_out when the deadline passes, asio::error::eof when
// the peer (or a local shutdown, see Connection::Close) ended the stream,
// or the socket error; the return value is what was transferred before.
// The Status forms say the same in words (DescribeIoError). Messages do
// not name the peer; callers add it. Thread-compatible: one reader and one
// writer per socket at most.
#pragma once

#include <asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <string>

#include "ember/common/status.h"

namespace ember::net {

using Deadline = std::chrono::steady_clock::time_point;
inline constexpr Deadline kNoDeadline = Deadline::max();

size_t ReadSomeBefore(asio::ip::tcp::socket& socket, char* data, size_t size, Deadline deadline,
                      asio::error_code& ec);
size_t ReadExactBefore(asio::ip::tcp::socket& socket, char* data, size_t size, Deadline deadline,
                       asio::error_code& ec);
void WriteAllBefore(asio::ip::tcp::socket& socket, const char* data, size_t size, Deadline deadline,
                    asio::error_code& ec);

Status ReadExactBefore(asio::ip::tcp::socket& socket, char* data, size_t size, Deadline deadline);
Status WriteAllBefore(asio::ip::tcp::socket& socket, const char* data, size_t size,
                      Deadline deadline);

// "timed out", "the connection was closed" (end of stream, reset, broken
// pipe, shut down), or the error's own message.
std::string DescribeIoError(const asio::error_code& ec);

}  // namespace ember::net
