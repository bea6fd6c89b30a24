#include "ember/net/auth.h"

#include "ember/common/crypto.h"

namespace ember::net {

namespace {

constexpr std::string_view kClientLabel = "ember1-client";
constexpr std::string_view kServerLabel = "ember1-server";

std::string Concat(std::string_view a, std::string_view b, std::string_view c) {
  std::string out;
  out.reserve(a.size() + b.size() + c.size());
  out.append(a).append(b).append(c);
  return out;
}

Status Failed(const std::string& peer, const std::string& why) {
  return IOError("authentication failed with " + peer + ": " + why);
}

Status Failed(const std::string& peer, const Status& io) { return Failed(peer, io.message()); }

}  // namespace

std::string ClientProof(std::string_view secret, std::string_view server_nonce,
                        std::string_view client_nonce) {
  return HmacSha256(secret, Concat(kClientLabel, server_nonce, client_nonce));
}

std::string ServerProof(std::string_view secret, std::string_view client_nonce,
                        std::string_view server_nonce) {
  return HmacSha256(secret, Concat(kServerLabel, client_nonce, server_nonce));
}

Status ServerHandshake(asio::ip::tcp::socket& socket, std::string_view secret, Deadline deadline,
                       const std::string& peer) {
  EMBER_ASSIGN_OR_RETURN(std::string server_nonce, RandomBytes(kHandshakeNonceSize));
  Status st = WriteAllBefore(socket, server_nonce.data(), server_nonce.size(), deadline);
  if (!st.ok()) return Failed(peer, st);

  char reply[kHandshakeNonceSize + kHmacSha256Size];
  st = ReadExactBefore(socket, reply, sizeof reply, deadline);
  if (!st.ok()) return Failed(peer, st);
  std::string_view client_nonce(reply, kHandshakeNonceSize);
  std::string_view client_proof(reply + kHandshakeNonceSize, kHmacSha256Size);
  if (!ConstantTimeEquals(client_proof, ClientProof(secret, server_nonce, client_nonce)))
    return Failed(peer, "the client does not know the secret");

  std::string proof = ServerProof(secret, client_nonce, server_nonce);
  st = WriteAllBefore(socket, proof.data(), proof.size(), deadline);
  if (!st.ok()) return Failed(peer, st);
  return Status::OK();
}

Status ClientHandshake(asio::ip::tcp::socket& socket, std::string_view secret, Deadline deadline,
                       const std::string& peer) {
  char server_nonce[kHandshakeNonceSize];
  Status st = ReadExactBefore(socket, server_nonce, sizeof server_nonce, deadline);
  if (!st.ok()) return Failed(peer, st);
  std::string_view server_nonce_view(server_nonce, sizeof server_nonce);

  EMBER_ASSIGN_OR_RETURN(std::string client_nonce, RandomBytes(kHandshakeNonceSize));
  std::string reply = client_nonce + ClientProof(secret, server_nonce_view, client_nonce);
  st = WriteAllBefore(socket, reply.data(), reply.size(), deadline);
  if (!st.ok()) return Failed(peer, st);

  char server_proof[kHmacSha256Size];
  st = ReadExactBefore(socket, server_proof, sizeof server_proof, deadline);
  // A server that rejects our proof closes without a word: say so.
  if (!st.ok())
    return Failed(peer, "no answer to our proof (" + st.message() +
                            "); a server closes when the secrets differ");
  if (!ConstantTimeEquals(std::string_view(server_proof, sizeof server_proof),
                          ServerProof(secret, client_nonce, server_nonce_view)))
    return Failed(peer, "the server does not know the secret");
  return Status::OK();
}

}  // namespace ember::net
