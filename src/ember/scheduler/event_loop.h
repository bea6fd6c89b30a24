// EventLoop: runs posted closures one at a time, in order.
//
// Contract: Post() is thread-safe and never blocks on the loop; closures
// run one at a time, so state touched only from closures needs no locks.
// A threaded loop runs them on its own thread; destruction runs what was
// already posted, then joins it. A manual loop (for tests) runs them only
// when the owner calls RunUntilIdle(), on the caller's thread, which makes
// a scheduler test a synchronous sequence of events.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace ember::scheduler {

class EventLoop {
 public:
  enum class Mode { kThreaded, kManual };

  explicit EventLoop(Mode mode = Mode::kThreaded) {
    if (mode == Mode::kThreaded) thread_ = std::thread([this] { Run(); });
  }
  ~EventLoop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }
  void Post(std::function<void()> fn) {
    // Notified under the lock: once the closure is queued, the loop may
    // run it and its owner destroy the loop; the destructor's lock then
    // waits for this notify instead of racing it to cv_.
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(fn));
    cv_.notify_one();
  }
  bool threaded() const { return thread_.joinable(); }
  // Manual loops only: runs closures, including those they post, until
  // the queue is empty.
  void RunUntilIdle() {
    while (auto fn = Pop(false)) fn();
  }

 private:
  void Run() {
    while (auto fn = Pop(true)) fn();
  }
  // The next closure; empty when stopping (wait) or when idle (no wait).
  std::function<void()> Pop(bool wait) {
    std::unique_lock<std::mutex> lock(mu_);
    if (wait) cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return {};
    auto fn = std::move(queue_.front());
    queue_.pop_front();
    return fn;
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after the members it uses exist
};

}  // namespace ember::scheduler
