// HTTP exchanges over libcurl: the transport of file systems reached over
// REST (WebHDFS, S3).
//
// Contract: SendHttp performs one request and returns the server's answer
// whatever its status code (interpreting 4xx/5xx is the caller's job);
// only transport failures are errors: IOError naming the request's host and
// port and curl's reason ("Connection refused", "Timeout was reached").
// Connecting gives up after `connect_timeout_s`; a transfer that moves no
// byte for `stall_timeout_s` is abandoned, so a dead or wedged server gives
// an error, never a hang. Safe to call from any thread; each thread reuses
// its own connection cache.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ember/common/status.h"

namespace ember::io {

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD, PUT, POST or DELETE
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given
  bool follow_redirects = false;
  // A PUT's body, read from this file descriptor (from its offset 0), or
  // when upload_fd is -1 the bytes of `body` (a PUT's or POST's; kept alive
  // by the caller).
  int upload_fd = -1;
  int64_t upload_size = 0;
  std::string_view body;
  long connect_timeout_s = 20;
  long stall_timeout_s = 60;
};

struct HttpResponse {
  long status = 0;
  std::string location;  // the Location header, for redirects
  std::map<std::string, std::string> headers;  // every header, names lowercased
  std::string body;
};

Result<HttpResponse> SendHttp(const HttpRequest& request);

// Percent-encodes everything but RFC 3986's unreserved characters and, when
// `keep_slash`, '/': for path segments and query values.
std::string UrlEncode(const std::string& text, bool keep_slash);

}  // namespace ember::io
