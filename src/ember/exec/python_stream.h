// PythonStream: runs one Python node of one task in a pooled Python worker.
//
// Contract: the worker receives a kTask frame (payload: u32 LE length of a
// JSON header, the header — partition, stage, attempt, task id, local
// properties — then the pickled command), then the parent's data frames
// and kEnd: a small input is written before any output is read, a larger
// one (or one the worker stops taking) by a feeder thread while this
// stream reads the worker's output, so neither side can block the other. The worker answers
// with data frames, one kAccumulators frame, one kMetrics frame and kEnd,
// after which it goes back to the pool; the metrics, with the records of
// each fed frame attributed by the frame's origin (exec/task_metrics.h),
// are added to the task's. Output frames have origin kComputed. A kError frame becomes a TaskFailed status carrying the
// Python traceback; a worker that dies becomes TaskFailed naming how it
// died. A parent stream failure is reported as itself, not as a worker error.
// A barrier task's worker may send kBarrier frames amid its output: each is
// passed to the driver's coordinator (TaskContext::barrier_sync) and its
// answer written back as a kBarrierReply frame between input frames (the
// worker sets aside the input it reads while waiting); a cancelled task
// stops waiting.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ember/common/frame_stream.h"
#include "ember/exec/task_context.h"
#include "ember/exec/worker_pool.h"

namespace ember::exec {

class PythonStream : public FrameStream {
 public:
  // `split`: the partition of the python node being computed (the
  // command's split argument), not necessarily the task's partition.
  PythonStream(WorkerPool* pool, TaskContext* task, std::string command, int split,
               std::unique_ptr<FrameStream> parent);
  ~PythonStream() override;
  Result<bool> Next(Frame* frame) override;

 private:
  Status Start();
  bool FeedInline(std::string* unsent, bool* parent_ended);
  void Feed(const std::string& unsent, bool parent_ended);
  Status Fail(Status st);
  void StopFeeder();
  Status AnswerBarrier(const std::string& request);
  Status AddWorkerMetrics();
  // Whole frames to the worker; the feeder and barrier replies share the socket.
  Status WriteToWorker(std::string_view frames);

  WorkerPool* pool_;
  TaskContext* task_;
  std::string command_;
  int split_;
  std::unique_ptr<FrameStream> parent_;
  WorkerConn worker_;
  bool started_ = false;
  bool done_ = false;
  std::unique_ptr<class FrameReader> reader_;
  std::thread feeder_;
  std::mutex write_mu_;
  std::condition_variable rest_written_cv_;
  // False while the feeder has yet to write the end of a frame FeedInline
  // began: nothing else may be written before it.
  bool rest_written_ = true;
  Status parent_status_;  // written by the feeder (or FeedInline); read after joining it
  std::vector<FrameOrigin> fed_;  // origins of the frames sent; likewise
  std::string metrics_;           // the worker's kMetrics payload
};

}  // namespace ember::exec
