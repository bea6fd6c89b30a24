// Frames: the unit that crosses every byte stream in ember (executor <->
// Python worker, shuffle blocks, task results).
//
// Wire format: [u32 little-endian payload length][u8 type][payload].
// Data frames carry a batch of records in one of a few encodings; control
// frames end a stream, report an error with its traceback, or carry
// accumulator updates and task metrics. The Python side (ember/serializers.py) mirrors the
// numbers below; keep them in sync.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "ember/common/status.h"

namespace ember {

enum class FrameType : uint8_t {
  kPickleBatch = 1,   // pickle of an iterable of records; first byte 0: records in
                      // the serializer the payload names (ember/serializers.py)
  kUtf8Lines = 2,     // UTF-8 text lines joined by '\n' (no trailing '\n')
  kByteLines = 3,     // the same, records are bytes (use_unicode=False)
  kBucketBatch = 4,   // shuffle map output: u32 LE bucket + pickled batch
  kEnd = 5,           // end of a stream; payload empty
  kError = 6,         // a task failed: UTF-8 message with Python traceback
  kAccumulators = 7,  // pickled accumulator updates of one task
  kTask = 8,          // executor -> worker: task header (see python_runner.h)
  kTextFile = 9,      // one whole file: u32 LE path length, path, UTF-8 contents
  kBinaryFile = 10,   // the same with raw contents (binaryFiles)
  kSection = 11,      // pair node input: ends the second parent's records (ember.proto)
  kOutputFile = 12,   // an output task's result: the UTF-8 path of the file it wrote
  kWritablePairs = 13,  // Writable records: see io/writable_pairs.h
  kFixedRecords = 14,   // u32 LE record length, then records of that length (binaryRecords)
  kBarrier = 15,        // worker -> executor: a barrier sync, JSON {"kind", "message"}
  kBarrierReply = 16,   // executor -> worker: its answer, JSON {"messages": [...]} or {"error"}
  kMetrics = 17,        // worker -> executor, once per task before kEnd: what the worker
                        // measured, JSON (exec/worker_metrics.h)
};

// Where a data frame came from, for the task metrics: the records a Python
// worker counts in the frames it was fed are input records (a source or a
// cached block) or shuffle records read. Not part of the wire format; set
// by the stream that produced the frame, kept by streams that pass it on.
enum class FrameOrigin : uint8_t { kComputed = 0, kInput = 1, kShuffle = 2 };

constexpr size_t kFrameHeaderSize = 5;
// A frame payload larger than this is rejected as corrupt (guards against
// garbage lengths from a damaged file or stream).
constexpr uint32_t kMaxFramePayload = 0x7fffffff;

struct Frame {
  FrameType type = FrameType::kEnd;
  std::string data;
  FrameOrigin origin = FrameOrigin::kComputed;
};

bool IsDataFrame(FrameType t);

// Append the encoded frame to `out`.
void EncodeFrame(FrameType type, std::string_view payload, std::string* out);

// Blocking, buffered frame I/O over a file descriptor (socket or file).
// Not thread-safe; one reader and one writer may use the same socket fd
// from different threads.
// Where a FrameReader gets bytes (up to n; 0 at the end) and a
// FrameWriter puts them: a file descriptor, or any stream (a file on HDFS).
using ReadBytes = std::function<Result<size_t>(char* buf, size_t n)>;
using WriteBytes = std::function<Status(std::string_view data)>;

class FrameReader {
 public:
  explicit FrameReader(int fd);
  explicit FrameReader(ReadBytes read) : read_(std::move(read)) {}
  // The next frame; false at a clean end (EOF at a frame boundary), an error
  // for a truncated one. Memory grows with bytes read, not length fields.
  Result<bool> Next(Frame* frame);

 private:
  Status Fill(size_t need);
  ReadBytes read_;
  // Unread bytes are [pos_, end_) of buf_. Not a std::string: growing one
  // zero-fills it, which cost a 256 KiB memset per read.
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;
  size_t pos_ = 0;
  size_t end_ = 0;
};

class FrameWriter {
 public:
  explicit FrameWriter(int fd);
  explicit FrameWriter(WriteBytes write) : write_(std::move(write)) {}
  ~FrameWriter() = default;
  Status Write(FrameType type, std::string_view payload);
  Status Flush();

 private:
  WriteBytes write_;
  std::string buf_;
};

// Write all of `data` to fd, retrying on EINTR and short writes.
Status WriteAll(int fd, std::string_view data);
// Read up to n bytes; returns bytes read, 0 at EOF.
Result<size_t> ReadSome(int fd, char* buf, size_t n);

}  // namespace ember
