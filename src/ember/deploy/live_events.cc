#include "ember/deploy/live_events.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace ember::deploy {

void LiveEvents::Push(const std::string& json) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!active_ || closed_) return;
    if (lines_.size() >= capacity_) {
      if (!dropping_)
        spdlog::warn("dropping listener events for the live UI: {} are waiting to be read "
                     "(spark.scheduler.listenerbus.eventqueue.capacity)",
                     capacity_);
      dropping_ = true;
      return;
    }
    dropping_ = false;
    lines_.push_back(json);
  }
  cv_.notify_all();
}

std::vector<std::string> LiveEvents::Take(double timeout_s) {
  std::unique_lock<std::mutex> lock(mu_);
  active_ = true;
  auto timeout = std::chrono::duration<double>(std::max(0.0, timeout_s));
  cv_.wait_for(lock, timeout, [this] { return !lines_.empty() || closed_; });
  std::vector<std::string> out(std::make_move_iterator(lines_.begin()),
                               std::make_move_iterator(lines_.end()));
  lines_.clear();
  return out;
}

void LiveEvents::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

}  // namespace ember::deploy
