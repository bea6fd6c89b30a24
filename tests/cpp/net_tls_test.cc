// TLS under the handshake: who gets in, what a mismatch looks like on
// both sides (fast and clear, never a hang), certificates that do not
// verify, a silent client, full-duplex traffic, and bad files at load.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <future>
#include <sstream>

#include "ember/common/file_util.h"
#include "ember/net/client.h"
#include "ember/net/server.h"
#include "ember/net/tls_context.h"
#include "net_test_util.h"
#include "tls_test_certs.h"

namespace ember::net {
namespace {

using namespace testing;
using ember::testing::MakeTestCertificates;
using ember::testing::TestCertificates;

class NetTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(*MakeTempDir("/tmp", "ember-tls-test-"));
    auto made = MakeTestCertificates(*dir_);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    certs_ = new TestCertificates(*made);
  }
  static void TearDownTestSuite() {
    RemoveTree(*dir_);
    delete dir_;
    delete certs_;
  }

  static TlsOptions Options(std::string ca = "") {
    TlsOptions o;
    o.cert_chain.path = certs_->cert;
    o.private_key.path = certs_->key;
    o.trust_store.path = ca.empty() ? certs_->ca : ca;
    return o;
  }
  static Credentials Tls(const TlsOptions& options) {
    auto context = TlsContext::Load(options);
    EXPECT_TRUE(context.ok()) << context.status().ToString();
    return {kSecret, context.ok() ? *context : nullptr};
  }
  static Credentials Tls() { return Tls(Options()); }

  static std::string* dir_;
  static TestCertificates* certs_;
};
std::string* NetTls::dir_;
TestCertificates* NetTls::certs_;

// Echoes every message and counts who got in; logs go to `log`.
struct EchoServer {
  EchoServer(const Credentials& credentials, ServerOptions options = {}) : server(options) {
    previous = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>(
        "tls-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
    Status st = server.Start("127.0.0.1", 0, credentials, [this](std::shared_ptr<Connection> c) {
      admitted.Add();
      std::string payload;
      while (Got(c->ReceiveBytes(&payload)) && c->SendBytes(payload).ok()) {
      }
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  ~EchoServer() { spdlog::set_default_logger(previous); }
  // Everything the server logged, once its sessions are over.
  std::string StopAndLog() {
    server.Stop();
    return log.str();
  }
  std::ostringstream log;
  std::shared_ptr<spdlog::logger> previous;
  Server server;
  Counter admitted;
};

void ExpectEcho(Connection& c, const std::string& payload) {
  ASSERT_TRUE(c.SendBytes(payload).ok());
  std::string back;
  ASSERT_TRUE(Got(c.ReceiveBytes(&back)));
  EXPECT_EQ(back, payload);
}

std::string Port(const Server& server) { return "127.0.0.1:" + std::to_string(server.port()); }

TEST_F(NetTls, ClientAndServerExchangeMessages) {
  Credentials tls = Tls();
  EchoServer echo(tls);
  auto c = Connect("127.0.0.1", echo.server.port(), tls, kGenerous);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ExpectEcho(**c, "hello");
  ExpectEcho(**c, std::string(3 << 20, 'x'));  // many TLS records
  ExpectEcho(**c, std::string(1, '\0'));
  EXPECT_EQ(echo.admitted.value(), 1);
}

TEST_F(NetTls, MutualTlsAdmitsAClientOfTheSameCa) {
  TlsOptions options = Options();
  options.need_client_auth = true;
  Credentials tls = Tls(options);
  EchoServer echo(tls);
  auto c = Connect("127.0.0.1", echo.server.port(), tls, kGenerous);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ExpectEcho(**c, "mutual");
}

// Both ends send large messages at once while reading: neither may wait
// for the other to stop writing (the TLS state is never held while a
// thread waits on the socket).
TEST_F(NetTls, BothSidesSendLargeMessagesAtOnce) {
  Credentials tls = Tls();
  constexpr int kMessages = 8;
  const std::string big(4 << 20, 'z');  // far more than the socket buffers hold
  auto sender = [&](Connection* c) {
    bool ok = true;
    for (int i = 0; i < kMessages && ok; ++i) ok = c->SendBytes(big).ok();
    return ok;
  };
  auto receiver = [&](Connection* c) {
    std::string payload;
    int n = 0;
    while (n < kMessages && Got(c->ReceiveBytes(&payload)) && payload == big) ++n;
    return n;
  };
  std::promise<int> server_received;
  Server server;
  ASSERT_TRUE(server
                  .Start("127.0.0.1", 0, tls,
                         [&](std::shared_ptr<Connection> c) {
                           auto sent = std::async(std::launch::async, sender, c.get());
                           server_received.set_value(receiver(c.get()));
                           sent.get();
                           std::string end;
                           c->ReceiveBytes(&end);  // until the client closes
                         })
                  .ok());
  auto c = Connect("127.0.0.1", server.port(), tls, kGenerous);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto sent = std::async(std::launch::async, sender, c->get());
  EXPECT_EQ(receiver(c->get()), kMessages);
  EXPECT_TRUE(sent.get());
  auto received = server_received.get_future();
  ASSERT_EQ(received.wait_for(kGenerous), std::future_status::ready);
  EXPECT_EQ(received.get(), kMessages);
  (*c)->Close();
}

TEST_F(NetTls, PlaintextClientIsRefusedAtOnceAndTheServerServesOthers) {
  ServerOptions slow;
  slow.handshake_timeout = 60s;  // a refusal must not wait for it
  Credentials tls = Tls();
  EchoServer echo(tls, slow);
  auto start = std::chrono::steady_clock::now();
  auto plain = Connect("127.0.0.1", echo.server.port(), {kSecret}, 30s);
  ASSERT_FALSE(plain.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, kGenerous);
  std::string error = plain.status().message();
  EXPECT_NE(error.find("authentication failed with " + Port(echo.server)), std::string::npos) << error;
  EXPECT_NE(error.find("spark.ssl.enabled"), std::string::npos) << error;
  EXPECT_EQ(error.find("timed out"), std::string::npos) << error;

  auto good = Connect("127.0.0.1", echo.server.port(), tls, kGenerous);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  ExpectEcho(**good, "still serving");
  (*good)->Close();
  std::string log = echo.StopAndLog();
  EXPECT_NE(log.find("refused a connection: TLS handshake with 127.0.0.1:"), std::string::npos) << log;
  EXPECT_EQ(log.find(kSecret), std::string::npos);
  EXPECT_EQ(echo.admitted.value(), 1);
}

TEST_F(NetTls, TlsClientIsRefusedAtOnceByAPlaintextServer) {
  ServerOptions slow;
  slow.handshake_timeout = 60s;
  EchoServer echo({kSecret}, slow);
  auto start = std::chrono::steady_clock::now();
  auto tls = Connect("127.0.0.1", echo.server.port(), Tls(), 30s);
  ASSERT_FALSE(tls.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, kGenerous);
  std::string error = tls.status().message();
  EXPECT_NE(error.find("TLS handshake with " + Port(echo.server) + " failed"), std::string::npos) << error;
  EXPECT_NE(error.find("spark.ssl.enabled"), std::string::npos) << error;
  EXPECT_EQ(error.find("timed out"), std::string::npos) << error;

  auto plain = Connect("127.0.0.1", echo.server.port(), {kSecret}, kGenerous);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  ExpectEcho(**plain, "plain still works");
  (*plain)->Close();
  std::string log = echo.StopAndLog();
  EXPECT_NE(log.find("the client speaks TLS and this server does not"), std::string::npos) << log;
}

TEST_F(NetTls, ServerOfAnotherCaIsRefused) {
  EchoServer echo(Tls());
  auto c = Connect("127.0.0.1", echo.server.port(), Tls(Options(certs_->other_ca)), kGenerous);
  ASSERT_FALSE(c.ok());
  std::string error = c.status().message();
  EXPECT_NE(error.find("TLS handshake with " + Port(echo.server) + " failed"), std::string::npos) << error;
  EXPECT_NE(error.find("certificate verify failed"), std::string::npos) << error;
  echo.server.Stop();
  EXPECT_EQ(echo.admitted.value(), 0);
}

TEST_F(NetTls, MutualTlsRefusesAClientOfAnotherCa) {
  TlsOptions server_options = Options();
  server_options.need_client_auth = true;
  EchoServer echo(Tls(server_options));
  TlsOptions stranger = Options();  // trusts the server, but its own chain is another CA's
  stranger.cert_chain.path = certs_->other_cert;
  stranger.private_key.path = certs_->other_key;
  auto c = Connect("127.0.0.1", echo.server.port(), Tls(stranger), kGenerous);
  ASSERT_FALSE(c.ok());
  // In TLS 1.3 the client is done with its handshake before the server
  // checks its chain: it learns from the server's alert, in its first read.
  std::string error = c.status().message();
  EXPECT_NE(error.find("authentication failed with " + Port(echo.server)), std::string::npos) << error;
  EXPECT_NE(error.find("alert unknown ca"), std::string::npos) << error;
  echo.server.Stop();
  EXPECT_EQ(echo.admitted.value(), 0);
}

TEST_F(NetTls, SilentClientIsDisconnectedAtTheHandshakeDeadline) {
  ServerOptions options;
  options.handshake_timeout = 200ms;
  Credentials tls = Tls();
  EchoServer echo(tls, options);
  auto start = std::chrono::steady_clock::now();
  asio::io_context io;
  auto silent = RawConnect(io, echo.server.port());
  EXPECT_EQ(ReadUntilClosed(silent, kGenerous).message(), "the connection was closed");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 195ms);
  auto good = Connect("127.0.0.1", echo.server.port(), tls, kGenerous);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  (*good)->Close();
  std::string log = echo.StopAndLog();
  EXPECT_NE(log.find("TLS handshake with 127.0.0.1:"), std::string::npos) << log;
  EXPECT_NE(log.find("timed out"), std::string::npos) << log;
}

TEST_F(NetTls, LoadNamesTheSettingAndTheFile) {
  TlsOptions missing = Options();
  missing.cert_chain = {*dir_ + "/nowhere.pem", "spark.ssl.certChain"};
  Status st = TlsContext::Load(missing).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("spark.ssl.certChain " + *dir_ + "/nowhere.pem"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("No such file"), std::string::npos) << st.message();

  TlsOptions mismatched = Options();
  mismatched.private_key = {certs_->other_key, "spark.ssl.privateKey"};
  st = TlsContext::Load(mismatched).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("spark.ssl.privateKey " + certs_->other_key), std::string::npos)
      << st.message();

  TlsOptions not_pem = Options();
  not_pem.trust_store = {certs_->key, "spark.ssl.trustStore"};  // a key, not certificates
  st = TlsContext::Load(not_pem).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("spark.ssl.trustStore " + certs_->key), std::string::npos) << st.message();

  TlsOptions unset = Options();
  unset.private_key.path.clear();
  st = TlsContext::Load(unset).status();
  EXPECT_NE(st.message().find("private key is not set"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace ember::net
