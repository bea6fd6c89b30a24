#include "ember/net/deadline_io.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ember::net {

namespace {

// Non-blocking for the lifetime of the scope, so a call returns
// would_block instead of parking the thread past the deadline.
class NonBlockingScope {
 public:
  explicit NonBlockingScope(asio::ip::tcp::socket& socket) : socket_(socket) {
    socket_.non_blocking(true, error_);
  }
  ~NonBlockingScope() {
    asio::error_code ignored;
    socket_.non_blocking(false, ignored);
  }
  const asio::error_code& error() const { return error_; }

 private:
  asio::ip::tcp::socket& socket_;
  asio::error_code error_;
};

Status WaitUntilReady(int fd, short events, Deadline deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return IOError("timed out");
    pollfd p{fd, events, 0};
    int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
    // Readable, writable, hung up or failed: the next call says which.
    if (ready > 0) return Status::OK();
    if (ready < 0 && errno != EINTR) return IOError(std::string("poll: ") + std::strerror(errno));
  }
}

Status TranslateError(const asio::error_code& ec) {
  if (ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::broken_pipe || ec == asio::error::shut_down)
    return IOError("the connection was closed");
  return IOError(ec.message());
}

bool WouldBlock(const asio::error_code& ec) {
  return ec == asio::error::would_block || ec == asio::error::try_again;
}

}  // namespace

Status ReadExactBefore(asio::ip::tcp::socket& socket, char* data, size_t size,
                       Deadline deadline) {
  NonBlockingScope scope(socket);
  if (scope.error()) return TranslateError(scope.error());
  size_t done = 0;
  while (done < size) {
    asio::error_code ec;
    done += socket.read_some(asio::buffer(data + done, size - done), ec);
    if (!ec) continue;
    if (!WouldBlock(ec)) return TranslateError(ec);
    EMBER_RETURN_IF_ERROR(WaitUntilReady(socket.native_handle(), POLLIN, deadline));
  }
  return Status::OK();
}

Status WriteAllBefore(asio::ip::tcp::socket& socket, const char* data, size_t size,
                      Deadline deadline) {
  NonBlockingScope scope(socket);
  if (scope.error()) return TranslateError(scope.error());
  size_t done = 0;
  while (done < size) {
    asio::error_code ec;
    done += socket.write_some(asio::buffer(data + done, size - done), ec);
    if (!ec) continue;
    if (!WouldBlock(ec)) return TranslateError(ec);
    EMBER_RETURN_IF_ERROR(WaitUntilReady(socket.native_handle(), POLLOUT, deadline));
  }
  return Status::OK();
}

}  // namespace ember::net
