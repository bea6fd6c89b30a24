#include "ember/net/plain_stream.h"

#include <array>
#include <asio/read.hpp>
#include <asio/write.hpp>

namespace ember::net {

size_t PlainStream::Read(char* data, size_t size, Deadline deadline, asio::error_code& ec) {
  if (deadline != kNoDeadline) return ReadExactBefore(socket_, data, size, deadline, ec);
  ec = {};
  return asio::read(socket_, asio::buffer(data, size), ec);
}

void PlainStream::Write(std::string_view first, std::string_view second, Deadline deadline,
                        asio::error_code& ec) {
  if (deadline != kNoDeadline) {
    WriteAllBefore(socket_, first.data(), first.size(), deadline, ec);
    if (!ec) WriteAllBefore(socket_, second.data(), second.size(), deadline, ec);
    return;
  }
  // One gather write: header and payload leave in one system call.
  std::array<asio::const_buffer, 2> buffers = {asio::buffer(first.data(), first.size()),
                                               asio::buffer(second.data(), second.size())};
  ec = {};
  asio::write(socket_, buffers, ec);
}

}  // namespace ember::net
