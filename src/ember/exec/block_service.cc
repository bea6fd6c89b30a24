#include "ember/exec/block_service.h"

#include "ember/exec/cached_stream.h"
#include "ember/shuffle/shuffle_files.h"
#include "ember/shuffle/shuffle_index.h"
#include "ember/shuffle/shuffle_reader.h"
#include "ember.pb.h"

namespace ember::exec {

Result<std::unique_ptr<BlockService>> BlockService::Start(const std::string& host,
                                                          const net::Credentials& credentials,
                                                          std::string shuffle_dir) {
  std::unique_ptr<BlockService> s(new BlockService(std::move(shuffle_dir)));
  BlockService* self = s.get();
  EMBER_RETURN_IF_ERROR(
      s->server_.Start(host, 0, credentials, [self](auto conn) { self->Serve(std::move(conn)); }));
  return s;
}

void BlockService::Serve(std::shared_ptr<net::Connection> conn) {
  proto::BlockRequest request;
  for (;;) {
    auto more = conn->Receive(&request);
    if (!more.ok() || !*more) return;
    bool sent = request.has_cached() ? ServeCached(conn.get(), request.cached())
                                     : ServeShuffle(conn.get(), request);
    if (!sent) return;
  }
}

bool BlockService::ServeShuffle(net::Connection* conn, const proto::BlockRequest& request) {
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
  if (!conn->Send(reply).ok()) return false;
  for (const auto& r : ranges)
    for (size_t i = 0; i < r.entries.size(); ++i)
      if (!conn->SendBytes(r.Block(r.first + static_cast<int>(i))).ok()) return false;
  return true;
}

bool BlockService::ServeCached(net::Connection* conn, const proto::BlockRef& ref) {
  proto::BlockReply reply;
  std::vector<Frame> frames;
  storage::BlockStore* store = store_.load();
  storage::BlockId id{ref.node(), ref.partition()};
  auto stored = store ? store->Get(id) : std::nullopt;
  auto stream = stored ? OpenStoredBlock(store, id, *stored)
                       : Result<std::unique_ptr<FrameStream>>(NotFound("not cached here"));
  Status st = stream.status();
  for (Frame f; st.ok();) {
    auto more = (*stream)->Next(&f);
    if (!more.ok()) st = more.status();
    if (!st.ok() || !*more) break;
    frames.push_back(std::move(f));
  }
  reply.set_found(st.ok());
  if (!st.ok()) {
    frames.clear();
    reply.set_error(st.message());
  }
  for (const auto& f : frames) {
    reply.add_frame_types(static_cast<int>(f.type));
    reply.add_checksums(shuffle::Checksum(f.data.data(), f.data.size()));
  }
  if (!conn->Send(reply).ok()) return false;
  for (const auto& f : frames)
    if (!conn->SendBytes(f.data).ok()) return false;
  return true;
}

}  // namespace ember::exec
