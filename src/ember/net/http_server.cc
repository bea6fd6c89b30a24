#include "ember/net/http_server.h"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <atomic>
#include <chrono>
#include <thread>

#include "ember/net/deadline_io.h"
#include "ember/net/tcp_stream.h"

namespace ember::net {

namespace {

constexpr size_t kMaxHead = 16 << 10;
constexpr std::chrono::seconds kRequestTimeout{5};

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    default: return "Error";
  }
}

// Reads the request head: everything up to the blank line.
Result<std::string> ReadHead(asio::ip::tcp::socket& socket, Deadline deadline) {
  std::string head;
  char c;
  while (head.size() < kMaxHead) {
    EMBER_RETURN_IF_ERROR(ReadExactBefore(socket, &c, 1, deadline));
    head.push_back(c);
    if (head.size() >= 4 && head.compare(head.size() - 4, 4, "\r\n\r\n") == 0) return head;
  }
  return InvalidArgument("request head over 16 KiB");
}

}  // namespace

class HttpServer::Impl {
 public:
  ~Impl() { Stop(); }

  Status Start(const std::string& host, uint16_t port, Handler handler) {
    handler_ = std::move(handler);
    asio::error_code ec;
    auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
    if (ec) return InvalidArgument("cannot listen on '" + host + "': not an IP address");
    acceptor_ = std::make_unique<asio::ip::tcp::acceptor>(io_);
    asio::ip::tcp::endpoint endpoint(address, port);
    acceptor_->open(endpoint.protocol(), ec);
    if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(endpoint, ec);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return IOError("cannot listen on " + HostPortText(host, port) + ": " + ec.message());
    port_ = acceptor_->local_endpoint().port();
    thread_ = std::thread([this] { Loop(); });
    return Status::OK();
  }

  void Stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    if (acceptor_) acceptor_->close();
  }

  uint16_t port() const { return port_; }

 private:
  // Polls so that Stop() is seen within 100 ms without closing a socket
  // another thread is blocked on.
  void Loop() {
    while (!stopping_) {
      pollfd p{acceptor_->native_handle(), POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      asio::error_code ec;
      asio::ip::tcp::socket socket(io_);
      acceptor_->accept(socket, ec);
      if (!ec) Answer(socket);
    }
  }

  void Answer(asio::ip::tcp::socket& socket) {
    auto deadline = std::chrono::steady_clock::now() + kRequestTimeout;
    auto head = ReadHead(socket, deadline);
    if (!head.ok()) return;  // a client that went away or never finished
    HttpResponse response;
    size_t sp1 = head->find(' '), sp2 = head->find(' ', sp1 + 1);
    std::string method = head->substr(0, sp1);
    std::string path = sp1 == std::string::npos ? "" : head->substr(sp1 + 1, sp2 - sp1 - 1);
    path = path.substr(0, path.find('?'));
    if (method != "GET") {
      response = {405, "text/plain", "only GET is served\n"};
    } else {
      response = handler_(path);
    }
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + Reason(response.status) +
                      "\r\nContent-Type: " + response.content_type +
                      "\r\nContent-Length: " + std::to_string(response.body.size()) +
                      "\r\nConnection: close\r\n\r\n" + response.body;
    (void)WriteAllBefore(socket, out.data(), out.size(), deadline);
  }

  Handler handler_;
  asio::io_context io_;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

HttpServer::HttpServer() : impl_(std::make_unique<Impl>()) {}
HttpServer::~HttpServer() = default;
Status HttpServer::Start(const std::string& host, uint16_t port, Handler handler) {
  return impl_->Start(host, port, std::move(handler));
}
uint16_t HttpServer::port() const { return impl_->port(); }
void HttpServer::Stop() { impl_->Stop(); }

}  // namespace ember::net
