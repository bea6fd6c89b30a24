// ShuffleReadStream: bucket `bucket` of every map output a shuffled node
// lists, as one stream of pickled batches, in map order.
//
// Contract: outputs written by this executor are read from its shuffle
// directory, a block at a time; outputs on other executors are fetched
// from their block services (BlockFetcher, at the addresses the task
// carries), several outputs of one executor per request, and never more
// than `max_bytes_in_flight` of fetched blocks are held at once (estimated
// from the sizes the scheduler lists, a single larger block excepted).
// Every block is verified against its checksum before a batch of it is
// handed out. Any block that cannot be had — the output is lost, a file is
// missing or damaged, the network failed after retries — is a FetchFailed
// error naming the shuffle and map, recorded in the task context so the
// scheduler recomputes that output. Batches have origin kShuffle; the
// non-empty blocks read, their bytes (local or remote) and the time spent
// waiting for fetches are added to the task's metrics when the stream is
// destroyed.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "ember/common/frame_stream.h"
#include "ember/exec/task_context.h"
#include "ember/exec/task_runner.h"
#include "ember/shuffle/shuffle_reader.h"
#include "ember.pb.h"

namespace ember::exec {

class ShuffleReadStream : public FrameStream {
 public:
  ShuffleReadStream(const proto::ShuffledNode& node, int bucket,
                    const google::protobuf::Map<std::string, std::string>& addresses,
                    const ExecutorEnv& env, TaskContext* ctx);
  ~ShuffleReadStream() override;
  Result<bool> Next(Frame* frame) override;

 private:
  Result<std::unique_ptr<shuffle::BlockReader>> OpenBlock(int i);
  Status FetchFrom(const std::string& executor, int first);
  Status Lost(int i, const Status& why);
  void CountBatch(size_t size);

  const proto::ShuffledNode& node_;
  int bucket_;
  const google::protobuf::Map<std::string, std::string>& addresses_;
  const ExecutorEnv& env_;
  TaskContext* ctx_;
  size_t batch_budget_;  // bytes per request: the in-flight bound shared by remote executors
  int next_ = 0;         // the next output to open
  int current_index_ = -1;
  int failed_index_ = -1;  // set by a failed fetch: the output it could not get
  std::unique_ptr<shuffle::BlockReader> current_;
  std::map<int, std::string> fetched_;  // output index -> its verified block, not yet read
  bool current_local_ = false;
  bool current_counted_ = false;  // the current block was counted as fetched
  proto::TaskMetrics metrics_;
  std::chrono::steady_clock::duration fetch_wait_{};
};

}  // namespace ember::exec
