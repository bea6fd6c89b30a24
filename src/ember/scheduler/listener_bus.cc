#include "ember/scheduler/listener_bus.h"

#include <spdlog/spdlog.h>

#include "ember/scheduler/event_json.h"

namespace ember::scheduler {

ListenerBus::ListenerBus(size_t capacity) : capacity_(capacity) {
  thread_ = std::thread([this] { Run(); });
}

void ListenerBus::AddListener(Listener listener) {
  std::lock_guard<std::mutex> lock(mu_);
  listeners_.push_back(std::move(listener));
}

void ListenerBus::Post(ListenerEvent event) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    if (queue_.size() >= capacity_) {
      if (dropped_++ == 0)
        spdlog::warn(
            "dropping listener events: {} are waiting to be delivered "
            "(spark.scheduler.listenerbus.eventqueue.capacity); the event log and UI will miss some",
            capacity_);
      return;
    }
    queue_.push_back(std::move(event));
  }
  cv_.notify_one();
}

void ListenerBus::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, everything delivered
    ListenerEvent event = std::move(queue_.front());
    queue_.pop_front();
    delivering_ = true;
    std::vector<Listener> listeners = listeners_;
    lock.unlock();
    std::string json = ToJson(event);
    for (const auto& l : listeners) l(event, json);
    lock.lock();
    delivering_ = false;
    if (queue_.empty()) idle_cv_.notify_all();
  }
}

void ListenerBus::WaitUntilEmpty() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [this] { return (queue_.empty() && !delivering_) || stopped_; });
}

void ListenerBus::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  idle_cv_.notify_all();
  if (dropped_ > 0) spdlog::warn("{} listener events were dropped in all", dropped_);
}

int64_t ListenerBus::dropped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}

}  // namespace ember::scheduler
