// HttpServer: a small HTTP/1.1 server for read-only status pages (the
// master's /json). No authentication and no TLS: serve nothing secret.
//
// Contract: Start binds host:port (port 0 picks a free one; port() says
// which) and answers each GET on one thread of its own, one request per
// connection ("Connection: close"): the handler gets the path (query
// string removed) and returns the status code, content type and body.
// Requests that are not GET get 405; a request whose head is not complete
// within 5 s or is over 16 KiB is dropped, so a slow client delays others
// by at most that. Stop() closes the listener and joins the thread; the
// destructor calls it. Start/Stop/port() from one owning thread; the
// handler runs on the server's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ember/common/status.h"

namespace ember::net {

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const std::string& path)>;

  HttpServer();
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  Status Start(const std::string& host, uint16_t port, Handler handler);
  uint16_t port() const;
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ember::net
