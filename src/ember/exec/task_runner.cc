#include "ember/exec/task_runner.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <thread>

#include "ember/common/file_util.h"
#include "ember/common/frame_file.h"
#include "ember/exec/partition_reader.h"
#include "ember/exec/task_metrics.h"
#include "ember/io/file_system.h"
#include "ember/io/output_committer.h"
#include "ember/io/sequence_file.h"
#include "ember/io/writable_pairs.h"
#include "ember/shuffle/shuffle_files.h"
#include "ember/shuffle/shuffle_writer.h"

namespace ember::exec {

namespace {

Status CollectResult(FrameStream* in, proto::TaskResult* out, int64_t max_bytes) {
  Frame f;
  int64_t total = 0;
  for (;;) {
    EMBER_ASSIGN_OR_RETURN(bool more, in->Next(&f));
    if (!more) return Status::OK();
    total += static_cast<int64_t>(f.data.size());
    if (max_bytes > 0 && total > max_bytes) {
      return InvalidArgument("result of this task is larger than spark.driver.maxResultSize (" +
                             std::to_string(max_bytes) + " bytes)");
    }
    auto* pf = out->add_frames();
    pf->set_type(static_cast<int>(f.type));
    pf->set_data(std::move(f.data));
  }
}

// ember.test.deleteMapOutput / corruptMapOutput: damage a map output after
// it was written, as a lost disk or a bad sector would.
void InjectMapOutputFault(const ExecutorEnv& env, int shuffle, int map, int attempt,
                          const std::string& data_path) {
  if (!env.faults) return;
  if (env.faults->DeleteMapOutput(shuffle, map, attempt)) ::unlink(data_path.c_str());
  if (env.faults->CorruptMapOutput(shuffle, map, attempt)) {
    int fd = ::open(data_path.c_str(), O_RDWR);
    struct stat st;
    if (fd >= 0 && ::fstat(fd, &st) == 0 && st.st_size > 0) {
      char bytes[8];
      off_t at = st.st_size / 2;
      ssize_t n = ::pread(fd, bytes, sizeof(bytes), at);
      for (ssize_t i = 0; i < n; ++i) bytes[i] = static_cast<char>(~bytes[i]);
      if (n > 0) (void)!::pwrite(fd, bytes, static_cast<size_t>(n), at);
    }
    if (fd >= 0) ::close(fd);
  }
}

// ember.test.signalWorker: signals the task's workers after the first frame.
class SignalAfterFirstFrame : public FrameStream {
 public:
  SignalAfterFirstFrame(std::unique_ptr<FrameStream> inner, TaskContext* ctx, int sig)
      : inner_(std::move(inner)), ctx_(ctx), sig_(sig) {}
  Result<bool> Next(Frame* frame) override {
    auto more = inner_->Next(frame);
    if (sig_ && more.ok() && *more) {
      ctx_->SignalWorkers(sig_);
      sig_ = 0;
    }
    return more;
  }

 private:
  std::unique_ptr<FrameStream> inner_;
  TaskContext* ctx_;
  int sig_;
};

// ember.test.slowTask: wait before starting, ending early on a cancel.
void InjectDelay(const ExecutorEnv& env, const proto::TaskDescription& task, TaskContext* ctx) {
  int ms = env.faults ? env.faults->SlowTaskMillis(task.stage_id(), task.partition(), task.attempt()) : 0;
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < until && !ctx->cancelled)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

// What the shuffle writer measured, for the task metrics.
void AddWriterMetrics(const shuffle::ShuffleWriter& writer, std::chrono::steady_clock::duration write_time,
                      proto::TaskMetrics* m) {
  m->set_shuffle_write_time_ns(m->shuffle_write_time_ns() +
                               std::chrono::duration_cast<std::chrono::nanoseconds>(write_time).count());
  m->set_memory_bytes_spilled(m->memory_bytes_spilled() + writer.spilled_bytes());
  m->set_disk_bytes_spilled(m->disk_bytes_spilled() + writer.spilled_bytes());
  m->set_peak_execution_memory(m->peak_execution_memory() + writer.peak_buffered());
}

Status WriteShuffle(FrameStream* in, const proto::TaskDescription& task, const ExecutorEnv& env,
                    proto::TaskResult* out) {
  const auto& sink = task.shuffle();
  auto files = shuffle::MapOutputPaths(env.shuffle_dir, sink.shuffle_id(), task.partition(), task.task_id());
  shuffle::ShuffleWriter writer(files, sink.num_buckets(), env.shuffle_memory_budget);
  std::chrono::steady_clock::duration write_time{};
  auto timed = [&write_time](auto&& step) {
    auto started = std::chrono::steady_clock::now();
    auto st = step();
    write_time += std::chrono::steady_clock::now() - started;
    return st;
  };
  Status st;
  Frame f;
  for (;;) {
    auto more = in->Next(&f);
    if (!more.ok() || !*more) {
      st = more.status();
      break;
    }
    if (f.type != FrameType::kBucketBatch || f.data.size() < 4) {
      st = Internal("shuffle map task produced a frame without a bucket");
      break;
    }
    uint32_t bucket = 0;
    for (int i = 0; i < 4; ++i)
      bucket |= static_cast<uint32_t>(static_cast<uint8_t>(f.data[i])) << (8 * i);
    st = timed([&] { return writer.Add(static_cast<int>(bucket), std::string_view(f.data).substr(4)); });
    if (!st.ok()) break;
  }
  Result<shuffle::MapOutput> output =
      st.ok() ? timed([&] { return writer.Finish(); }) : Result<shuffle::MapOutput>(st);
  AddWriterMetrics(writer, write_time, out->mutable_metrics());
  EMBER_RETURN_IF_ERROR(output.status());
  int64_t written = 0;
  for (int64_t size : output->block_sizes) written += size;
  out->mutable_metrics()->set_shuffle_bytes_written(written);
  InjectMapOutputFault(env, sink.shuffle_id(), task.partition(), task.attempt(), files.data);
  auto* ms = out->mutable_map_status();
  ms->set_executor_id(env.executor_id);
  ms->mutable_block_sizes()->Assign(output->block_sizes.begin(), output->block_sizes.end());
  ms->set_blocks_digest(output->blocks_digest);
  return Status::OK();
}

// saveAsTextFile: the stream's text lines, newline-terminated.
Status WriteLines(FrameStream* in, io::OutputStream* file) {
  Frame f;
  for (;;) {
    EMBER_ASSIGN_OR_RETURN(bool more, in->Next(&f));
    if (!more) return Status::OK();
    if (f.type != FrameType::kUtf8Lines && f.type != FrameType::kByteLines)
      return Internal("text output task produced a non-text frame");
    f.data.push_back('\n');
    EMBER_RETURN_IF_ERROR(file->Write(f.data));
  }
}

// The task's file, lent to a SequenceFileWriter: WriteTaskFile closes it.
class BorrowedSink : public io::OutputStream {
 public:
  explicit BorrowedSink(io::OutputStream* file) : file_(file) {}
  Status Write(std::string_view data) override { return file_->Write(data); }
  Status Close() override { return Status::OK(); }

 private:
  io::OutputStream* file_;
};

Result<io::SequenceFileCompression> CompressionOf(const std::string& name) {
  if (name.empty() || name == "NONE") return io::SequenceFileCompression::kNone;
  if (name == "RECORD") return io::SequenceFileCompression::kRecord;
  if (name == "BLOCK") return io::SequenceFileCompression::kBlock;
  return InvalidArgument("SequenceFile compression type " + name + ": expected NONE, RECORD or BLOCK");
}

// saveAsSequenceFile: the stream's WRITABLE_PAIRS records.
Status WriteSequenceFile(FrameStream* in, const proto::SequenceFileFormat& format, io::OutputStream* file) {
  io::SequenceFileWriterOptions options;
  options.key_class = format.key_class();
  options.value_class = format.value_class();
  EMBER_ASSIGN_OR_RETURN(options.compression, CompressionOf(format.compression()));
  if (!format.codec().empty()) options.codec_class = format.codec();
  if (format.block_size() > 0) options.block_size = static_cast<size_t>(format.block_size());
  EMBER_ASSIGN_OR_RETURN(auto writer, io::SequenceFileWriter::Create(std::make_unique<BorrowedSink>(file), options));
  Frame f;
  for (;;) {
    EMBER_ASSIGN_OR_RETURN(bool more, in->Next(&f));
    if (!more) return writer->Close();
    if (f.type != FrameType::kWritablePairs) return Internal("sequence file output task produced another frame type");
    EMBER_RETURN_IF_ERROR(io::ForEachWritablePair(f.data, format.key_class(), format.value_class(),
                                                  [&](std::string_view k, std::string_view v) {
                                                    return writer->Append(k, v);
                                                  }));
  }
}

// A checkpoint: the stream's frames as a frame file (common/frame_file.h).
Status WriteFrames(FrameStream* in, io::OutputStream* file) {
  FrameFileWriter out([file](std::string_view data) { return file->Write(data); });
  Frame f;
  for (;;) {
    EMBER_ASSIGN_OR_RETURN(bool more, in->Next(&f));
    if (!more) return out.Finish();
    EMBER_RETURN_IF_ERROR(out.Write(f.type, f.data));
  }
}

// Writes this attempt's output file and returns its path as the task's
// result (io/output_committer.h).
Status WriteFileOutput(FrameStream* in, const proto::TaskDescription& task, proto::TaskResult* out) {
  const auto& sink = task.file_output();
  io::Codec codec = io::Codec::kNone;
  if (!sink.has_sequence() && !sink.codec().empty()) {
    EMBER_ASSIGN_OR_RETURN(codec, io::CodecFromClassName(sink.codec()));
  }
  auto write = [&](io::OutputStream* file) {
    if (sink.frame_file()) return WriteFrames(in, file);
    return sink.has_sequence() ? WriteSequenceFile(in, sink.sequence(), file) : WriteLines(in, file);
  };
  EMBER_ASSIGN_OR_RETURN(std::string path, io::WriteTaskFile(sink.attempt_dir(), sink.file_name(), codec, write));
  if (!sink.frame_file()) {  // a checkpoint is no output in Spark's metrics
    EMBER_ASSIGN_OR_RETURN(auto fs, io::FileSystemFor(path));
    EMBER_ASSIGN_OR_RETURN(auto written, fs->Stat(path));
    out->mutable_metrics()->set_output_bytes_written(written.size);
  }
  auto* frame = out->add_frames();
  frame->set_type(static_cast<int>(FrameType::kOutputFile));
  frame->set_data(path);
  return Status::OK();
}

}  // namespace

// The task's metrics once its streams are gone: what they and the sink
// measured, the time and CPU the task took but its workers' deserializing,
// and the size of the result.
void FinishMetrics(std::chrono::steady_clock::time_point start, int64_t cpu_start, TaskContext* ctx,
                   proto::TaskResult* result) {
  proto::TaskMetrics* m = result->mutable_metrics();
  AddTaskMetrics(ctx->TakeMetrics(), m);
  auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  m->set_executor_run_time_ms(std::max<int64_t>(0, wall.count() - m->executor_deserialize_time_ms()));
  m->set_executor_cpu_time_ns(m->executor_cpu_time_ns() + ThreadCpuNanos() - cpu_start -
                              m->executor_deserialize_cpu_time_ns());
  proto::TaskMetrics measured = std::move(*m);
  result->clear_metrics();
  measured.set_result_size(static_cast<int64_t>(result->ByteSizeLong()));
  *result->mutable_metrics() = std::move(measured);
}

proto::TaskResult RunTask(const proto::TaskDescription& task, const ExecutorEnv& env,
                          TaskContext* ctx) {
  auto start = std::chrono::steady_clock::now();
  int64_t cpu_start = ThreadCpuNanos();
  proto::TaskResult result;
  result.set_task_id(task.task_id());
  result.set_executor_id(env.executor_id);
  Status st;
  {
    InjectDelay(env, task, ctx);
    PartitionReader reader(task, env, ctx);
    auto stream = ctx->cancelled ? Result<std::unique_ptr<FrameStream>>(Cancelled("task killed"))
                                 : reader.Open(task.final_node(), task.partition());
    int sig = env.faults ? env.faults->WorkerSignal(task.stage_id(), task.partition(), task.attempt()) : 0;
    if (stream.ok() && sig)
      stream = std::unique_ptr<FrameStream>(new SignalAfterFirstFrame(std::move(*stream), ctx, sig));
    if (!stream.ok()) {
      st = stream.status();
    } else if (task.has_shuffle()) {
      st = WriteShuffle(stream->get(), task, env, &result);
    } else if (task.has_file_output()) {
      st = WriteFileOutput(stream->get(), task, &result);
    } else {
      st = CollectResult(stream->get(), &result, env.max_result_bytes);
    }
  }
  if (st.ok()) {
    result.set_state(proto::TaskResult::SUCCESS);
    for (auto& u : ctx->TakeAccumulatorUpdates()) result.add_accumulator_updates(std::move(u));
    for (auto [node, partition] : ctx->persisted_blocks) {
      auto stored = env.blocks ? env.blocks->Get({node, partition}) : std::nullopt;
      if (!stored) continue;  // not kept
      auto* b = result.add_cached_blocks();
      b->set_node(node);
      b->set_partition(partition);
      if (stored->memory) {
        b->set_memory_size(static_cast<int64_t>(stored->bytes));
      } else {
        b->set_disk_size(static_cast<int64_t>(stored->bytes));
      }
    }
  } else {
    result.clear_frames();
    result.set_error(st.message());
    result.set_error_code(static_cast<int>(st.code()));
    if (st.code() == StatusCode::kFetchFailed) {
      result.set_state(proto::TaskResult::FETCH_FAILED);
      result.set_fetch_failed_shuffle(ctx->fetch_failed_shuffle);
      result.set_fetch_failed_map(ctx->fetch_failed_map);
      result.set_fetch_failed_map_task(ctx->fetch_failed_map_task);
    } else if (st.code() == StatusCode::kCancelled) {
      result.set_state(proto::TaskResult::KILLED);
    } else {
      result.set_state(proto::TaskResult::FAILED);
    }
  }
  result.set_run_seconds(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  FinishMetrics(start, cpu_start, ctx, &result);
  return result;
}

}  // namespace ember::exec
