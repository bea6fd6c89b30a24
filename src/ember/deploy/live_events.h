// LiveEvents: the queue through which the live web UI (Python) reads the
// application's listener events, as JSON lines of Spark's event log format.
//
// Contract: Push() (the listener bus's dispatch thread) keeps a line only
// once the queue is active: from the start with
// ember.listenerEvents.enabled=true, else from the first Take(). At most
// `capacity` lines wait (spark.scheduler.listenerbus.eventqueue.capacity);
// further ones are dropped with one warning per run of drops. Take()
// returns every waiting line, oldest first, waiting up to `timeout_s` for
// one when none waits: an empty list at the timeout, or at once when none
// is left after Close() (the application stopped). Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace ember::deploy {

class LiveEvents {
 public:
  LiveEvents(size_t capacity, bool active) : capacity_(capacity), active_(active) {}

  void Push(const std::string& json);
  std::vector<std::string> Take(double timeout_s);
  void Close();

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> lines_;
  bool active_;
  bool closed_ = false;
  bool dropping_ = false;  // warned about the current run of drops
};

}  // namespace ember::deploy
