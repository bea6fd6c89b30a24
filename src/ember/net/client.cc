#include "ember/net/client.h"

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <optional>

#include "ember/net/tcp_stream.h"

namespace ember::net {

namespace {

// Asio's synchronous connect has no timeout, so connect asynchronously on
// a private io_context and run it only until the deadline.
Status ConnectBefore(asio::io_context& io, asio::ip::tcp::socket& socket,
                     const asio::ip::tcp::resolver::results_type& endpoints,
                     std::chrono::steady_clock::time_point deadline, const std::string& target,
                     std::chrono::milliseconds timeout) {
  std::optional<asio::error_code> outcome;
  asio::async_connect(socket, endpoints,
                      [&outcome](const asio::error_code& ec, const asio::ip::tcp::endpoint&) {
                        outcome = ec;
                      });
  io.run_until(deadline);
  if (!outcome) {
    // Cancel, and let the handler run before `outcome` goes out of scope.
    asio::error_code ignored;
    socket.close(ignored);
    io.run();
    return IOError("connecting to " + target + " timed out after " +
                   std::to_string(timeout.count()) + " ms");
  }
  if (*outcome) return IOError("cannot connect to " + target + ": " + outcome->message());
  return Status::OK();
}

}  // namespace

Result<std::shared_ptr<Connection>> Connect(const std::string& host, uint16_t port,
                                            const Credentials& credentials,
                                            std::chrono::milliseconds timeout,
                                            ConnectionOptions options) {
  std::string target = HostPortText(host, port);
  if (credentials.secret.empty())
    return InvalidArgument("connecting to " + target + " needs a non-empty secret");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto io = std::make_shared<asio::io_context>(1);

  asio::error_code ec;
  asio::ip::tcp::resolver resolver(*io);
  auto endpoints = resolver.resolve(host, std::to_string(port),
                                    asio::ip::resolver_base::numeric_service, ec);
  if (ec) return IOError("cannot resolve " + target + ": " + ec.message());

  asio::ip::tcp::socket socket(*io);
  EMBER_RETURN_IF_ERROR(ConnectBefore(*io, socket, endpoints, deadline, target, timeout));
  auto connection = std::make_shared<Connection>(
      std::make_unique<TcpStream>(io, std::move(socket)), target, options);
  EMBER_RETURN_IF_ERROR(connection->Authenticate(Connection::Role::kClient, credentials, deadline));
  return connection;
}

}  // namespace ember::net
