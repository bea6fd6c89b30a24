// Block fetch throughput between two processes, on loopback or across
// hosts (not a test: run by `make bench`).
//
// This process writes real map outputs with shuffle::ShuffleWriter (every
// block of one bucket is `block` bytes, in batches of at most 64 KiB as a
// Python worker emits them), then starts itself again as the server
// (`--serve DIR HOST NETNS`: an exec::BlockService over DIR, its secret and TLS
// settings on its stdin as an executor gets them (deploy/executor_bootstrap.h),
// its port on its stdout) and fetches with an exec::BlockFetcher as one
// reducer task does: for each bucket in turn, the blocks of every map
// output, as many outputs per request as fit in spark.reducer.maxSizeInFlight
// (48 MiB, one remote executor). Blocks are checksummed on both sides, as
// in a job. Prints GB/s (10^9 bytes of block payload per second) for 1 MiB
// and 64 KiB blocks: median, min and max of --runs runs, with TLS off and
// on (certificates made for the run with the openssl program), and the
// ratio of the medians.
//
// The server listens on 127.0.0.1 unless --serve-host names another of its
// addresses; with --server-netns it first enters that named network
// namespace (/run/netns/NS; root only), which is how
// bench/fetch_across_hosts.py makes the blocks cross a link.
//
//   block_fetch_throughput [--total-mib 512] [--runs 5] [--serve-host ADDR] [--server-netns NS]
#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "ember/common/crypto.h"
#include "ember/common/file_util.h"
#include "ember/common/frame.h"
#include "ember/common/process.h"
#include "ember/deploy/executor_bootstrap.h"
#include "ember/deploy/tls_settings.h"
#include "ember/exec/block_fetcher.h"
#include "ember/exec/block_service.h"
#include "ember/shuffle/shuffle_writer.h"
#include "tls_test_certs.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kBatch = 64 << 10;        // a worker's largest batch
constexpr size_t kInFlight = 48 << 20;     // spark.reducer.maxSizeInFlight
constexpr int kReducers = 4;               // buckets per map output

int Fail(const ember::Status& st) {
  std::fprintf(stderr, "block_fetch_throughput: %s\n", st.ToString().c_str());
  return 1;
}

// Where the server process runs: its address, and the named network
// namespace it enters first (none: this process's).
struct Placement {
  std::string host = "127.0.0.1";
  std::string netns;
};

ember::Status EnterNetworkNamespace(const std::string& name) {
  const std::string path = "/run/netns/" + name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ember::IOError("cannot open " + path + ": " + std::strerror(errno));
  int rc = ::setns(fd, CLONE_NEWNET);
  int error = errno;
  ::close(fd);
  if (rc != 0) return ember::IOError("setns(" + path + "): " + std::strerror(error));
  return ember::Status::OK();
}

// The server process: serves DIR at `where` until its stdin closes.
int Serve(const std::string& dir, const Placement& where) {
  if (!where.netns.empty()) {
    ember::Status st = EnterNetworkNamespace(where.netns);
    if (!st.ok()) return Fail(st);
  }
  auto credentials = ember::deploy::ReadBootstrap(std::cin);
  if (!credentials.ok()) return Fail(credentials.status());
  auto service = ember::exec::BlockService::Start(where.host, *credentials, dir);
  if (!service.ok()) return Fail(service.status());
  std::printf("%d\n", (*service)->port());
  std::fflush(stdout);
  char buf[64];
  while (::read(0, buf, sizeof buf) > 0) {
  }
  return 0;
}

// Map outputs 0..maps-1 of shuffle `shuffle_id`, each bucket one block of
// about `block` bytes (records of at most kBatch bytes plus their length).
ember::Status WriteMapOutputs(const std::string& dir, int shuffle_id, int maps, size_t block) {
  std::string batch(std::min(block, kBatch) - 4, '\0');
  for (size_t i = 0; i < batch.size(); ++i) batch[i] = static_cast<char>(i * 131 + 7);
  for (int m = 0; m < maps; ++m) {
    ember::shuffle::ShuffleWriter writer(ember::shuffle::MapOutputPaths(dir, shuffle_id, m, m), kReducers,
                                         256 << 20);
    for (int r = 0; r < kReducers; ++r)
      for (size_t written = 0; written < block; written += batch.size() + 4)
        EMBER_RETURN_IF_ERROR(writer.Add(r, batch));
    EMBER_RETURN_IF_ERROR(writer.Finish().status());
  }
  return ember::Status::OK();
}

// Seconds for every reducer to fetch its bucket of every map output;
// *bytes gets the payload fetched.
ember::Result<double> FetchAll(ember::exec::BlockFetcher& fetcher, const std::string& address,
                               int shuffle_id, int maps, size_t block, size_t* bytes) {
  *bytes = 0;
  auto start = Clock::now();
  for (int r = 0; r < kReducers; ++r) {
    for (int first = 0; first < maps;) {
      ember::proto::BlockRequest request;
      for (size_t batch = 0; first < maps && (batch == 0 || batch + block <= kInFlight); batch += block) {
        auto* b = request.add_shuffle();
        b->set_shuffle_id(shuffle_id);
        b->set_map_id(first);
        b->set_map_task_id(first);
        b->set_start_bucket(r);
        b->set_end_bucket(r + 1);
        ++first;
      }
      int failed_map = -1;
      EMBER_ASSIGN_OR_RETURN(auto blocks, fetcher.Fetch(address, request, &failed_map));
      for (const auto& b : blocks) *bytes += b.size();
    }
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Server {
  ember::ChildProcess child;
  std::string address;
};

ember::Result<Server> StartServer(const char* self, const std::string& dir, const Placement& where,
                                  const std::string& secret, const ember::deploy::Conf& tls_settings) {
  EMBER_ASSIGN_OR_RETURN(auto child, ember::SpawnChild({self, "--serve", dir, where.host, where.netns},
                                                       ember::ChildEnvironment(), true));
  EMBER_RETURN_IF_ERROR(ember::deploy::WriteBootstrap(child.stdin_fd, secret, tls_settings));
  std::string line;
  char c;
  while (::read(child.stdout_fd, &c, 1) == 1 && c != '\n') line += c;
  if (line.empty()) return ember::IOError("the server process did not report its port");
  return Server{child, where.host + ":" + line};
}

std::string Hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) out += {digits[b >> 4], digits[b & 15]};
  return out;
}

// Median GB/s of each block size, fetched from a server process started
// with `tls_settings`; empty on failure (reported).
std::vector<double> Measure(const char* self, const std::string& dir, const Placement& where,
                            const std::string& secret, const ember::deploy::Conf& tls_settings, size_t total_mib,
                            int runs, const size_t* blocks) {
  auto server = StartServer(self, dir, where, secret, tls_settings);
  if (!server.ok()) return Fail(server.status()), std::vector<double>();
  ember::exec::FetchOptions options;
  options.credentials.secret = secret;
  // The client loads its context the way an executor does.
  auto tls = ember::deploy::TlsFromConf(tls_settings);
  if (!tls.ok()) return Fail(tls.status()), std::vector<double>();
  options.credentials.tls = *tls;
  ember::exec::BlockFetcher fetcher(options);
  std::printf("TLS %s:\n", options.credentials.tls ? "on" : "off");
  std::vector<double> medians;
  for (int s = 0; s < 2; ++s) {
    int maps = static_cast<int>((total_mib << 20) / kReducers / blocks[s]);
    std::vector<double> gbps;
    size_t bytes = 0;
    for (int i = 0; i < runs; ++i) {
      auto seconds = FetchAll(fetcher, server->address, s, maps, blocks[s], &bytes);
      if (!seconds.ok()) {
        Fail(seconds.status());
        break;
      }
      gbps.push_back(static_cast<double>(bytes) / *seconds / 1e9);
    }
    if (gbps.size() != static_cast<size_t>(runs)) {
      medians.clear();
      break;
    }
    std::sort(gbps.begin(), gbps.end());
    std::printf("  blocks of %4zu KiB (%d maps, %zu per request): %6.2f GB/s median, %.2f-%.2f over %d runs\n",
                blocks[s] >> 10, maps, std::min<size_t>(maps, std::max<size_t>(1, kInFlight / blocks[s])),
                gbps[gbps.size() / 2], gbps.front(), gbps.back(), runs);
    medians.push_back(gbps[gbps.size() / 2]);
  }
  ::close(server->child.stdin_fd);  // the server exits when its stdin closes
  ::close(server->child.stdout_fd);
  ::waitpid(server->child.pid, nullptr, 0);
  return medians;
}

int Run(size_t total_mib, int runs, const Placement& where) {
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return Fail(ember::IOError("cannot find this program's path"));
  self[n] = '\0';
  auto random = ember::RandomBytes(16);
  if (!random.ok()) return Fail(random.status());
  const std::string secret = Hex(*random);
  auto dir = ember::MakeTempDir("/tmp", "ember-fetch-bench-");
  if (!dir.ok()) return Fail(dir.status());
  const size_t blocks[] = {1 << 20, 64 << 10};
  ember::Status st = ember::MakeDirs(*dir + "/certs");
  for (int s = 0; s < 2 && st.ok(); ++s)
    st = WriteMapOutputs(*dir, s, static_cast<int>((total_mib << 20) / kReducers / blocks[s]), blocks[s]);
  auto certs = st.ok() ? ember::testing::MakeTestCertificates(*dir + "/certs")
                       : ember::Result<ember::testing::TestCertificates>(st);
  if (!certs.ok()) {
    ember::RemoveTree(*dir);
    return Fail(certs.status());
  }
  std::printf("%zu MiB of map outputs with %d buckets, fetched from another process at %s%s\n", total_mib,
              kReducers, where.host.c_str(),
              where.netns.empty() ? "" : (" (network namespace " + where.netns + ")").c_str());
  ember::deploy::Conf tls = {{"spark.ssl.enabled", "true"},
                             {"spark.ssl.certChain", certs->cert},
                             {"spark.ssl.privateKey", certs->key},
                             {"spark.ssl.trustStore", certs->ca}};
  std::vector<double> plain = Measure(self, *dir, where, secret, {}, total_mib, runs, blocks);
  std::vector<double> with_tls =
      plain.empty() ? plain : Measure(self, *dir, where, secret, tls, total_mib, runs, blocks);
  ember::RemoveTree(*dir);
  if (with_tls.empty()) return 1;
  for (int s = 0; s < 2; ++s)
    std::printf("  TLS on / off, blocks of %4zu KiB: %.2f\n", blocks[s] >> 10, with_tls[s] / plain[s]);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::strcmp(argv[1], "--serve") == 0) return Serve(argv[2], Placement{argv[3], argv[4]});
  size_t total_mib = 512;
  int runs = 5;
  Placement where;
  for (int i = 1; i + 1 < argc; i += 2) {
    long value = std::strtol(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--total-mib") == 0) total_mib = static_cast<size_t>(value);
    if (std::strcmp(argv[i], "--runs") == 0) runs = static_cast<int>(value);
    if (std::strcmp(argv[i], "--serve-host") == 0) where.host = argv[i + 1];
    if (std::strcmp(argv[i], "--server-netns") == 0) where.netns = argv[i + 1];
  }
  if (total_mib < 4 || runs < 1)
    return std::fprintf(stderr, "usage: block_fetch_throughput [--total-mib N>=4] [--runs N] [--serve-host ADDR]"
                                " [--server-netns NS]\n"), 2;
  return Run(total_mib, runs, where);
}
