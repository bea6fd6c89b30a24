// Connection: an authenticated TCP stream of length-prefixed messages
// (framing in frame_header.h), in TLS when the credentials say so. The net
// layer moves bytes and protobuf messages; it does not know which
// messages exist.
//
// Contract:
// - Connections are made by Server (server.h) and Connect (client.h), and
//   handed out only after Authenticate succeeded: the TLS handshake when
//   Credentials::tls is set (tls_stream.h), then, inside it, the mutual
//   HMAC handshake (auth.h). Until then Send and Receive refuse to work,
//   so nothing from an unauthenticated peer is ever parsed.
// - Send / SendBytes are thread-safe: any number of threads may send, and
//   each message goes out whole, never interleaved with another. They
//   return once the kernel has taken the bytes. There is no send timeout:
//   a peer that stops reading stalls senders until Close().
//   A payload over max_frame_size is refused (InvalidArgument) before
//   anything is sent.
// - Receive / ReceiveBytes are for one reader thread (concurrent calls are
//   serialized). They block until a whole message arrives and return true;
//   false when the stream ended cleanly (the peer closed between messages,
//   or Close() was called); an error for a truncated frame, a bad header,
//   a frame over max_frame_size (refused from its header, before anything
//   is allocated) or a message that does not parse. Every error closes
//   the connection: the stream cannot be trusted after it.
// - Close() is thread-safe and idempotent; it unblocks a blocked Receive
//   or Send. The socket itself is released by the destructor.
// - Errors name the peer ("127.0.0.1:40312"), never the secret.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "ember/common/status.h"
#include "ember/net/credentials.h"

namespace google::protobuf {
class MessageLite;
}

namespace ember::net {

struct TcpStream;   // tcp_stream.h
class ByteStream;  // byte_stream.h

// 2 GiB - 1: results can be big, and it is also the largest message
// protobuf can parse.
constexpr uint64_t kDefaultMaxFrameSize = std::numeric_limits<int32_t>::max();

struct ConnectionOptions {
  uint64_t max_frame_size = kDefaultMaxFrameSize;  // largest payload sent or accepted
};

class Connection {
 public:
  enum class Role { kClient, kServer };

  // Wraps a connected socket that has not authenticated yet.
  Connection(std::unique_ptr<TcpStream> stream, std::string peer, ConnectionOptions options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs our side of the handshakes (TLS if credentials.tls, then HMAC);
  // on failure the connection is closed. Cancelled if Close() interrupted
  // it, IOError (tls_stream.h, auth.h) otherwise.
  Status Authenticate(Role role, const Credentials& credentials,
                      std::chrono::steady_clock::time_point deadline);

  Status Send(const google::protobuf::MessageLite& message);
  Status SendBytes(std::string_view payload);
  Result<bool> Receive(google::protobuf::MessageLite* message);
  Result<bool> ReceiveBytes(std::string* payload);

  void Close();
  bool is_closed() const { return closed_.load(); }
  const std::string& peer() const { return peer_; }

 private:
  bool CloseOnce();  // false if it was closed already
  Status CheckSendable(uint64_t payload_size) const;
  Status WriteFrame(std::string_view header, std::string_view payload);
  Result<bool> ReadFrame(std::string* payload);
  Result<bool> EndOfStream(bool mid_frame, bool eof, const std::string& error);
  Status Fail(Status status);

  const std::unique_ptr<TcpStream> tcp_;
  std::unique_ptr<ByteStream> stream_;  // over tcp_; set by Authenticate before authenticated_
  const std::string peer_;
  const ConnectionOptions options_;
  std::atomic<bool> authenticated_{false};
  std::atomic<bool> closed_{false};
  std::mutex send_mu_;
  std::mutex receive_mu_;
  std::string receive_buffer_;  // reused between messages; guarded by receive_mu_
};

}  // namespace ember::net
