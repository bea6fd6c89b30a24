#include "ember/net/tls_stream.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <asio/ssl/error.hpp>

#include "ember/net/tls_context.h"

namespace ember::net {

namespace {

// Each direction's ciphertext buffer: sixteen full TLS records, so a large
// message leaves in few system calls.
constexpr size_t kBufferSize = 256 << 10;

asio::error_code TlsError() {
  unsigned long error = ERR_get_error();
  if (error == 0) return asio::ssl::error::unspecified_system_error;
  return asio::error_code(static_cast<int>(error), asio::error::get_ssl_category());
}

}  // namespace

struct TlsStream::Outcome {
  int error = SSL_ERROR_NONE;  // SSL_get_error's verdict
  asio::error_code failure;    // for SSL_ERROR_SSL and SSL_ERROR_SYSCALL
  size_t made = 0;             // ciphertext this call produced
  size_t pending = 0;          // ciphertext waiting to be sent, whoever made it
  size_t room = 0;             // ciphertext the TLS input can take
};

TlsStream::TlsStream(asio::ip::tcp::socket& socket, ssl_st* ssl, bio_st* network)
    : socket_(socket),
      ssl_(ssl),
      network_(network),
      received_(std::make_unique_for_overwrite<char[]>(kBufferSize)),
      outgoing_(std::make_unique_for_overwrite<char[]>(kBufferSize)) {}

TlsStream::~TlsStream() {
  SSL_free(ssl_);  // with OpenSSL's end of the pair
  BIO_free(network_);
}

Result<std::unique_ptr<TlsStream>> TlsStream::Handshake(const TlsContext& context,
                                                        asio::ip::tcp::socket& socket,
                                                        bool as_server, Deadline deadline,
                                                        const std::string& peer) {
  SSL* ssl = SSL_new(context.native());
  BIO* inner = nullptr;
  BIO* network = nullptr;
  if (!ssl || BIO_new_bio_pair(&inner, kBufferSize, &network, kBufferSize) != 1) {
    SSL_free(ssl);
    return Internal("cannot set up TLS for " + peer + ": " + TlsError().message());
  }
  SSL_set_bio(ssl, inner, inner);
  std::unique_ptr<TlsStream> stream(new TlsStream(socket, ssl, network));
  // Partial writes: SSL_write returns once the memory buffer is full, and
  // Write sends what is in it before going on.
  SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (as_server) {
    SSL_set_accept_state(ssl);
    SSL_set_verify(ssl,
                   context.need_client_auth() ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                                              : SSL_VERIFY_NONE,
                   nullptr);
  } else {
    SSL_set_connect_state(ssl);
    SSL_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
  }
  asio::error_code ec;
  socket.non_blocking(true, ec);
  if (!ec) ec = stream->RunHandshake(deadline);
  if (ec)
    return IOError("TLS handshake with " + peer + " failed: " + stream->Explain(ec) +
                   " (does the peer have spark.ssl.enabled?)");
  return stream;
}

template <typename Operation>
TlsStream::Outcome TlsStream::Perform(Operation operation) {
  std::lock_guard<std::mutex> lock(state_mu_);
  ERR_clear_error();
  Outcome outcome;
  size_t before = BIO_ctrl_pending(network_);
  int result = operation();
  if (result != 1) outcome.error = SSL_get_error(ssl_, result);
  if (outcome.error == SSL_ERROR_SSL || outcome.error == SSL_ERROR_SYSCALL) outcome.failure = TlsError();
  outcome.pending = BIO_ctrl_pending(network_);
  outcome.made = outcome.pending > before ? outcome.pending - before : 0;
  outcome.room = BIO_ctrl_get_write_guarantee(network_);
  return outcome;
}

asio::error_code TlsStream::RunHandshake(Deadline deadline) {
  for (;;) {
    Outcome outcome = Perform([this] { return SSL_do_handshake(ssl_); });
    asio::error_code ec;
    // Sent even when the handshake failed: it is the alert telling the peer why.
    if (outcome.pending > 0) SendPending(deadline, ec);
    if (outcome.failure) return outcome.failure;
    if (ec || outcome.error == SSL_ERROR_NONE) return ec;
    if (outcome.error == SSL_ERROR_WANT_READ) Receive(outcome.room, deadline, ec);
    if (ec) return ec;
  }
}

std::string TlsStream::Explain(const asio::error_code& ec) const {
  std::string why = DescribeIoError(ec);
  long verify = SSL_get_verify_result(ssl_);
  if (verify != X509_V_OK) why += " (" + std::string(X509_verify_cert_error_string(verify)) + ")";
  return why;
}

size_t TlsStream::Read(char* data, size_t size, Deadline deadline, asio::error_code& ec) {
  ec = {};
  size_t done = 0;
  while (done < size) {
    size_t got = 0;
    Outcome outcome = Perform([&] { return SSL_read_ex(ssl_, data + done, size - done, &got); });
    done += got;
    // Reading rarely makes TLS answer (an alert; there is no renegotiation
    // and ember sends no key updates). When it does, the answer goes out in
    // order with Write's records, after any Write under way. Output a
    // writer made is that writer's to send: waiting for it here could
    // deadlock two peers that both write while the other does not read.
    if (outcome.made > 0) SendPending(deadline, ec);
    if (ec) return done;
    switch (outcome.error) {
      case SSL_ERROR_NONE:
      case SSL_ERROR_WANT_WRITE:
        continue;
      case SSL_ERROR_WANT_READ:
        Receive(outcome.room, deadline, ec);
        if (ec) return done;
        continue;
      case SSL_ERROR_ZERO_RETURN:  // the peer's close_notify
        ec = asio::error::eof;
        return done;
      default:
        ec = outcome.failure;
        return done;
    }
  }
  return done;
}

void TlsStream::Write(std::string_view first, std::string_view second, Deadline deadline,
                      asio::error_code& ec) {
  std::lock_guard<std::mutex> wire(wire_mu_);
  ec = {};
  for (std::string_view part : {first, second}) {
    while (!part.empty()) {
      size_t written = 0;
      Outcome outcome =
          Perform([&] { return SSL_write_ex(ssl_, part.data(), part.size(), &written); });
      part.remove_prefix(written);
      if (outcome.pending > 0) SendPendingLocked(deadline, ec);
      if (ec) return;
      if (outcome.error == SSL_ERROR_NONE || outcome.error == SSL_ERROR_WANT_WRITE) continue;
      // Wanting to read while writing would be renegotiation, which is off.
      ec = outcome.failure ? outcome.failure : asio::error::operation_not_supported;
      return;
    }
  }
}

void TlsStream::Receive(size_t room, Deadline deadline, asio::error_code& ec) {
  // Only this (the reading) thread adds to the input, so the room it saw
  // can only have grown. None at all cannot happen: TLS wants more input
  // only when what it holds is less than a record, and a record fits.
  if (room == 0) {
    ec = asio::error::no_buffer_space;
    return;
  }
  size_t got = ReadSomeBefore(socket_, received_.get(), std::min(room, kBufferSize), deadline, ec);
  if (ec) return;
  std::lock_guard<std::mutex> lock(state_mu_);
  BIO_write(network_, received_.get(), static_cast<int>(got));
}

void TlsStream::SendPending(Deadline deadline, asio::error_code& ec) {
  std::lock_guard<std::mutex> wire(wire_mu_);
  SendPendingLocked(deadline, ec);
}

void TlsStream::SendPendingLocked(Deadline deadline, asio::error_code& ec) {
  for (;;) {
    int taken;
    {
      std::lock_guard<std::mutex> lock(state_mu_);
      taken = BIO_read(network_, outgoing_.get(), static_cast<int>(kBufferSize));
    }
    if (taken <= 0) return;
    WriteAllBefore(socket_, outgoing_.get(), static_cast<size_t>(taken), deadline, ec);
    if (ec) return;
  }
}

}  // namespace ember::net
