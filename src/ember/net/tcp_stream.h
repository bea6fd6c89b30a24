// TcpStream: a connected Asio TCP socket together with the io_context it
// belongs to, which must outlive it. Internal to net/: it is how Server
// and Connect hand a socket to a Connection without putting Asio into
// connection.h.
//
// Contract: members are destroyed socket first, then (when no other
// stream or server holds it) the io_context. EndpointText formats an
// endpoint for messages: "127.0.0.1:7077", "[::1]:7077". Thread-compatible.
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <utility>

namespace ember::net {

struct TcpStream {
  TcpStream(std::shared_ptr<asio::io_context> io, asio::ip::tcp::socket socket)
      : io_context(std::move(io)), socket(std::move(socket)) {}

  std::shared_ptr<asio::io_context> io_context;  // declared first: outlives the socket
  asio::ip::tcp::socket socket;
};

inline std::string HostPortText(const std::string& host, uint16_t port) {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

inline std::string EndpointText(const asio::ip::tcp::endpoint& endpoint) {
  return HostPortText(endpoint.address().to_string(), endpoint.port());
}

}  // namespace ember::net
