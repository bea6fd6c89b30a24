// The real RPC server the network fuzz targets talk to: a net::Server on
// 127.0.0.1 (started once per process and stopped at exit, logging off) whose connections
// read RpcMessages until the stream ends, as executors and the driver do.
//
// Contract: SendToServer(bytes, authenticate) opens a TCP connection to
// it; with `authenticate` it first completes the real client handshake
// (auth.h) with the server's secret, so `bytes` reach the message decoder;
// without, `bytes` are the handshake itself. It then sends `bytes`, ends
// its side and returns once the server has closed the connection, i.e.
// has finished with every byte. Failures of the harness itself abort.
#pragma once

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <google/protobuf/stubs/logging.h>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "ember.pb.h"
#include "ember/common/crypto.h"
#include "ember/common/logging.h"
#include "ember/net/auth.h"
#include "ember/net/plain_stream.h"
#include "ember/net/server.h"

namespace ember::fuzz {

inline constexpr char kServerSecret[] = "fuzz-secret";

// Built on first use and stopped at exit, joining every session thread
// before the exit handlers of what sessions use run: spdlog's registry and
// OpenSSL's cleanup are both set up in the constructor, so they are torn
// down after this object's destructor.
class FuzzServerInstance {
 public:
  FuzzServerInstance() {
    InitCrypto();  // registers OpenSSL's exit-time cleanup now
    InitLogging("OFF");
    google::protobuf::SetLogHandler(nullptr);  // its complaints about bad UTF-8 are expected
    Status st = server_.Start("127.0.0.1", 0, net::Credentials{kServerSecret}, [](std::shared_ptr<net::Connection> conn) {
      ember::proto::RpcMessage message;
      for (;;) {
        auto more = conn->Receive(&message);
        if (!more.ok() || !*more) break;
      }
      conn->Close();
    });
    if (!st.ok()) std::abort();
  }
  ~FuzzServerInstance() { server_.Stop(); }
  uint16_t port() const { return server_.port(); }

 private:
  net::Server server_;
};

inline uint16_t FuzzServerPort() {
  static FuzzServerInstance instance;
  return instance.port();
}

inline void SendToServer(std::string_view bytes, bool authenticate) {
  static asio::io_context io;
  asio::ip::tcp::socket socket(io);
  asio::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), FuzzServerPort()}, ec);
  if (ec) std::abort();
  if (authenticate) {
    net::PlainStream stream(socket);
    if (!net::ClientHandshake(stream, kServerSecret, net::kNoDeadline, "fuzz server").ok()) std::abort();
  }
  // The server may close before reading everything (a bad header): a
  // failed write is expected then.
  asio::write(socket, asio::buffer(bytes.data(), bytes.size()), ec);
  socket.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  char sink[4096];
  for (;;) {
    socket.read_some(asio::buffer(sink), ec);
    if (ec) break;  // eof or reset: the server is done with this connection
  }
}

}  // namespace ember::fuzz
