#include "ember/net/deadline_io.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>

namespace ember::net {

namespace {

// Non-blocking for the lifetime of the scope, so a call returns
// would_block instead of parking the thread past the deadline.
class NonBlockingScope {
 public:
  explicit NonBlockingScope(asio::ip::tcp::socket& socket)
      : socket_(socket), was_non_blocking_(socket.non_blocking()) {
    if (!was_non_blocking_) socket_.non_blocking(true, error_);
  }
  ~NonBlockingScope() {
    asio::error_code ignored;
    if (!was_non_blocking_) socket_.non_blocking(false, ignored);
  }
  const asio::error_code& error() const { return error_; }

 private:
  asio::ip::tcp::socket& socket_;
  const bool was_non_blocking_;
  asio::error_code error_;
};

asio::error_code WaitUntilReady(int fd, short events, Deadline deadline) {
  for (;;) {
    int timeout_ms = -1;
    if (deadline != kNoDeadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) return asio::error::timed_out;
      timeout_ms = static_cast<int>(std::min<long long>(left, 1 << 30));
    }
    pollfd p{fd, events, 0};
    int ready = ::poll(&p, 1, timeout_ms);
    // Readable, writable, hung up or failed: the next call says which.
    if (ready > 0) return {};
    if (ready < 0 && errno != EINTR) return asio::error_code(errno, asio::system_category());
  }
}

bool WouldBlock(const asio::error_code& ec) {
  return ec == asio::error::would_block || ec == asio::error::try_again;
}

}  // namespace

size_t ReadSomeBefore(asio::ip::tcp::socket& socket, char* data, size_t size, Deadline deadline,
                      asio::error_code& ec) {
  NonBlockingScope scope(socket);
  ec = scope.error();
  while (!ec) {
    size_t got = socket.read_some(asio::buffer(data, size), ec);
    if (!ec) return got;
    if (WouldBlock(ec)) ec = WaitUntilReady(socket.native_handle(), POLLIN, deadline);
  }
  return 0;
}

size_t ReadExactBefore(asio::ip::tcp::socket& socket, char* data, size_t size, Deadline deadline,
                       asio::error_code& ec) {
  ec = {};
  size_t done = 0;
  while (done < size && !ec) done += ReadSomeBefore(socket, data + done, size - done, deadline, ec);
  return done;
}

void WriteAllBefore(asio::ip::tcp::socket& socket, const char* data, size_t size, Deadline deadline,
                    asio::error_code& ec) {
  NonBlockingScope scope(socket);
  ec = scope.error();
  size_t done = 0;
  while (done < size && !ec) {
    done += socket.write_some(asio::buffer(data + done, size - done), ec);
    if (WouldBlock(ec)) ec = WaitUntilReady(socket.native_handle(), POLLOUT, deadline);
  }
}

Status ReadExactBefore(asio::ip::tcp::socket& socket, char* data, size_t size, Deadline deadline) {
  asio::error_code ec;
  ReadExactBefore(socket, data, size, deadline, ec);
  return ec ? IOError(DescribeIoError(ec)) : Status::OK();
}

Status WriteAllBefore(asio::ip::tcp::socket& socket, const char* data, size_t size,
                      Deadline deadline) {
  asio::error_code ec;
  WriteAllBefore(socket, data, size, deadline, ec);
  return ec ? IOError(DescribeIoError(ec)) : Status::OK();
}

std::string DescribeIoError(const asio::error_code& ec) {
  if (ec == asio::error::timed_out) return "timed out";
  if (ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::broken_pipe || ec == asio::error::shut_down)
    return "the connection was closed";
  return ec.message();
}

}  // namespace ember::net
