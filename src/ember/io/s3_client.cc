#include "ember/io/s3_client.h"

#include <algorithm>
#include <ctime>

#include "ember/common/crypto.h"
#include "ember/io/http_client.h"
#include "ember/io/s3_xml.h"

namespace ember::io {

S3Client::S3Client(S3Config config, std::string bucket) : config_(std::move(config)), bucket_(std::move(bucket)) {}

std::string S3Client::config_host() const {
  return config_.path_style ? config_.endpoint_host : bucket_ + "." + config_.endpoint_host;
}

Result<S3Response> S3Client::Send(const S3Call& call) const {
  SigV4Request signing;
  signing.method = call.method;
  std::string path = "/" + UrlEncode(call.key, true);
  signing.canonical_uri = config_.path_style ? "/" + bucket_ + (call.key.empty() ? "" : path) : path;
  signing.query = call.query;
  signing.payload_sha256 = ToHex(Sha256(call.body));
  signing.headers = call.headers;
  signing.headers.emplace_back("host", config_host());
  std::string amz_date = AmzDate(std::time(nullptr));
  signing.headers.emplace_back("x-amz-date", amz_date);
  signing.headers.emplace_back("x-amz-content-sha256", signing.payload_sha256);
  if (!config_.credentials.session_token.empty())
    signing.headers.emplace_back("x-amz-security-token", config_.credentials.session_token);

  HttpRequest request;
  request.method = call.method;
  std::string query = CanonicalQuery(call.query);
  request.url = config_.endpoint_scheme + "://" + config_host() + signing.canonical_uri + (query.empty() ? "" : "?" + query);
  request.headers = signing.headers;
  request.headers.emplace_back("Authorization", SignV4(signing, {amz_date, config_.region, "s3"}, config_.credentials));
  request.body = call.body;
  request.connect_timeout_s = std::max(1L, config_.connect_timeout_ms / 1000);
  request.stall_timeout_s = std::max(1L, config_.idle_timeout_ms / 1000);
  auto response = SendHttp(request);
  if (!response.ok())
    return IOError(call.uri + ": cannot reach S3 endpoint " + config_.endpoint + ": " + response.status().message());
  return S3Response{response->status, std::move(response->headers), std::move(response->body)};
}

Status ErrorFor(const std::string& uri, const S3Response& response) {
  S3ErrorBody error = ParseErrorBody(response.body);
  std::string what = error.code.empty() ? "HTTP " + std::to_string(response.status)
                                        : error.code + ": " + error.message + " (HTTP " + std::to_string(response.status) + ")";
  std::string message = uri + ": " + what;
  // A missing bucket is a setting to fix, not an absent input: kept apart
  // so listings and globs report it rather than "matches 0 files".
  bool absent = response.status == 404 && error.code != "NoSuchBucket";
  return absent ? NotFound(message) : IOError(message);
}

}  // namespace ember::io
