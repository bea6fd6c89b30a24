// ByteStream: the bytes of one connected socket, as a Connection and the
// handshake (auth.h) read and write them — the TCP stream itself
// (PlainStream) or TLS over it (TlsStream). Internal to net/.
//
// Contract: Read fills all `size` bytes of `data`; Write sends every byte
// of `first` then `second` (a frame's header and payload). Both give up
// at `deadline` (kNoDeadline: never) and report through `ec` as
// deadline_io.h does: asio::error::timed_out, asio::error::eof when the
// peer ended the stream, or the error (TLS errors in asio's ssl
// category). Read returns how many bytes arrived before it stopped. One
// reader and one writer may run at once (writers are serialized by the
// caller). A shutdown of the socket underneath (Connection::Close) wakes
// both; the stream does not own the socket.
#pragma once

#include <asio/error.hpp>
#include <cstddef>
#include <string_view>

#include "ember/net/deadline_io.h"

namespace ember::net {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual size_t Read(char* data, size_t size, Deadline deadline, asio::error_code& ec) = 0;
  virtual void Write(std::string_view first, std::string_view second, Deadline deadline,
                     asio::error_code& ec) = 0;
};

}  // namespace ember::net
