// One signed HTTP request to an S3 bucket (over http_client.h).
//
// Contract: Send builds the URL (path-style "endpoint/bucket/key" or
// virtual-host "bucket.endpoint/key"), signs the request with SigV4
// (payload hashed, session token included when set) and returns the
// response whatever its HTTP status; only a transport failure (endpoint
// unreachable, timed out) is an error, an IOError naming `call.uri` and
// the endpoint. ErrorFor turns a non-2xx response into a Status naming the
// path and the server's Code and Message (404 -> NotFound, except
// NoSuchBucket: IOError, a setting to fix rather than an absent input).
// Neither ever puts a credential in a message. Thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "ember/common/status.h"
#include "ember/io/s3_config.h"
#include "ember/io/sigv4.h"

namespace ember::io {

struct S3Call {
  std::string method = "GET";  // GET HEAD PUT POST DELETE
  std::string key{};           // object key; "" addresses the bucket
  HttpFields query{};          // raw names and values
  HttpFields headers{};        // extra headers (Range, x-amz-copy-source), signed
  std::string_view body{};     // request body for PUT and POST
  std::string uri{};           // the s3a:// path errors name
};

struct S3Response {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  bool ok() const { return status >= 200 && status < 300; }
};

class S3Client {
 public:
  S3Client(S3Config config, std::string bucket);
  Result<S3Response> Send(const S3Call& call) const;
  const S3Config& config() const { return config_; }

 private:
  std::string config_host() const;
  S3Config config_;
  std::string bucket_;
};

Status ErrorFor(const std::string& uri, const S3Response& response);

}  // namespace ember::io
