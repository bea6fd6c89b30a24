// The mutual handshake through Server and Connect: who gets in, who is
// refused, what is logged, and that a silent client holds up nobody.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "ember/common/crypto.h"
#include "ember/net/auth.h"
#include "ember/net/client.h"
#include "ember/net/frame_header.h"
#include "ember/net/server.h"
#include "ember.pb.h"
#include "net_test_util.h"

namespace ember::net {
namespace {

using namespace testing;

// Counts the clients that reach on_connection and echoes their messages.
struct EchoServer {
  explicit EchoServer(ServerOptions options = {}) : server(options) {
    Status st = server.Start("127.0.0.1", 0, {kSecret}, [this](std::shared_ptr<Connection> c) {
      admitted.Add();
      std::string payload;
      while (true) {
        auto got = c->ReceiveBytes(&payload);
        if (!got.ok() || !*got || !c->SendBytes(payload).ok()) break;
      }
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  Server server;
  Counter admitted;
};

// Sends one message and checks it comes back.
void ExpectEcho(Connection& connection, int64_t task_id) {
  proto::TaskResult sent;
  sent.set_task_id(task_id);
  sent.set_error("ping");
  ASSERT_TRUE(connection.Send(sent).ok());
  proto::TaskResult received;
  auto got = connection.Receive(&received);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(*got);
  EXPECT_EQ(received.task_id(), task_id);
  EXPECT_EQ(received.error(), "ping");
}

TEST(NetAuth, ClientWithTheSecretGetsInAndMessagesFlow) {
  EchoServer echo;
  auto connection = Connect("127.0.0.1", echo.server.port(), {kSecret}, kGenerous);
  ASSERT_TRUE(connection.ok()) << connection.status().ToString();
  ExpectEcho(**connection, 42);
  EXPECT_EQ(echo.admitted.value(), 1);
  EXPECT_EQ((*connection)->peer(), "127.0.0.1:" + std::to_string(echo.server.port()));
}

TEST(NetAuth, LocalhostResolves) {
  EchoServer echo;
  auto connection = Connect("localhost", echo.server.port(), {kSecret}, kGenerous);
  ASSERT_TRUE(connection.ok()) << connection.status().ToString();
  ExpectEcho(**connection, 1);
}

TEST(NetAuth, ServerRefusesAWrongSecretAndLogsThePeerNotTheSecret) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "net-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));

  EchoServer echo;
  auto connection = Connect("127.0.0.1", echo.server.port(), {kOtherSecret}, kGenerous);
  ASSERT_FALSE(connection.ok());
  std::string error = connection.status().message();
  EXPECT_NE(error.find("authentication failed"), std::string::npos) << error;
  EXPECT_NE(error.find("127.0.0.1:" + std::to_string(echo.server.port())), std::string::npos);
  echo.server.Stop();  // joins the session that logs
  spdlog::set_default_logger(previous);

  EXPECT_EQ(echo.admitted.value(), 0);
  EXPECT_NE(log.str().find("the client does not know the secret"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("127.0.0.1:"), std::string::npos) << log.str();
  for (const std::string& s : {kSecret, kOtherSecret}) {
    EXPECT_EQ(log.str().find(s), std::string::npos);
    EXPECT_EQ(error.find(s), std::string::npos);
  }
}

// A server that does not know the secret answers the client's proof with
// `answer(client_nonce, server_nonce, client_proof)`.
Status ConnectToImpostor(
    std::function<std::string(std::string_view, std::string_view, std::string_view)> answer) {
  FakeServer impostor([&](asio::ip::tcp::socket& socket) {
    char hello[kClientHello.size()];
    if (!ReadExactBefore(socket, hello, sizeof hello, In(kGenerous)).ok()) return;
    std::string server_nonce = *RandomBytes(kHandshakeNonceSize);
    if (!WriteAllBefore(socket, server_nonce.data(), server_nonce.size(), In(kGenerous)).ok())
      return;
    char reply[kHandshakeNonceSize + kHmacSha256Size];
    if (!ReadExactBefore(socket, reply, sizeof reply, In(kGenerous)).ok()) return;
    std::string proof = answer(std::string_view(reply, kHandshakeNonceSize), server_nonce,
                               std::string_view(reply + kHandshakeNonceSize, kHmacSha256Size));
    if (!WriteAllBefore(socket, proof.data(), proof.size(), In(kGenerous)).ok()) return;
    ReadUntilClosed(socket, kGenerous);
  });
  auto connection = Connect("127.0.0.1", impostor.port(), {kSecret}, kGenerous);
  return connection.ok() ? Status::OK() : connection.status();
}

TEST(NetAuth, ClientRefusesAServerWithoutTheSecret) {
  Status st = ConnectToImpostor([](auto client_nonce, auto server_nonce, auto) {
    return ServerProof(kOtherSecret, client_nonce, server_nonce);
  });
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("the server does not know the secret"), std::string::npos)
      << st.message();
}

TEST(NetAuth, ClientRefusesItsOwnProofReflectedBack) {
  Status st = ConnectToImpostor([](auto, auto, auto client_proof) {
    return std::string(client_proof);
  });
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("the server does not know the secret"), std::string::npos);
}

TEST(NetAuth, AWellFormedFrameWithoutHandshakeNeverReachesTheHandler) {
  EchoServer echo;  // the default 10 s handshake deadline: refusal must not wait for it
  asio::io_context io;
  auto raw = RawConnect(io, echo.server.port());
  proto::TaskResult message;
  message.set_task_id(1);
  message.set_error(std::string(200, 'x'));  // more than the 64 bytes the server reads
  std::string frame(kFrameHeaderSize, '\0');
  EncodeFrameHeader(message.ByteSizeLong(), frame.data());
  frame += message.SerializeAsString();
  ASSERT_TRUE(WriteAllBefore(raw, frame.data(), frame.size(), In(kGenerous)).ok());

  Status st = ReadUntilClosed(raw, 5s);
  EXPECT_EQ(st.message(), "the connection was closed");
  echo.server.Stop();
  EXPECT_EQ(echo.admitted.value(), 0);
}

TEST(NetAuth, GarbageWithoutHandshakeNeverReachesTheHandler) {
  EchoServer echo;
  asio::io_context io;
  auto raw = RawConnect(io, echo.server.port());
  std::string garbage = *RandomBytes(4096);
  ASSERT_TRUE(WriteAllBefore(raw, garbage.data(), garbage.size(), In(kGenerous)).ok());
  EXPECT_EQ(ReadUntilClosed(raw, 5s).message(), "the connection was closed");
  echo.server.Stop();
  EXPECT_EQ(echo.admitted.value(), 0);
}

TEST(NetAuth, SilentClientIsDisconnectedAtTheHandshakeDeadline) {
  ServerOptions options;
  options.handshake_timeout = 200ms;
  EchoServer echo(options);
  auto start = std::chrono::steady_clock::now();
  asio::io_context io;
  auto raw = RawConnect(io, echo.server.port());
  EXPECT_EQ(ReadUntilClosed(raw, kGenerous).message(), "the connection was closed");
  // The server's deadline starts when it accepts, which is after `start`;
  // poll() rounds to milliseconds.
  EXPECT_GE(std::chrono::steady_clock::now() - start, 195ms);
  echo.server.Stop();
  EXPECT_EQ(echo.admitted.value(), 0);
}

TEST(NetAuth, SilentClientDoesNotHoldUpOthers) {
  ServerOptions options;
  options.handshake_timeout = 60s;  // the silent client stays for the whole test
  EchoServer echo(options);
  asio::io_context io;
  auto silent = RawConnect(io, echo.server.port());
  ASSERT_TRUE(WriteAllBefore(silent, kClientHello.data(), kClientHello.size(), In(kGenerous)).ok());
  char nonce[kHandshakeNonceSize];  // proves the server is in its handshake
  ASSERT_TRUE(ReadExactBefore(silent, nonce, sizeof nonce, In(kGenerous)).ok());

  auto connection = Connect("127.0.0.1", echo.server.port(), {kSecret}, kGenerous);
  ASSERT_TRUE(connection.ok()) << connection.status().ToString();
  ExpectEcho(**connection, 7);

  auto stop_started = std::chrono::steady_clock::now();
  echo.server.Stop();  // must cut the silent handshake short, not wait 60 s
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, kGenerous);
  EXPECT_EQ(ReadUntilClosed(silent, kGenerous).message(), "the connection was closed");
  EXPECT_EQ(echo.admitted.value(), 1);
}

TEST(NetAuth, ConnectNamesTheTargetWhenRefused) {
  uint16_t port;
  {
    asio::io_context io;
    asio::ip::tcp::acceptor probe(io, Loopback(0));
    port = probe.local_endpoint().port();
  }  // closed: nobody listens there now
  auto connection = Connect("127.0.0.1", port, {kSecret}, kGenerous);
  ASSERT_FALSE(connection.ok());
  std::string error = connection.status().message();
  EXPECT_NE(error.find("cannot connect to 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << error;
  EXPECT_NE(error.find("refused"), std::string::npos) << error;
}

TEST(NetAuth, ConnectTimesOutOnASilentServer) {
  FakeServer silent([](asio::ip::tcp::socket& socket) { ReadUntilClosed(socket, kGenerous); });
  auto connection = Connect("127.0.0.1", silent.port(), {kSecret}, 300ms);
  ASSERT_FALSE(connection.ok());
  std::string error = connection.status().message();
  EXPECT_NE(error.find("127.0.0.1:" + std::to_string(silent.port())), std::string::npos) << error;
  EXPECT_NE(error.find("timed out"), std::string::npos) << error;
}

TEST(NetAuth, EmptySecretsAreRefused) {
  Server server;
  EXPECT_EQ(server.Start("127.0.0.1", 0, {""}, [](auto) {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Connect("127.0.0.1", 1, {""}, kGenerous).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ember::net
