// IsLoopbackHost: what may be bound without spark.authenticate.
#include <gtest/gtest.h>

#include "ember/net/bind_policy.h"

namespace ember::net {
namespace {

TEST(NetBindPolicy, LoopbackHosts) {
  for (const char* host : {"localhost", "LocalHost", "127.0.0.1", "127.0.1.1", "127.255.255.254",
                           "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
}

TEST(NetBindPolicy, EverythingElse) {
  for (const char* host : {"", "0.0.0.0", "::", "[::]", "10.0.0.1", "128.0.0.1", "126.255.255.255",
                           "192.168.1.127", "::2", "::ffff:10.0.0.1", "fe80::1", "example.com",
                           "localhost.example.com", "127.0.0.1.example.com", "127.1", " 127.0.0.1",
                           "[127.0.0.1]", "[::1"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

}  // namespace
}  // namespace ember::net
