// Watchdog: bounds blocking exchanges on a Connection, which has no
// timeouts of its own — a peer whose link went down mid-reply would
// otherwise hold the reader forever.
//
// Contract: Watch(conn, timeout) returns a guard; if the guard still
// exists `timeout` later, the watchdog closes `conn` (Connection::Close
// unblocks a blocked Send or Receive, which then fails) and the guard's
// fired() turns true. Destroying the guard in time disarms it. One
// thread per Watchdog, sleeping until the earliest deadline; Watch and
// guard destruction are thread-safe. A Watchdog must outlive its guards.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "ember/net/connection.h"

namespace ember::net {

class Watchdog {
 public:
  class Guard {
   public:
    Guard(Guard&& other) noexcept : dog_(other.dog_), id_(other.id_) { other.dog_ = nullptr; }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard();
    bool fired() const;

   private:
    friend class Watchdog;
    Guard(Watchdog* dog, uint64_t id) : dog_(dog), id_(id) {}
    Watchdog* dog_;
    uint64_t id_;
  };

  Watchdog();
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  Guard Watch(std::shared_ptr<Connection> conn, std::chrono::milliseconds timeout);

 private:
  struct Entry {
    std::chrono::steady_clock::time_point deadline;
    std::shared_ptr<Connection> conn;
    bool fired = false;
  };
  void Loop();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  uint64_t next_id_ = 0;
  std::map<uint64_t, Entry> entries_;
  std::thread thread_;  // last: starts once the members it uses exist
};

}  // namespace ember::net
