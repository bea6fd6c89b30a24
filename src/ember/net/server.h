// Server: listens on a TCP port and hands each client that proves it
// knows the shared secret (inside TLS, when the credentials carry TLS) to
// a callback, on a thread of its own.
//
// Contract:
// - Start binds host:port (port 0 picks a free port; port() tells which),
//   with SO_REUSEADDR, and accepts on its own thread. Each accepted socket
//   gets its own session thread, which runs the server side of the
//   handshakes (Connection::Authenticate: TLS first if credentials.tls,
//   then auth.h) within options.handshake_timeout, so a silent or slow
//   client delays nobody else. Only a client that proved it knows
//   credentials.secret (and completed TLS, when on) reaches on_connection,
//   called on that session thread; any other — a client without TLS at a
//   TLS server, or the reverse, included — is logged (peer address and
//   reason, never the secret) and disconnected. An empty secret is refused.
// - on_connection may keep the session thread as long as it likes
//   (typically it loops on Receive) but must return once its connection
//   is closed, and must not call Stop(): Stop() waits for it.
// - Stop() closes the listener and every connection this server accepted
//   (mid-handshake, inside on_connection, or kept elsewhere by it), then
//   joins every thread it started. Calling it again does nothing; the
//   destructor calls it. A server is started at most once.
// - Threads of finished sessions are joined as other sessions end and new
//   ones start, so they do not pile up on a long-running server.
// - Start, Stop and port() are called from one owning thread; the
//   callback runs concurrently on session threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ember/common/status.h"
#include "ember/net/connection.h"

namespace ember::net {

struct ServerOptions {
  std::chrono::milliseconds handshake_timeout{10000};
  ConnectionOptions connection;
};

class Server {
 public:
  using ConnectionHandler = std::function<void(std::shared_ptr<Connection>)>;

  explicit Server(ServerOptions options = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Status Start(const std::string& host, uint16_t port, Credentials credentials,
               ConnectionHandler on_connection);
  uint16_t port() const;  // the bound port, once Start succeeded
  void Stop();

  // Session threads started and not joined yet (running or just finished).
  size_t session_threads() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ember::net
