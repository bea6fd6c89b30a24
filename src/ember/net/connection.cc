#include "ember/net/connection.h"

#include <google/protobuf/message_lite.h>

#include <algorithm>
#include <memory>

#include "ember/net/auth.h"
#include "ember/net/frame_header.h"
#include "ember/net/plain_stream.h"
#include "ember/net/tcp_stream.h"
#include "ember/net/tls_stream.h"

namespace ember::net {

namespace {
// Receive keeps its buffer between messages to avoid reallocating, but
// not one this large: a connection that once carried a 1 GiB result
// should not hold on to 1 GiB.
constexpr size_t kMaxKeptReceiveBuffer = 64 << 20;
// The first piece of a payload read before more is allocated.
constexpr size_t kFirstPiece = 1 << 20;
}  // namespace

Connection::Connection(std::unique_ptr<TcpStream> stream, std::string peer,
                       ConnectionOptions options)
    : tcp_(std::move(stream)), peer_(std::move(peer)), options_(options) {
  // Requests and replies are small and latency-bound; Nagle would hold them back.
  asio::error_code ignored;
  tcp_->socket.set_option(asio::ip::tcp::no_delay(true), ignored);
}

Connection::~Connection() = default;

Status Connection::Authenticate(Role role, const Credentials& credentials,
                                std::chrono::steady_clock::time_point deadline) {
  bool server = role == Role::kServer;
  Status st;
  std::unique_ptr<ByteStream> stream;
  if (credentials.tls) {
    auto tls = TlsStream::Handshake(*credentials.tls, tcp_->socket, server, deadline, peer_);
    if (tls.ok()) stream = std::move(tls).value();
    else st = tls.status();
  } else {
    stream = std::make_unique<PlainStream>(tcp_->socket);
  }
  if (st.ok()) {
    st = server ? ServerHandshake(*stream, credentials.secret, deadline, peer_)
                : ClientHandshake(*stream, credentials.secret, deadline, peer_);
  }
  if (!st.ok()) {
    // Tell "Close() was called meanwhile" (a server stopping) from a peer that failed.
    if (!CloseOnce()) return Cancelled("the handshake with " + peer_ + " was cut short by Close()");
    return st;
  }
  stream_ = std::move(stream);
  authenticated_ = true;
  return Status::OK();
}

void Connection::Close() { CloseOnce(); }

bool Connection::CloseOnce() {
  if (closed_.exchange(true)) return false;
  // shutdown, not close: it wakes any thread blocked on this socket, while
  // the descriptor stays valid until the destructor (closing it under a
  // blocked reader could hand its number to another file meanwhile).
  // Reads, writes and shutdown may run at once on one socket: for
  // synchronous calls Asio just hands the descriptor to the kernel.
  asio::error_code ignored;
  tcp_->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  return true;
}

Status Connection::Fail(Status status) {
  Close();
  return status;
}

Status Connection::CheckSendable(uint64_t payload_size) const {
  if (!authenticated_) return Internal("sending to " + peer_ + " before authenticating");
  if (payload_size > options_.max_frame_size) {
    return InvalidArgument("a message of " + std::to_string(payload_size) + " bytes for " + peer_ +
                           " exceeds the maximum frame size of " +
                           std::to_string(options_.max_frame_size) + " bytes");
  }
  if (closed_) return IOError("the connection to " + peer_ + " is closed");
  return Status::OK();
}

Status Connection::Send(const google::protobuf::MessageLite& message) {
  size_t size = message.ByteSizeLong();
  if (size > static_cast<size_t>(std::numeric_limits<int32_t>::max()))
    return InvalidArgument("a " + message.GetTypeName() + " of " + std::to_string(size) +
                           " bytes is over protobuf's 2 GiB limit");
  EMBER_RETURN_IF_ERROR(CheckSendable(size));
  // Header and message in one buffer, serialized outside the send lock so
  // concurrent senders only queue for the write itself.
  // (Not a std::string: zero-filling a large frame first would cost a pass.)
  auto frame = std::make_unique_for_overwrite<char[]>(kFrameHeaderSize + size);
  EncodeFrameHeader(size, frame.get());
  auto* body = reinterpret_cast<uint8_t*>(frame.get() + kFrameHeaderSize);
  message.SerializeWithCachedSizesToArray(body);
  return WriteFrame(std::string_view(frame.get(), kFrameHeaderSize + size), {});
}

Status Connection::SendBytes(std::string_view payload) {
  EMBER_RETURN_IF_ERROR(CheckSendable(payload.size()));
  char header[kFrameHeaderSize];
  EncodeFrameHeader(payload.size(), header);
  return WriteFrame(std::string_view(header, sizeof header), payload);
}

Status Connection::WriteFrame(std::string_view header, std::string_view payload) {
  std::lock_guard<std::mutex> lock(send_mu_);
  asio::error_code ec;
  stream_->Write(header, payload, kNoDeadline, ec);
  if (!ec) return Status::OK();
  // Part of a frame may have gone out: the stream is unusable either way.
  return Fail(IOError("sending to " + peer_ + " failed: " +
                      (closed_ ? std::string("the connection is closed") : ec.message())));
}

Result<bool> Connection::ReceiveBytes(std::string* payload) {
  std::lock_guard<std::mutex> lock(receive_mu_);
  return ReadFrame(payload);
}

Result<bool> Connection::Receive(google::protobuf::MessageLite* message) {
  std::lock_guard<std::mutex> lock(receive_mu_);
  EMBER_ASSIGN_OR_RETURN(bool got, ReadFrame(&receive_buffer_));
  if (!got) return false;
  size_t size = receive_buffer_.size();
  bool parsed = size <= static_cast<size_t>(std::numeric_limits<int32_t>::max()) &&
                message->ParseFromArray(receive_buffer_.data(), static_cast<int>(size));
  if (receive_buffer_.capacity() > kMaxKeptReceiveBuffer) std::string().swap(receive_buffer_);
  if (!parsed) {
    return Fail(Corrupt("cannot parse a " + message->GetTypeName() + " from the " +
                        std::to_string(size) + "-byte message received from " + peer_));
  }
  return true;
}

Result<bool> Connection::ReadFrame(std::string* payload) {
  if (!authenticated_) return Internal("receiving from " + peer_ + " before authenticating");
  char header[kFrameHeaderSize];
  asio::error_code ec;
  size_t got = stream_->Read(header, sizeof header, kNoDeadline, ec);
  if (ec) return EndOfStream(got > 0, ec == asio::error::eof, ec.message());

  auto size = DecodeFrameHeader(header);
  if (!size.ok()) return Fail(Corrupt(size.status().message() + " from " + peer_));
  if (*size > options_.max_frame_size) {
    return Fail(InvalidArgument("a frame of " + std::to_string(*size) + " bytes from " + peer_ +
                                " exceeds the maximum frame size of " +
                                std::to_string(options_.max_frame_size) + " bytes"));
  }
  // The payload grows with what arrives (doubling from kFirstPiece), so a
  // header announcing 2 GiB that is never sent costs nothing.
  payload->clear();
  while (payload->size() < *size) {
    size_t have = payload->size();
    size_t piece = static_cast<size_t>(std::min<uint64_t>(*size - have, std::max(kFirstPiece, have)));
    payload->resize(have + piece);
    stream_->Read(payload->data() + have, piece, kNoDeadline, ec);
    if (ec) return EndOfStream(true, ec == asio::error::eof, ec.message());
  }
  return true;
}

// The stream stopped. That is a clean end if we closed it ourselves or the
// peer closed between frames; anything else is a failure.
Result<bool> Connection::EndOfStream(bool mid_frame, bool eof, const std::string& error) {
  if (closed_ || (eof && !mid_frame)) {
    Close();
    return false;
  }
  return Fail(IOError("the connection to " + peer_ +
                      (mid_frame ? " broke in the middle of a message: " : " failed: ") + error));
}

}  // namespace ember::net
