#include "ember/exec/block_fetcher.h"

#include <thread>

#include "ember/net/client.h"
#include "ember/shuffle/shuffle_index.h"

namespace ember::exec {

Result<std::shared_ptr<net::Connection>> BlockFetcher::Acquire(const std::string& address) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto& idle = idle_[address];
    while (!idle.empty()) {
      auto conn = std::move(idle.back());
      idle.pop_back();
      if (!conn->is_closed()) return conn;
    }
  }
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return InvalidArgument("bad block service address " + address);
  int port = std::atoi(address.c_str() + colon + 1);
  return net::Connect(address.substr(0, colon), static_cast<uint16_t>(port), options_.secret,
                      options_.connect_timeout);
}

void BlockFetcher::Release(const std::string& address, std::shared_ptr<net::Connection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_[address].push_back(std::move(conn));
}

Result<std::vector<std::string>> BlockFetcher::TryFetch(const std::string& address,
                                                        const proto::BlockRequest& request,
                                                        int* failed_map, bool* retry) {
  *retry = true;
  EMBER_ASSIGN_OR_RETURN(auto conn, Acquire(address));
  EMBER_RETURN_IF_ERROR(conn->Send(request));
  proto::BlockReply reply;
  EMBER_ASSIGN_OR_RETURN(bool got, conn->Receive(&reply));
  if (!got) return IOError("the block service at " + address + " closed the connection");
  if (!reply.found()) {
    *retry = false;
    *failed_map = reply.failed_map();
    Release(address, std::move(conn));
    return NotFound(reply.error());
  }
  std::vector<std::string> blocks(reply.checksums_size());
  for (int i = 0; i < reply.checksums_size(); ++i) {
    EMBER_ASSIGN_OR_RETURN(bool more, conn->ReceiveBytes(&blocks[i]));
    if (!more) return IOError("the block service at " + address + " closed the connection mid-reply");
    if (shuffle::Checksum(blocks[i].data(), blocks[i].size()) != reply.checksums(i)) {
      conn->Close();
      return Corrupt("a block from " + address + " is corrupt (checksum mismatch)");
    }
  }
  Release(address, std::move(conn));
  return blocks;
}

Result<std::vector<std::string>> BlockFetcher::Fetch(const std::string& address,
                                                     const proto::BlockRequest& request,
                                                     int* failed_map) {
  *failed_map = request.shuffle_size() > 0 ? request.shuffle(0).map_id() : -1;
  Status last;
  for (int attempt = 0;; ++attempt) {
    bool retry = false;
    auto blocks = TryFetch(address, request, failed_map, &retry);
    if (blocks.ok()) return blocks;
    last = blocks.status();
    if (!retry || attempt >= options_.max_retries) break;
    std::this_thread::sleep_for(std::chrono::duration<double>(options_.retry_wait_s * (attempt + 1)));
  }
  return FetchFailed("cannot fetch shuffle blocks from " + address + ": " + last.message());
}

}  // namespace ember::exec
