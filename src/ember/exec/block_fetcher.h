// BlockFetcher: how an executor's tasks fetch blocks from other executors'
// block services (block_service.h): map-output blocks, and cached
// partitions.
//
// Contract: Fetch() sends one BlockRequest for map-output blocks to
// `address` ("host:port") and returns every requested block, in request
// order, each verified against the checksum its server read from the map
// output's index. A network error (refused, reset, timed out) is retried
// `max_retries` times with a growing wait (spark.shuffle.io.maxRetries /
// retryWait); a server that answers that a map output is missing or
// damaged is not retried. Either way the error is FetchFailed naming the
// address, and *failed_map names the map output to recompute.
// FetchCached() asks once for a cached partition: its frames, verified;
// nullopt when that executor does not have it (or cannot be reached — the
// caller recomputes the partition then). A request whose reply has not
// fully arrived within io_timeout (spark.shuffle.io.connectionTimeout,
// default spark.network.timeout) fails as a network error: a peer whose
// link went down cannot hold a task. Connections are authenticated
// with `credentials` (net/credentials.h) and pooled per address. Thread-safe: tasks fetch
// concurrently.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ember/common/frame.h"
#include "ember/common/status.h"
#include "ember/net/connection.h"
#include "ember/net/watchdog.h"
#include "ember.pb.h"

namespace ember::exec {

struct FetchOptions {
  net::Credentials credentials;
  int max_retries = 3;
  double retry_wait_s = 5;
  std::chrono::milliseconds connect_timeout{30000};
  std::chrono::milliseconds io_timeout{120000};  // one request and its whole reply
};

class BlockFetcher {
 public:
  explicit BlockFetcher(FetchOptions options) : options_(std::move(options)) {}

  Result<std::vector<std::string>> Fetch(const std::string& address, const proto::BlockRequest& request,
                                         int* failed_map);
  std::optional<std::vector<Frame>> FetchCached(const std::string& address, const proto::BlockRef& block);

 private:
  struct Reply {
    proto::BlockReply header;
    std::vector<std::string> payloads;  // verified against header.checksums
  };
  // One request and its reply, on a pooled connection.
  Result<Reply> Exchange(const std::string& address, const proto::BlockRequest& request);
  Result<Reply> ExchangeOn(net::Connection& conn, const std::string& address, const proto::BlockRequest& request);
  Result<std::shared_ptr<net::Connection>> Acquire(const std::string& address);
  void Release(const std::string& address, std::shared_ptr<net::Connection> conn);

  FetchOptions options_;
  net::Watchdog watchdog_;
  std::mutex mu_;
  std::map<std::string, std::vector<std::shared_ptr<net::Connection>>> idle_;
};

}  // namespace ember::exec
