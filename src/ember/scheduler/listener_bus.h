// ListenerBus: delivers listener events (listener_events.h) to the
// application's listeners — the event log writer and the live UI's queue —
// off the threads that post them, as Spark's LiveListenerBus does.
//
// Contract: Post() is thread-safe, never blocks and never fails: an event
// posted while `capacity` events wait (spark.scheduler.listenerbus.
// eventqueue.capacity) is dropped, with one warning naming the setting at
// the first drop and a count at Stop(). One dispatch thread serialises each
// event once (event_json.h) and hands it, in posting order, to every
// listener (added before the first Post); listeners run one at a time and
// must not post nor stop the bus. Stop() delivers what was posted before
// it, then joins; later posts are ignored. WaitUntilEmpty() returns once
// everything posted so far was delivered.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ember/scheduler/listener_events.h"

namespace ember::scheduler {

class ListenerBus {
 public:
  // `json` is the event as one line of Spark's event log, no newline.
  using Listener = std::function<void(const ListenerEvent& event, const std::string& json)>;

  explicit ListenerBus(size_t capacity = 10000);
  ~ListenerBus() { Stop(); }
  ListenerBus(const ListenerBus&) = delete;
  ListenerBus& operator=(const ListenerBus&) = delete;

  void AddListener(Listener listener);
  void Post(ListenerEvent event);
  void WaitUntilEmpty();
  void Stop();
  int64_t dropped() const;

 private:
  void Run();

  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;       // the dispatch thread waits for events
  std::condition_variable idle_cv_;  // WaitUntilEmpty waits for delivery
  std::deque<ListenerEvent> queue_;
  std::vector<Listener> listeners_;  // appended only; read by the dispatch thread under mu_
  bool delivering_ = false;
  bool stopping_ = false;
  bool stopped_ = false;  // the dispatch thread was joined
  int64_t dropped_ = 0;
  std::thread thread_;
};

}  // namespace ember::scheduler
