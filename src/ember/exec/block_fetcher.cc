#include "ember/exec/block_fetcher.h"

#include <fmt/format.h>

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
  return net::Connect(address.substr(0, colon), static_cast<uint16_t>(port), options_.credentials,
                      options_.connect_timeout);
}

void BlockFetcher::Release(const std::string& address, std::shared_ptr<net::Connection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_[address].push_back(std::move(conn));
}

Result<BlockFetcher::Reply> BlockFetcher::Exchange(const std::string& address,
                                                   const proto::BlockRequest& request) {
  EMBER_ASSIGN_OR_RETURN(auto conn, Acquire(address));
  auto guard = watchdog_.Watch(conn, options_.io_timeout);
  auto reply = ExchangeOn(*conn, address, request);
  if (!reply.ok()) {
    conn->Close();
    if (guard.fired())
      return IOError("no reply from the block service at " + address + " within " +
                     fmt::format("{:g}", options_.io_timeout.count() / 1000.0) + " s (spark.shuffle.io.connectionTimeout)");
    return reply.status();
  }
  Release(address, std::move(conn));
  return reply;
}

Result<BlockFetcher::Reply> BlockFetcher::ExchangeOn(net::Connection& conn, const std::string& address,
                                                     const proto::BlockRequest& request) {
  EMBER_RETURN_IF_ERROR(conn.Send(request));
  Reply reply;
  EMBER_ASSIGN_OR_RETURN(bool got, conn.Receive(&reply.header));
  if (!got) return IOError("the block service at " + address + " closed the connection");
  reply.payloads.resize(reply.header.checksums_size());
  for (int i = 0; i < reply.header.checksums_size(); ++i) {
    EMBER_ASSIGN_OR_RETURN(bool more, conn.ReceiveBytes(&reply.payloads[i]));
    if (!more) return IOError("the block service at " + address + " closed the connection mid-reply");
    if (shuffle::Checksum(reply.payloads[i].data(), reply.payloads[i].size()) != reply.header.checksums(i))
      return Corrupt("a block from " + address + " is corrupt (checksum mismatch)");
  }
  return reply;
}

Result<std::vector<std::string>> BlockFetcher::Fetch(const std::string& address,
                                                     const proto::BlockRequest& request,
                                                     int* failed_map) {
  *failed_map = request.shuffle_size() > 0 ? request.shuffle(0).map_id() : -1;
  Status last;
  for (int attempt = 0;; ++attempt) {
    auto reply = Exchange(address, request);
    if (reply.ok() && reply->header.found()) return std::move(reply->payloads);
    if (reply.ok()) {  // the server has no such output: retrying cannot help
      *failed_map = reply->header.failed_map();
      last = NotFound(reply->header.error());
      break;
    }
    last = reply.status();
    if (attempt >= options_.max_retries) break;
    std::this_thread::sleep_for(std::chrono::duration<double>(options_.retry_wait_s * (attempt + 1)));
  }
  return FetchFailed("cannot fetch shuffle blocks from " + address + ": " + last.message());
}

std::optional<std::vector<Frame>> BlockFetcher::FetchCached(const std::string& address,
                                                            const proto::BlockRef& block) {
  proto::BlockRequest request;
  *request.mutable_cached() = block;
  auto reply = Exchange(address, request);
  if (!reply.ok() || !reply->header.found() ||
      reply->header.frame_types_size() != static_cast<int>(reply->payloads.size()))
    return std::nullopt;
  std::vector<Frame> frames(reply->payloads.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    frames[i].type = static_cast<FrameType>(reply->header.frame_types(static_cast<int>(i)));
    frames[i].data = std::move(reply->payloads[i]);
  }
  return frames;
}

}  // namespace ember::exec
