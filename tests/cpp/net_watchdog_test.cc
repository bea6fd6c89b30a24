#include "ember/net/watchdog.h"

#include <gtest/gtest.h>

#include "ember/net/client.h"
#include "ember/net/server.h"
#include "net_test_util.h"
#include "ember.pb.h"

namespace ember::net {
namespace {

using namespace testing;

// A server that authenticates clients and then never says a word.
class SilentServer {
 public:
  SilentServer() {
    EXPECT_TRUE(server_.Start("127.0.0.1", 0, {kSecret}, [this](std::shared_ptr<Connection> c) {
      proto::RpcMessage m;
      while (Got(c->Receive(&m))) {
      }
    }).ok());
  }
  uint16_t port() const { return server_.port(); }

 private:
  Server server_;
};

TEST(Watchdog, ClosesAConnectionWhoseReplyIsLate) {
  SilentServer server;
  Watchdog dog;
  auto conn = Connect("127.0.0.1", server.port(), {kSecret}, kGenerous);
  ASSERT_TRUE(conn.ok());
  auto start = std::chrono::steady_clock::now();  // before Watch() sets the deadline from its own clock
  auto guard = dog.Watch(*conn, 200ms);
  proto::RpcMessage reply;
  auto got = (*conn)->Receive(&reply);
  EXPECT_FALSE(Got(got));
  EXPECT_TRUE(guard.fired());
  EXPECT_TRUE((*conn)->is_closed());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
}

TEST(Watchdog, ADestroyedGuardNeverFires) {
  SilentServer server;
  Watchdog dog;
  auto conn = Connect("127.0.0.1", server.port(), {kSecret}, kGenerous);
  ASSERT_TRUE(conn.ok());
  { auto guard = dog.Watch(*conn, 50ms); }
  auto later = dog.Watch(*conn, 400ms);  // something to wait past the first deadline for
  proto::RpcMessage reply;
  EXPECT_FALSE(Got((*conn)->Receive(&reply)));
  EXPECT_TRUE(later.fired());
  // Only the second guard closed it: a fresh connection watched by a guard
  // that is gone stays open past its deadline.
  auto other = Connect("127.0.0.1", server.port(), {kSecret}, kGenerous);
  ASSERT_TRUE(other.ok());
  { auto guard = dog.Watch(*other, 10ms); }
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE((*other)->is_closed());
}

}  // namespace
}  // namespace ember::net
