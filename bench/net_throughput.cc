// Loopback throughput of the net layer (not a test: `make bench-net`).
//
// One client and one Server in this process, over authenticated
// Connections on 127.0.0.1, moving 1 MiB messages (by default) three ways:
//   raw    SendBytes -> ReceiveBytes, streamed (a block transfer's path)
//   proto  a TaskResult carrying the MiB in a Frame: serialize + parse too
//   fetch  request/response, one block in flight at a time (a naive block
//          fetch: a round trip per block)
// Prints GB/s (10^9 bytes per second) of payload for each, with TLS off
// and on (certificates made for the run with the openssl program), and
// the ratio.
//
//   net_throughput [--message-kib N] [--total-mib N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>

#include "ember.pb.h"
#include "ember/common/file_util.h"
#include "ember/net/client.h"
#include "ember/net/server.h"
#include "ember/net/tls_context.h"
#include "tls_test_certs.h"

namespace {

using ember::net::Connection;
using Clock = std::chrono::steady_clock;

const std::string kSecret = "bench secret";

bool Got(const ember::Result<bool>& r) { return r.ok() && *r; }

// The first message names the mode; the server then sinks, parses or
// serves blocks until the client says it is done, and acknowledges.
void Serve(Connection& c, size_t message_size) {
  std::string mode, payload;
  if (!Got(c.ReceiveBytes(&mode))) return;
  if (mode == "proto") {
    ember::proto::TaskResult result;
    while (Got(c.Receive(&result)) && result.task_id() >= 0) {
    }
  } else if (mode == "fetch") {
    std::string block(message_size, 'b');
    while (Got(c.ReceiveBytes(&payload)) && payload != "end") (void)c.SendBytes(block);
  } else {
    while (Got(c.ReceiveBytes(&payload)) && payload != "end") {
    }
  }
  (void)c.SendBytes("ack");
}

// Seconds for `run` (which returns false on failure) plus the server's
// acknowledgement; negative on failure.
double Timed(uint16_t port, const ember::net::Credentials& credentials, const char* mode,
             const std::function<bool(Connection&)>& run) {
  auto c = ember::net::Connect("127.0.0.1", port, credentials, std::chrono::seconds(10));
  if (!c.ok()) {
    std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
    return -1;
  }
  std::string ack;
  if (!(*c)->SendBytes(mode).ok()) return -1;
  auto start = Clock::now();
  if (!run(**c) || !Got((*c)->ReceiveBytes(&ack))) return -1;
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Credentials with TLS, from certificates made in `dir`.
ember::Result<ember::net::Credentials> TlsCredentials(const std::string& dir) {
  EMBER_ASSIGN_OR_RETURN(auto certs, ember::testing::MakeTestCertificates(dir));
  ember::net::TlsOptions options;
  options.cert_chain.path = certs.cert;
  options.private_key.path = certs.key;
  options.trust_store.path = certs.ca;
  EMBER_ASSIGN_OR_RETURN(auto tls, ember::net::TlsContext::Load(options));
  return ember::net::Credentials{kSecret, tls};
}

}  // namespace

int main(int argc, char** argv) {
  size_t message_kib = 1024, total_mib = 4096;
  for (int i = 1; i + 1 < argc; i += 2) {
    size_t value = std::strtoul(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--message-kib") == 0) message_kib = value;
    if (std::strcmp(argv[i], "--total-mib") == 0) total_mib = value;
  }
  if (message_kib == 0 || total_mib == 0)
    return std::fprintf(stderr, "usage: net_throughput [--message-kib N] [--total-mib N]\n"), 2;
  const size_t size = message_kib << 10;
  const int n = static_cast<int>((total_mib << 20) / size);
  const std::string block(size, 'x');

  auto dir = ember::MakeTempDir("/tmp", "ember-net-bench-");
  if (!dir.ok()) return std::fprintf(stderr, "%s\n", dir.status().ToString().c_str()), 1;
  auto tls = TlsCredentials(*dir);
  ember::RemoveTree(*dir);  // loaded: the files are not read again
  if (!tls.ok()) return std::fprintf(stderr, "%s\n", tls.status().ToString().c_str()), 1;

  auto raw = [&](Connection& c) {
    for (int i = 0; i < n; ++i)
      if (!c.SendBytes(block).ok()) return false;
    return c.SendBytes("end").ok();
  };
  auto proto = [&](Connection& c) {
    ember::proto::TaskResult result;
    result.add_frames()->set_data(block);
    for (int i = 0; i < n; ++i) {
      result.set_task_id(i);
      if (!c.Send(result).ok()) return false;
    }
    result.Clear();
    result.set_task_id(-1);
    return c.Send(result).ok();
  };
  auto fetch = [&](Connection& c) {
    std::string received;
    for (int i = 0; i < n; ++i)
      if (!c.SendBytes("get").ok() || !Got(c.ReceiveBytes(&received))) return false;
    return c.SendBytes("end").ok();
  };

  std::printf("%d messages of %zu KiB over loopback          TLS off      TLS on   on/off\n", n, message_kib);
  ember::net::Credentials plain{kSecret};
  for (auto [mode, run] : {std::pair<const char*, std::function<bool(Connection&)>>{"raw", raw},
                           {"proto", proto},
                           {"fetch", fetch}}) {
    double gb_per_s[2];
    for (int t = 0; t < 2; ++t) {
      const ember::net::Credentials& credentials = t == 0 ? plain : *tls;
      ember::net::Server server;
      auto st = server.Start("127.0.0.1", 0, credentials,
                             [size](std::shared_ptr<Connection> c) { Serve(*c, size); });
      if (!st.ok()) return std::fprintf(stderr, "%s\n", st.ToString().c_str()), 1;
      double seconds = Timed(server.port(), credentials, mode, run);
      if (seconds < 0) return 1;
      gb_per_s[t] = static_cast<double>(n) * size / seconds / 1e9;
    }
    std::printf("  %-6s                                   %6.2f GB/s %6.2f GB/s   %.2f\n", mode, gb_per_s[0],
                gb_per_s[1], gb_per_s[1] / gb_per_s[0]);
  }
  return 0;
}
