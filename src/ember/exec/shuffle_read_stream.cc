#include "ember/exec/shuffle_read_stream.h"

#include <chrono>
#include <set>

#include "ember/shuffle/shuffle_files.h"

namespace ember::exec {

ShuffleReadStream::ShuffleReadStream(const proto::ShuffledNode& node, int bucket,
                                     const google::protobuf::Map<std::string, std::string>& addresses,
                                     const ExecutorEnv& env, TaskContext* ctx)
    : node_(node), bucket_(bucket), addresses_(addresses), env_(env), ctx_(ctx) {
  std::set<std::string> remote;
  for (const auto& e : node.executors())
    if (e != env.executor_id) remote.insert(e);
  batch_budget_ = env.max_bytes_in_flight / std::max<size_t>(1, remote.size());
}

ShuffleReadStream::~ShuffleReadStream() {
  metrics_.set_shuffle_fetch_wait_time_ms(std::chrono::duration_cast<std::chrono::milliseconds>(fetch_wait_).count());
  ctx_->AddMetrics(metrics_);
}

Result<bool> ShuffleReadStream::Next(Frame* frame) {
  for (;;) {
    if (!current_) {
      if (next_ >= node_.map_ids_size()) return false;
      current_index_ = next_++;
      auto reader = OpenBlock(current_index_);
      if (!reader.ok()) return Lost(failed_index_ >= 0 ? failed_index_ : current_index_, reader.status());
      current_ = std::move(reader).value();
      current_counted_ = false;
    }
    frame->type = FrameType::kPickleBatch;
    frame->origin = FrameOrigin::kShuffle;
    auto more = current_->Next(&frame->data);
    if (!more.ok()) return Lost(current_index_, more.status());
    if (*more) {
      CountBatch(frame->data.size());
      return true;
    }
    current_.reset();
  }
}

// A block counts as fetched once it yields a batch (empty ones are not
// fetched in Spark either); remote bytes were counted when fetched.
void ShuffleReadStream::CountBatch(size_t size) {
  if (!current_counted_) {
    current_counted_ = true;
    if (current_local_) metrics_.set_shuffle_local_blocks_fetched(metrics_.shuffle_local_blocks_fetched() + 1);
    else metrics_.set_shuffle_remote_blocks_fetched(metrics_.shuffle_remote_blocks_fetched() + 1);
  }
  if (current_local_)  // the block's bytes: each batch with its u32 length
    metrics_.set_shuffle_local_bytes_read(metrics_.shuffle_local_bytes_read() + static_cast<int64_t>(size) + 4);
}

Result<std::unique_ptr<shuffle::BlockReader>> ShuffleReadStream::OpenBlock(int i) {
  int executor = node_.map_executors(i);
  if (executor < 0) return FetchFailed("the output is lost");
  const std::string& where = node_.executors(executor);
  current_local_ = where == env_.executor_id;
  if (current_local_)
    return shuffle::BlockReader::Open(
        shuffle::MapOutputPaths(env_.shuffle_dir, node_.shuffle_id(), node_.map_ids(i), node_.map_task_ids(i)),
        bucket_);
  if (!fetched_.count(i)) EMBER_RETURN_IF_ERROR(FetchFrom(where, i));
  auto block = fetched_.extract(i);
  return shuffle::BlockReader::FromMemory(std::move(block.mapped()),
                                          "block " + std::to_string(bucket_) + " from executor " + where);
}

// Fetches output `first` and the following outputs on the same executor
// that fit in one request's share of the in-flight budget.
Status ShuffleReadStream::FetchFrom(const std::string& executor, int first) {
  auto address = addresses_.find(executor);
  if (!env_.fetcher || address == addresses_.end())
    return FetchFailed("executor " + executor + " is not reachable from this one");
  proto::BlockRequest request;
  std::vector<int> indexes;
  size_t bytes = 0;
  for (int i = first; i < node_.map_ids_size(); ++i) {
    int e = node_.map_executors(i);
    if (e < 0 || node_.executors(e) != executor || fetched_.count(i)) continue;
    size_t size = i < node_.map_sizes_size() ? static_cast<size_t>(node_.map_sizes(i)) : 0;
    if (!indexes.empty() && bytes + size > batch_budget_) break;
    bytes += size;
    indexes.push_back(i);
    auto* b = request.add_shuffle();
    b->set_shuffle_id(node_.shuffle_id());
    b->set_map_id(node_.map_ids(i));
    b->set_map_task_id(node_.map_task_ids(i));
    b->set_start_bucket(bucket_);
    b->set_end_bucket(bucket_ + 1);
  }
  int failed_map = node_.map_ids(first);
  auto started = std::chrono::steady_clock::now();
  auto blocks = env_.fetcher->Fetch(address->second, request, &failed_map);
  fetch_wait_ += std::chrono::steady_clock::now() - started;
  if (!blocks.ok()) {
    failed_index_ = first;
    for (int i : indexes)
      if (node_.map_ids(i) == failed_map) failed_index_ = i;
    return blocks.status();
  }
  for (size_t k = 0; k < indexes.size(); ++k) {
    metrics_.set_shuffle_remote_bytes_read(metrics_.shuffle_remote_bytes_read() +
                                           static_cast<int64_t>((*blocks)[k].size()));
    fetched_[indexes[k]] = std::move((*blocks)[k]);
  }
  return Status::OK();
}

Status ShuffleReadStream::Lost(int i, const Status& why) {
  ctx_->fetch_failed_shuffle = node_.shuffle_id();
  ctx_->fetch_failed_map = node_.map_ids(i);
  ctx_->fetch_failed_map_task = node_.map_task_ids(i);
  return Status(StatusCode::kFetchFailed, "shuffle " + std::to_string(node_.shuffle_id()) + " map " +
                                              std::to_string(node_.map_ids(i)) + ": " + why.message());
}

}  // namespace ember::exec
