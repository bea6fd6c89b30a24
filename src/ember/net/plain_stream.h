// PlainStream: a ByteStream (byte_stream.h) that is the TCP socket itself.
//
// Contract: with a deadline it reads and writes through deadline_io.h;
// without one (an authenticated connection) with Asio's blocking calls,
// which cost no poll() per call. The socket must outlive the stream.
#pragma once

#include <asio/ip/tcp.hpp>

#include "ember/net/byte_stream.h"

namespace ember::net {

class PlainStream : public ByteStream {
 public:
  explicit PlainStream(asio::ip::tcp::socket& socket) : socket_(socket) {}
  size_t Read(char* data, size_t size, Deadline deadline, asio::error_code& ec) override;
  void Write(std::string_view first, std::string_view second, Deadline deadline,
             asio::error_code& ec) override;

 private:
  asio::ip::tcp::socket& socket_;
};

}  // namespace ember::net
