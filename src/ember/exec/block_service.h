// BlockService: an executor's block transfer server — other executors'
// reducers fetch this executor's map outputs from it.
//
// Contract: Start() listens on `host` (an ephemeral port) and accepts only
// clients that prove they know the credentials' secret (net/auth.h),
// inside TLS when they carry TLS (net/credentials.h). Each connection
// carries any number of BlockRequests, answered in order: every block of
// every listed map output range, each range read with one index read and
// one data read and verified against its checksums, sent as raw frames
// after a BlockReply listing their checksums; if any range cannot be read
// (missing, damaged), the reply says which map output and why, and no
// block follows. Files are looked up under `shuffle_dir` by the shared
// naming (shuffle/shuffle_files.h) only, so a request cannot name any
// other file. A request for a cached partition is answered from the block
// store given to ServeCachedBlocks (not found until then, or when the
// block is not, or no longer, there). Stop() (or destruction) closes
// every connection.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "ember/common/status.h"
#include "ember/net/server.h"
#include "ember/storage/block_store.h"
#include "ember.pb.h"

namespace ember::exec {

class BlockService {
 public:
  static Result<std::unique_ptr<BlockService>> Start(const std::string& host, const net::Credentials& credentials,
                                                     std::string shuffle_dir);
  uint16_t port() const { return server_.port(); }
  void ServeCachedBlocks(storage::BlockStore* store) { store_ = store; }
  void Stop() { server_.Stop(); }

 private:
  explicit BlockService(std::string shuffle_dir) : shuffle_dir_(std::move(shuffle_dir)) {}
  void Serve(std::shared_ptr<net::Connection> conn);
  bool ServeShuffle(net::Connection* conn, const proto::BlockRequest& request);
  bool ServeCached(net::Connection* conn, const proto::BlockRef& ref);

  std::string shuffle_dir_;
  std::atomic<storage::BlockStore*> store_{nullptr};
  net::Server server_;
};

}  // namespace ember::exec
