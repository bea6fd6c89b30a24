#include "ember/net/server.h"

#include <spdlog/spdlog.h>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "ember/net/tcp_stream.h"

namespace ember::net {

namespace {

// After a failed accept (typically out of file descriptors) wait a little
// before trying again instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

Result<asio::ip::tcp::endpoint> ListenEndpoint(asio::io_context& io, const std::string& host,
                                               uint16_t port) {
  asio::error_code ec;
  asio::ip::address address = asio::ip::make_address(host, ec);
  if (!ec) return asio::ip::tcp::endpoint(address, port);
  asio::ip::tcp::resolver resolver(io);
  auto results = resolver.resolve(host, std::to_string(port),
                                  asio::ip::resolver_base::passive |
                                      asio::ip::resolver_base::numeric_service,
                                  ec);
  if (ec || results.empty())
    return IOError("cannot resolve " + HostPortText(host, port) + " to listen on: " +
                   (ec ? ec.message() : "no address"));
  return results.begin()->endpoint();
}

}  // namespace

class Server::Impl {
 public:
  explicit Impl(ServerOptions options) : options_(options) {}

  Status Start(const std::string& host, uint16_t port, Credentials credentials,
               ConnectionHandler on_connection);
  void Stop();
  uint16_t port() const { return port_; }
  size_t session_threads() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sessions_.size();
  }

 private:
  Status Listen(const std::string& host, uint16_t port);
  void AcceptNext();
  void StartSession(std::shared_ptr<asio::io_context> io, asio::ip::tcp::socket socket);
  void RunSession(uint64_t id, std::shared_ptr<Connection> connection);
  std::vector<std::thread> TakeFinishedLocked();

  const ServerOptions options_;
  Credentials credentials_;
  ConnectionHandler on_connection_;
  uint16_t port_ = 0;
  // The accept loop's. Declared before the acceptor so it outlives it.
  std::shared_ptr<asio::io_context> io_;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor_;
  std::unique_ptr<asio::steady_timer> retry_timer_;
  std::thread accept_thread_;

  mutable std::mutex mu_;
  bool stopping_ = false;
  uint64_t next_session_ = 0;
  std::map<uint64_t, std::thread> sessions_;  // not joined yet
  std::vector<uint64_t> finished_;            // sessions whose thread is about to exit
  std::vector<std::weak_ptr<Connection>> connections_;  // everything accepted, for Stop
};

Status Server::Impl::Start(const std::string& host, uint16_t port, Credentials credentials,
                           ConnectionHandler on_connection) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (io_ || stopping_) return Internal("a net::Server is started at most once, before Stop()");
  }
  if (credentials.secret.empty()) return InvalidArgument("a server needs a non-empty secret");
  credentials_ = std::move(credentials);
  on_connection_ = std::move(on_connection);
  io_ = std::make_shared<asio::io_context>(1);
  EMBER_RETURN_IF_ERROR(Listen(host, port));
  retry_timer_ = std::make_unique<asio::steady_timer>(*io_);
  AcceptNext();
  try {
    accept_thread_ = std::thread([this] { io_->run(); });
  } catch (const std::system_error& e) {
    return IOError(std::string("cannot start the accept thread: ") + e.what());
  }
  return Status::OK();
}

Status Server::Impl::Listen(const std::string& host, uint16_t port) {
  EMBER_ASSIGN_OR_RETURN(asio::ip::tcp::endpoint endpoint, ListenEndpoint(*io_, host, port));
  acceptor_ = std::make_unique<asio::ip::tcp::acceptor>(*io_);
  asio::error_code ec;
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) port_ = acceptor_->local_endpoint(ec).port();
  if (ec) return IOError("cannot listen on " + HostPortText(host, port) + ": " + ec.message());
  return Status::OK();
}

// Runs on the accept thread (inside io_->run()). Each connection's socket
// belongs to an io_context of its own that nobody runs (its I/O is
// synchronous): registered with the accept loop's epoll instead, every
// frame arriving on any connection woke the accept thread for nothing.
void Server::Impl::AcceptNext() {
  auto connection_io = std::make_shared<asio::io_context>(1);
  acceptor_->async_accept(*connection_io, [this, connection_io](const asio::error_code& ec,
                                                                asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      spdlog::warn("ember server on port {}: accept failed: {}", port_, ec.message());
      retry_timer_->expires_after(kAcceptRetryDelay);
      retry_timer_->async_wait([this](const asio::error_code& wait_ec) {
        if (!wait_ec) AcceptNext();
      });
      return;
    }
    StartSession(connection_io, std::move(socket));
    AcceptNext();
  });
}

void Server::Impl::StartSession(std::shared_ptr<asio::io_context> io, asio::ip::tcp::socket socket) {
  asio::error_code ec;
  asio::ip::tcp::endpoint remote = socket.remote_endpoint(ec);
  std::string peer = ec ? std::string("an unknown peer") : EndpointText(remote);
  auto connection = std::make_shared<Connection>(
      std::make_unique<TcpStream>(std::move(io), std::move(socket)), peer, options_.connection);

  std::vector<std::thread> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;  // dropping the connection closes the socket
    finished = TakeFinishedLocked();
    std::erase_if(connections_, [](const auto& weak) { return weak.expired(); });
    connections_.push_back(connection);
    uint64_t id = next_session_++;
    try {
      sessions_.emplace(id, std::thread([this, id, connection]() mutable {
                          RunSession(id, std::move(connection));
                        }));
    } catch (const std::system_error& e) {
      spdlog::warn("ember server on port {}: no thread for {}: {}", port_, peer, e.what());
      connection->Close();
    }
  }
  for (auto& thread : finished) thread.join();
}

// Runs on the session's own thread.
void Server::Impl::RunSession(uint64_t id, std::shared_ptr<Connection> connection) {
  auto deadline = std::chrono::steady_clock::now() + options_.handshake_timeout;
  Status st = connection->Authenticate(Connection::Role::kServer, credentials_, deadline);
  if (st.ok()) {
    on_connection_(connection);
  } else if (st.code() != StatusCode::kCancelled) {  // not just Stop() cutting it short
    spdlog::warn("ember server on port {}: refused a connection: {}", port_, st.message());
  }
  connection.reset();  // on_connection may have kept its own reference

  std::vector<std::thread> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished = TakeFinishedLocked();
    finished_.push_back(id);
  }
  // Those threads are past this point already, so joining them is quick.
  for (auto& thread : finished) thread.join();
}

std::vector<std::thread> Server::Impl::TakeFinishedLocked() {
  std::vector<std::thread> threads;
  for (uint64_t id : finished_) {
    auto it = sessions_.find(id);
    if (it == sessions_.end()) continue;  // Stop took it
    threads.push_back(std::move(it->second));
    sessions_.erase(it);
  }
  finished_.clear();
  return threads;
}

void Server::Impl::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  if (io_) io_->stop();  // ends the accept loop; no session starts after this
  if (accept_thread_.joinable()) accept_thread_.join();
  retry_timer_.reset();
  acceptor_.reset();  // closes the listening socket

  std::map<uint64_t, std::thread> sessions;
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard<std::mutex> lock(mu_);
    sessions.swap(sessions_);
    finished_.clear();
    for (auto& weak : connections_)
      if (auto connection = weak.lock()) open.push_back(std::move(connection));
    connections_.clear();
  }
  for (auto& connection : open) connection->Close();  // wakes handshakes and handlers
  open.clear();
  for (auto& [id, thread] : sessions) thread.join();
}

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(options)) {}
Server::~Server() { Stop(); }

Status Server::Start(const std::string& host, uint16_t port, Credentials credentials,
                     ConnectionHandler on_connection) {
  return impl_->Start(host, port, std::move(credentials), std::move(on_connection));
}

uint16_t Server::port() const { return impl_->port(); }
void Server::Stop() { impl_->Stop(); }
size_t Server::session_threads() const { return impl_->session_threads(); }

}  // namespace ember::net
