// Server lifetime: Stop() with everything open, finished sessions joined
// along the way, one start per server.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "ember/net/auth.h"
#include "ember/net/client.h"
#include "ember/net/server.h"
#include "net_test_util.h"

namespace ember::net {
namespace {

using namespace testing;

void EchoUntilClosed(Connection& c) {
  std::string payload;
  while (true) {
    auto got = c.ReceiveBytes(&payload);
    if (!got.ok() || !*got || !c.SendBytes(payload).ok()) return;
  }
}

TEST(NetServer, StopClosesEverythingAndLeavesNoThreads) {
  // A sanitizer runtime starts a helper thread at the first thread
  // creation (TSan does): have it started before the baseline is taken.
  std::thread([] {}).join();
  int threads_before = ThreadCount();
  std::mutex mu;
  std::vector<std::shared_ptr<Connection>> kept;  // handed elsewhere by the handler
  Counter in_handler;
  std::atomic<int> next_handler{0};
  auto server = std::make_unique<Server>();
  ASSERT_TRUE(server
                  ->Start("127.0.0.1", 0, {kSecret},
                          [&](std::shared_ptr<Connection> c) {
                            bool first = next_handler++ == 0;
                            if (first) {
                              std::lock_guard<std::mutex> lock(mu);
                              kept.push_back(c);  // and return at once
                            }
                            in_handler.Add();
                            if (!first) EchoUntilClosed(*c);
                          })
                  .ok());
  std::vector<std::shared_ptr<Connection>> clients;
  for (int i = 0; i < 4; ++i) {
    auto c = Connect("127.0.0.1", server->port(), {kSecret}, kGenerous);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    clients.push_back(*c);
  }
  ASSERT_TRUE(in_handler.WaitFor(4));
  asio::io_context io;
  auto silent = RawConnect(io, server->port());  // stuck in its handshake
  ASSERT_TRUE(WriteAllBefore(silent, kClientHello.data(), kClientHello.size(), In(kGenerous)).ok());
  char nonce[kHandshakeNonceSize];
  ASSERT_TRUE(ReadExactBefore(silent, nonce, sizeof nonce, In(kGenerous)).ok());
  EXPECT_GT(ThreadCount(), threads_before);

  server->Stop();
  EXPECT_LE(ThreadCount(), threads_before);
  EXPECT_EQ(server->session_threads(), 0u);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_TRUE(kept[0]->is_closed());
  for (auto& c : clients) {
    std::string payload;
    auto end = c->ReceiveBytes(&payload);
    EXPECT_TRUE(!end.ok() || !*end);
  }
  EXPECT_EQ(ReadUntilClosed(silent, kGenerous).message(), "the connection was closed");
  server->Stop();   // again: nothing to do
  server.reset();   // and the destructor's Stop too
  EXPECT_LE(ThreadCount(), threads_before);
}

TEST(NetServer, FinishedSessionThreadsAreJoined) {
  Counter finished;
  Server server;
  ASSERT_TRUE(server
                  .Start("127.0.0.1", 0, {kSecret},
                         [&](std::shared_ptr<Connection> c) {
                           EchoUntilClosed(*c);
                           finished.Add();
                         })
                  .ok());
  for (int i = 0; i < 20; ++i) {
    auto c = Connect("127.0.0.1", server.port(), {kSecret}, kGenerous);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ASSERT_TRUE((*c)->SendBytes("x").ok());
    std::string echoed;
    ASSERT_TRUE(Got((*c)->ReceiveBytes(&echoed)));
  }  // each client closes, so each handler returns
  ASSERT_TRUE(finished.WaitFor(20));
  // Each ending session joins those that ended before it; only the last
  // one waits for a later session (or Stop).
  EXPECT_TRUE(Eventually([&] { return server.session_threads() <= 1; }))
      << server.session_threads() << " session threads not joined";
}

TEST(NetServer, ReportsTheEphemeralPortAndStartsOnce) {
  Server server;
  ASSERT_TRUE(server.Start("127.0.0.1", 0, {kSecret}, [](auto) {}).ok());
  EXPECT_NE(server.port(), 0);
  EXPECT_EQ(server.Start("127.0.0.1", 0, {kSecret}, [](auto) {}).code(), StatusCode::kInternal);
  server.Stop();
  Server never_started;
  never_started.Stop();
  EXPECT_EQ(never_started.Start("127.0.0.1", 0, {kSecret}, [](auto) {}).code(),
            StatusCode::kInternal);
}

TEST(NetServer, ABusyPortIsAClearError) {
  Server first, second;
  ASSERT_TRUE(first.Start("127.0.0.1", 0, {kSecret}, [](auto) {}).ok());
  Status st = second.Start("127.0.0.1", first.port(), {kSecret}, [](auto) {});
  EXPECT_EQ(st.code(), StatusCode::kIOError);
  EXPECT_NE(st.message().find("cannot listen on 127.0.0.1:" + std::to_string(first.port())),
            std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace ember::net
