// TlsStream: a ByteStream (byte_stream.h) that is TLS over the TCP socket.
// OpenSSL encrypts into and decrypts from memory buffers, and this class
// moves the ciphertext through the socket itself, so no lock is held
// while a thread waits for the network.
//
// Contract:
// - Handshake runs the TLS handshake, as server or client, on a connected
//   socket nothing has been read from or written to, within `deadline`,
//   with the certificates and verification rules of `context`
//   (tls_context.h). A failure — the peer does not speak TLS, a chain
//   that does not verify, the deadline — is IOError "TLS handshake with
//   <peer> failed: <reason> (does the peer have spark.ssl.enabled?)".
// - After it, Read and Write are as byte_stream.h says: one reader and
//   one writer at a time, concurrently. Each waits for the socket holding
//   no TLS state, so a reader waiting on a quiet peer never stalls a
//   writer, and two peers sending each other large messages at once
//   cannot deadlock. An end of stream without TLS's close_notify counts
//   as the end of the stream: messages carry their own lengths
//   (frame_header.h), so a cut inside one is still detected.
// - The socket is left in non-blocking mode and must outlive the stream.
#pragma once

#include <asio/ip/tcp.hpp>
#include <memory>
#include <mutex>
#include <string>

#include "ember/common/status.h"
#include "ember/net/byte_stream.h"

struct ssl_st;  // OpenSSL's SSL
struct bio_st;  // OpenSSL's BIO

namespace ember::net {

class TlsContext;  // tls_context.h

class TlsStream : public ByteStream {
 public:
  static Result<std::unique_ptr<TlsStream>> Handshake(const TlsContext& context,
                                                      asio::ip::tcp::socket& socket, bool as_server,
                                                      Deadline deadline, const std::string& peer);
  ~TlsStream() override;
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  size_t Read(char* data, size_t size, Deadline deadline, asio::error_code& ec) override;
  void Write(std::string_view first, std::string_view second, Deadline deadline,
             asio::error_code& ec) override;

 private:
  struct Outcome;  // of one OpenSSL call

  TlsStream(asio::ip::tcp::socket& socket, ssl_st* ssl, bio_st* network);
  template <typename Operation>
  Outcome Perform(Operation operation);
  asio::error_code RunHandshake(Deadline deadline);
  std::string Explain(const asio::error_code& ec) const;
  void Receive(size_t room, Deadline deadline, asio::error_code& ec);  // the reader's
  void SendPending(Deadline deadline, asio::error_code& ec);
  void SendPendingLocked(Deadline deadline, asio::error_code& ec);  // under wire_mu_

  asio::ip::tcp::socket& socket_;
  ssl_st* const ssl_;
  bio_st* const network_;  // our end of the pair of memory buffers OpenSSL works on
  std::mutex state_mu_;    // guards ssl_ and network_; never held while waiting on the socket
  std::mutex wire_mu_;     // one sender of ciphertext at a time, in the order TLS made it
  const std::unique_ptr<char[]> received_;  // ciphertext in; the reader's
  const std::unique_ptr<char[]> outgoing_;  // ciphertext out; guarded by wire_mu_
};

}  // namespace ember::net
