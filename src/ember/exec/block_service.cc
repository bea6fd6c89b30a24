#include "ember/exec/block_service.h"

#include "ember/shuffle/shuffle_files.h"
#include "ember/shuffle/shuffle_reader.h"
#include "ember.pb.h"

namespace ember::exec {

Result<std::unique_ptr<BlockService>> BlockService::Start(const std::string& host,
                                                          const std::string& secret,
                                                          std::string shuffle_dir) {
  std::unique_ptr<BlockService> s(new BlockService(std::move(shuffle_dir)));
  BlockService* self = s.get();
  EMBER_RETURN_IF_ERROR(
      s->server_.Start(host, 0, secret, [self](auto conn) { self->Serve(std::move(conn)); }));
  return s;
}

void BlockService::Serve(std::shared_ptr<net::Connection> conn) {
  proto::BlockRequest request;
  for (;;) {
    auto more = conn->Receive(&request);
    if (!more.ok() || !*more) return;
    proto::BlockReply reply;
    std::vector<shuffle::BlockRange> ranges;
    for (const auto& b : request.shuffle()) {
      auto files = shuffle::MapOutputPaths(shuffle_dir_, b.shuffle_id(), b.map_id(), b.map_task_id());
      auto range = shuffle::ReadBlockRange(files, b.start_bucket(), b.end_bucket());
      if (!range.ok()) {
        reply.set_error(range.status().message());
        reply.set_failed_map(b.map_id());
        ranges.clear();
        break;
      }
      ranges.push_back(std::move(range).value());
    }
    reply.set_found(reply.error().empty());
    for (const auto& r : ranges)
      for (const auto& e : r.entries) reply.add_checksums(e.checksum);
    if (!conn->Send(reply).ok()) return;
    for (const auto& r : ranges)
      for (size_t i = 0; i < r.entries.size(); ++i)
        if (!conn->SendBytes(r.Block(r.first + static_cast<int>(i))).ok()) return;
  }
}

}  // namespace ember::exec
