// Helpers shared by the net_*_test.cc files: raw (unauthenticated) sockets
// on 127.0.0.1, a fake server that runs a scripted handshake, a counter
// tests can wait on, and a thread count. Everything that waits has a
// generous deadline, so a bug fails a test instead of hanging it.
#pragma once

#include <dirent.h>
#include <sys/socket.h>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "ember/net/deadline_io.h"

namespace ember::net::testing {

using namespace std::chrono_literals;

inline constexpr auto kGenerous = 10s;  // for what must happen
inline const std::string kSecret = "correct horse battery staple";
inline const std::string kOtherSecret = "incorrect horse battery staple";

inline Deadline In(std::chrono::milliseconds d) { return std::chrono::steady_clock::now() + d; }

inline asio::ip::tcp::endpoint Loopback(uint16_t port) {
  return {asio::ip::make_address("127.0.0.1"), port};
}

// A plain TCP connection that skips the handshake.
inline asio::ip::tcp::socket RawConnect(asio::io_context& io, uint16_t port) {
  asio::ip::tcp::socket socket(io);
  socket.connect(Loopback(port));
  return socket;
}

// Reads and discards until the peer closes; the Status says why reading
// stopped ("the connection was closed" is what the tests want).
inline Status ReadUntilClosed(asio::ip::tcp::socket& socket, std::chrono::milliseconds within) {
  Deadline deadline = In(within);
  for (;;) {
    char byte;
    Status st = ReadExactBefore(socket, &byte, 1, deadline);
    if (!st.ok()) return st;
  }
}

// True for a received message; false at the end of the stream or on an
// error (so a failing Receive ends a test's loop instead of throwing).
inline bool Got(const Result<bool>& received) { return received.ok() && *received; }

// Counts events and lets a test wait for a number of them.
class Counter {
 public:
  void Add() {
    std::lock_guard<std::mutex> lock(mu_);
    ++count_;
    cv_.notify_all();
  }
  int value() const {
    std::lock_guard<std::mutex> lock(mu_);
    return count_;
  }
  bool WaitFor(int target, std::chrono::milliseconds within = kGenerous) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, within, [&] { return count_ >= target; });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

// A one-connection TCP server on 127.0.0.1 that runs `script` on the
// accepted socket: how tests impersonate a server without the secret.
class FakeServer {
 public:
  explicit FakeServer(std::function<void(asio::ip::tcp::socket&)> script)
      : acceptor_(io_, Loopback(0)) {
    thread_ = std::thread([this, script] {
      asio::error_code ec;
      asio::ip::tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (!ec) script(socket);
    });
  }
  ~FakeServer() {
    // Wakes the accept if no client ever came (a failing test).
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
};

// Threads of this process right now.
inline int ThreadCount() {
  int n = 0;
  if (DIR* dir = ::opendir("/proc/self/task")) {
    while (dirent* e = ::readdir(dir))
      if (e->d_name[0] != '.') ++n;
    ::closedir(dir);
  }
  return n;
}

// For conditions nobody signals (e.g. a thread exiting): check until true
// or the deadline passes.
inline bool Eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds within = kGenerous) {
  Deadline deadline = In(within);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

}  // namespace ember::net::testing
