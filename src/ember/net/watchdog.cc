#include "ember/net/watchdog.h"

namespace ember::net {

Watchdog::Watchdog() : thread_([this] { Loop(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Watchdog::Guard Watchdog::Watch(std::shared_ptr<Connection> conn, std::chrono::milliseconds timeout) {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t id = next_id_++;
  entries_[id] = Entry{std::chrono::steady_clock::now() + timeout, std::move(conn), false};
  cv_.notify_all();
  return Guard(this, id);
}

Watchdog::Guard::~Guard() {
  if (!dog_) return;
  std::lock_guard<std::mutex> lock(dog_->mu_);
  dog_->entries_.erase(id_);
}

bool Watchdog::Guard::fired() const {
  if (!dog_) return false;
  std::lock_guard<std::mutex> lock(dog_->mu_);
  auto it = dog_->entries_.find(id_);
  return it != dog_->entries_.end() && it->second.fired;
}

void Watchdog::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    auto now = std::chrono::steady_clock::now();
    auto next = std::chrono::steady_clock::time_point::max();
    for (auto& [id, e] : entries_) {
      if (e.fired) continue;
      if (e.deadline <= now) {
        e.fired = true;
        e.conn->Close();  // thread-safe, and only shuts the socket down: never blocks
      } else {
        next = std::min(next, e.deadline);
      }
    }
    if (next == std::chrono::steady_clock::time_point::max()) cv_.wait(lock);
    else cv_.wait_until(lock, next);
  }
}

}  // namespace ember::net
