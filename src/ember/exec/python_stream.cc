#include "ember/exec/python_stream.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <future>

#include <nlohmann/json.hpp>

namespace ember::exec {

PythonStream::PythonStream(WorkerPool* pool, TaskContext* task, std::string command, int split,
                           std::unique_ptr<FrameStream> parent)
    : pool_(pool), task_(task), command_(std::move(command)), split_(split), parent_(std::move(parent)) {}

PythonStream::~PythonStream() {
  if (started_ && !done_) {
    // Abandoned mid-stream: the worker's state is unknown, so it must go.
    ::shutdown(worker_.fd, SHUT_RDWR);
    StopFeeder();
    task_->RemoveWorker(worker_.pid);
    pool_->Discard(worker_);
  }
}

void PythonStream::StopFeeder() {
  if (feeder_.joinable()) feeder_.join();
}

Status PythonStream::Start() {
  EMBER_ASSIGN_OR_RETURN(worker_, pool_->Acquire());
  started_ = true;
  task_->AddWorker(worker_.pid);
  nlohmann::json header = {{"partition", task_->partition},   {"split", split_},
                           {"stage", task_->stage_id},
                           {"stage_attempt", task_->stage_attempt},
                           {"attempt", task_->attempt},       {"task_id", task_->task_id},
                           {"cpus", task_->cpus},
                           {"properties", task_->properties}};
  if (task_->barrier) {
    header["barrier"] = true;
    header["addresses"] = task_->barrier_addresses;
  }
  std::string h = header.dump();
  std::string payload;
  uint32_t n = static_cast<uint32_t>(h.size());
  for (int i = 0; i < 4; ++i) payload.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  payload += h;
  payload += command_;
  std::string task_frame;
  EncodeFrame(FrameType::kTask, payload, &task_frame);
  EMBER_RETURN_IF_ERROR(WriteAll(worker_.fd, task_frame));
  reader_ = std::make_unique<FrameReader>(worker_.fd);
  std::string unsent;
  bool parent_ended = false;
  if (!FeedInline(&unsent, &parent_ended)) {
    rest_written_ = unsent.empty();
    feeder_ = std::thread([this, unsent = std::move(unsent), parent_ended] { Feed(unsent, parent_ended); });
  }
  return Status::OK();
}

// Most tasks' input is small: it is written here, before any output is
// read, while the socket takes it without waiting (a feeder thread per
// task cost ~50 us). True when the input is all written (or cannot be:
// the parent failed, the worker is gone). False when the feeder thread
// must write the rest — *unsent, then the parent's remaining frames unless
// *parent_ended — because the input passed kInlineInput bytes or the
// worker, busy writing output nobody reads yet, stopped taking it.
bool PythonStream::FeedInline(std::string* unsent, bool* parent_ended) {
  constexpr size_t kInlineInput = 256 << 10;
  size_t sent = 0;
  Frame f;
  while (sent < kInlineInput && !task_->cancelled) {
    auto more = parent_->Next(&f);
    if (!more.ok()) {
      parent_status_ = more.status();
      ::shutdown(worker_.fd, SHUT_RDWR);  // unblocks the reading side, as Feed does
      return true;
    }
    *parent_ended = !*more;
    if (*more) fed_.push_back(f.origin);
    EncodeFrame(*more ? f.type : FrameType::kEnd, *more ? std::string_view(f.data) : "", unsent);
    ssize_t n = ::send(worker_.fd, unsent->data(), unsent->size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return true;  // worker gone
    if (n > 0) {
      unsent->erase(0, static_cast<size_t>(n));
      sent += static_cast<size_t>(n);
    }
    if (!unsent->empty()) return false;
    if (*parent_ended) return true;
  }
  return false;
}

// Runs on the feeder thread: what FeedInline left (`unsent`), the parent's
// remaining frames, then kEnd. A write error means the worker is gone;
// the reading side finds out how.
void PythonStream::Feed(const std::string& unsent, bool parent_ended) {
  Status st;
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    st = WriteAll(worker_.fd, unsent);
    rest_written_ = true;
  }
  rest_written_cv_.notify_all();
  if (!st.ok() || parent_ended) return;
  FrameWriter out([this](std::string_view data) { return WriteToWorker(data); });
  Frame f;
  for (;;) {
    if (task_->cancelled) {
      parent_status_ = Cancelled("task cancelled");
      break;
    }
    auto more = parent_->Next(&f);
    if (!more.ok()) {
      parent_status_ = more.status();
      break;
    }
    if (!*more) {
      if (out.Write(FrameType::kEnd, "").ok()) out.Flush();
      return;
    }
    fed_.push_back(f.origin);
    if (!out.Write(f.type, f.data).ok()) return;
  }
  // The worker can no longer finish normally: unblock the reading side.
  ::shutdown(worker_.fd, SHUT_RDWR);
}

Status PythonStream::WriteToWorker(std::string_view frames) {
  std::unique_lock<std::mutex> lock(write_mu_);
  rest_written_cv_.wait(lock, [this] { return rest_written_; });
  return WriteAll(worker_.fd, frames);
}

// Blocks this task until every task of its barrier stage attempt made the
// same sync (or the sync failed), then answers the worker.
Status PythonStream::AnswerBarrier(const std::string& data) {
  auto req = nlohmann::json::parse(data, nullptr, false);
  if (!task_->barrier || !task_->barrier_sync || !req.is_object())
    return Internal("unexpected barrier frame from Python worker");
  proto::BarrierRequest request;
  request.set_task_id(task_->task_id);
  request.set_stage_id(task_->stage_id);
  request.set_stage_attempt(task_->stage_attempt);
  request.set_partition(task_->partition);
  request.set_num_tasks(static_cast<int>(task_->barrier_addresses.size()));
  request.set_call(task_->barrier_calls++);  // per task, whichever worker of it asks
  request.set_kind(req.value("kind", ""));
  request.set_message(req.value("message", ""));
  auto answer = std::make_shared<std::promise<proto::BarrierReply>>();
  auto got = answer->get_future();
  task_->barrier_sync(std::move(request),
                      [answer](proto::BarrierReply reply) { answer->set_value(std::move(reply)); });
  while (got.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
    if (task_->cancelled) return Cancelled("task cancelled");
  proto::BarrierReply reply = got.get();
  nlohmann::json out;
  if (!reply.error().empty()) out["error"] = reply.error();
  else out["messages"] = std::vector<std::string>(reply.messages().begin(), reply.messages().end());
  std::string frame;
  EncodeFrame(FrameType::kBarrierReply, out.dump(), &frame);
  return WriteToWorker(frame);
}

Status PythonStream::Fail(Status st) {
  done_ = true;
  task_->RemoveWorker(worker_.pid);
  ::shutdown(worker_.fd, SHUT_RDWR);
  StopFeeder();
  pool_->Discard(worker_);
  return parent_status_.ok() ? st : parent_status_;
}

Status PythonStream::AddWorkerMetrics() {
  if (metrics_.empty()) return Internal("Python worker ended a task without its metrics");
  EMBER_ASSIGN_OR_RETURN(auto metrics, WorkerMetrics(metrics_, fed_));
  task_->AddMetrics(metrics);
  return Status::OK();
}

Result<bool> PythonStream::Next(Frame* frame) {
  if (done_) return false;
  if (!started_) EMBER_RETURN_IF_ERROR(Start());
  for (;;) {
    auto more = reader_->Next(frame);
    if (!more.ok() || !*more) {
      StopFeeder();
      if (!parent_status_.ok()) return Fail(parent_status_);
      if (task_->cancelled) return Fail(Cancelled("task cancelled"));
      std::string how = pool_->DescribeExit(worker_.pid, 2000);
      return Fail(TaskFailed("Python worker exited unexpectedly (" + how + ")"));
    }
    switch (frame->type) {
      case FrameType::kAccumulators:
        task_->AddAccumulatorUpdate(std::move(frame->data));
        continue;
      case FrameType::kMetrics:
        metrics_ = std::move(frame->data);
        continue;
      case FrameType::kError:
        return Fail(TaskFailed(frame->data));
      case FrameType::kBarrier:
        if (Status st = AnswerBarrier(frame->data); !st.ok()) return Fail(st);
        continue;
      case FrameType::kEnd:
        StopFeeder();
        if (!parent_status_.ok()) return Fail(parent_status_);
        if (Status st = AddWorkerMetrics(); !st.ok()) return Fail(st);
        done_ = true;
        task_->RemoveWorker(worker_.pid);
        // A cancel that came before the removal may have killed the worker.
        if (task_->cancelled) pool_->Discard(worker_);
        else pool_->Release(worker_);
        return false;
      default:
        if (!IsDataFrame(frame->type)) return Fail(Internal("unexpected frame from Python worker"));
        frame->origin = FrameOrigin::kComputed;
        return true;
    }
  }
}

}  // namespace ember::exec
