#include "ember/net/auth.h"

#include "ember/common/crypto.h"

namespace ember::net {

namespace {

constexpr std::string_view kClientLabel = "ember2-client";
constexpr std::string_view kServerLabel = "ember2-server";

std::string Concat(std::string_view a, std::string_view b, std::string_view c) {
  std::string out;
  out.reserve(a.size() + b.size() + c.size());
  out.append(a).append(b).append(c);
  return out;
}

Status Failed(const std::string& peer, const std::string& why) {
  return IOError("authentication failed with " + peer + ": " + why);
}

Status Failed(const std::string& peer, const asio::error_code& ec) {
  return Failed(peer, DescribeIoError(ec));
}

// The first byte of a TLS record: 0x16 a handshake (a ClientHello), 0x15 an alert.
bool LooksLikeTls(const char* data, size_t got) {
  return got > 0 && (data[0] == '\x16' || data[0] == '\x15');
}

constexpr std::string_view kTlsHere =
    "; TLS (spark.ssl.enabled) must be on for every process of the application or for none";

}  // namespace

std::string ClientProof(std::string_view secret, std::string_view server_nonce,
                        std::string_view client_nonce) {
  return HmacSha256(secret, Concat(kClientLabel, server_nonce, client_nonce));
}

std::string ServerProof(std::string_view secret, std::string_view client_nonce,
                        std::string_view server_nonce) {
  return HmacSha256(secret, Concat(kServerLabel, client_nonce, server_nonce));
}

Status ServerHandshake(ByteStream& stream, std::string_view secret, Deadline deadline,
                       const std::string& peer) {
  asio::error_code ec;
  char hello[kClientHello.size()];
  size_t got = stream.Read(hello, sizeof hello, deadline, ec);
  if (LooksLikeTls(hello, got))  // never the first byte of the hello
    return Failed(peer, "the client speaks TLS and this server does not" + std::string(kTlsHere));
  if (ec) return Failed(peer, ec);
  if (std::string_view(hello, sizeof hello) != kClientHello)
    return Failed(peer, "the client did not start an ember handshake");

  EMBER_ASSIGN_OR_RETURN(std::string server_nonce, RandomBytes(kHandshakeNonceSize));
  stream.Write(server_nonce, {}, deadline, ec);
  if (ec) return Failed(peer, ec);

  char reply[kHandshakeNonceSize + kHmacSha256Size];
  stream.Read(reply, sizeof reply, deadline, ec);
  if (ec) return Failed(peer, ec);
  std::string_view client_nonce(reply, kHandshakeNonceSize);
  std::string_view client_proof(reply + kHandshakeNonceSize, kHmacSha256Size);
  if (!ConstantTimeEquals(client_proof, ClientProof(secret, server_nonce, client_nonce)))
    return Failed(peer, "the client does not know the secret");

  stream.Write(ServerProof(secret, client_nonce, server_nonce), {}, deadline, ec);
  if (ec) return Failed(peer, ec);
  return Status::OK();
}

Status ClientHandshake(ByteStream& stream, std::string_view secret, Deadline deadline,
                       const std::string& peer) {
  asio::error_code ec;
  stream.Write(kClientHello, {}, deadline, ec);
  if (ec) return Failed(peer, ec);
  char server_nonce[kHandshakeNonceSize];
  size_t got = stream.Read(server_nonce, sizeof server_nonce, deadline, ec);
  // A whole nonce is random and may start with any byte; a TLS server's
  // alert is a few bytes, then the end of the stream.
  if (ec && LooksLikeTls(server_nonce, got))
    return Failed(peer, "the server speaks TLS and this client does not" + std::string(kTlsHere));
  // A server that cannot read our hello (it expects TLS) closes at once.
  if (got == 0 && (ec == asio::error::eof || ec == asio::error::connection_reset))
    return Failed(peer, "the server closed the connection before the handshake (does the peer "
                        "have spark.ssl.enabled?)");
  if (ec) return Failed(peer, ec);
  std::string_view server_nonce_view(server_nonce, sizeof server_nonce);

  EMBER_ASSIGN_OR_RETURN(std::string client_nonce, RandomBytes(kHandshakeNonceSize));
  std::string reply = client_nonce + ClientProof(secret, server_nonce_view, client_nonce);
  stream.Write(reply, {}, deadline, ec);
  if (ec) return Failed(peer, ec);

  char server_proof[kHmacSha256Size];
  stream.Read(server_proof, sizeof server_proof, deadline, ec);
  // A server that rejects our proof closes without a word: say so.
  if (ec)
    return Failed(peer, "no answer to our proof (" + DescribeIoError(ec) +
                            "); a server closes when the secrets differ");
  if (!ConstantTimeEquals(std::string_view(server_proof, sizeof server_proof),
                          ServerProof(secret, client_nonce, server_nonce_view)))
    return Failed(peer, "the server does not know the secret");
  return Status::OK();
}

}  // namespace ember::net
