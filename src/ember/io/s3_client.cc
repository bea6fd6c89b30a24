#include "ember/io/s3_client.h"

#include <curl/curl.h>

#include <cctype>
#include <ctime>
#include <memory>
#include <mutex>

#include "ember/common/crypto.h"
#include "ember/io/s3_xml.h"

namespace ember::io {
namespace {

struct CurlHandleDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};

// This thread's handle, reset per request so connections are reused.
CURL* ThreadHandle() {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  thread_local std::unique_ptr<CURL, CurlHandleDeleter> handle(curl_easy_init());
  curl_easy_reset(handle.get());
  return handle.get();
}

size_t OnBody(char* data, size_t size, size_t n, void* out) {
  static_cast<S3Response*>(out)->body.append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* out) {
  std::string_view line(data, size * n);
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
    static_cast<S3Response*>(out)->headers[name] = std::string(value);
  }
  return size * n;
}

struct CurlHeaderList {
  curl_slist* list = nullptr;
  ~CurlHeaderList() { curl_slist_free_all(list); }
  void Add(const std::string& line) { list = curl_slist_append(list, line.c_str()); }
};

}  // namespace

S3Client::S3Client(S3Config config, std::string bucket) : config_(std::move(config)), bucket_(std::move(bucket)) {}

std::string S3Client::config_host() const {
  return config_.path_style ? config_.endpoint_host : bucket_ + "." + config_.endpoint_host;
}

Result<S3Response> S3Client::Send(const S3Call& call) const {
  SigV4Request request;
  request.method = call.method;
  std::string path = "/" + UriEncode(call.key, false);
  request.canonical_uri = config_.path_style ? "/" + bucket_ + (call.key.empty() ? "" : path) : path;
  request.query = call.query;
  request.payload_sha256 = ToHex(Sha256(call.body));
  request.headers = call.headers;
  request.headers.emplace_back("host", config_host());
  std::string amz_date = AmzDate(std::time(nullptr));
  request.headers.emplace_back("x-amz-date", amz_date);
  request.headers.emplace_back("x-amz-content-sha256", request.payload_sha256);
  if (!config_.credentials.session_token.empty())
    request.headers.emplace_back("x-amz-security-token", config_.credentials.session_token);
  SigV4Scope scope{amz_date, config_.region, "s3"};
  CurlHeaderList headers;
  for (const auto& [name, value] : request.headers) headers.Add(name + ": " + value);
  headers.Add("Authorization: " + SignV4(request, scope, config_.credentials));
  headers.Add("Expect:");  // no 100-continue round trip before a part
  if (!call.body.empty()) headers.Add("Content-Type: application/octet-stream");

  std::string query = CanonicalQuery(call.query);
  std::string url = config_.endpoint_scheme + "://" + config_host() + request.canonical_uri + (query.empty() ? "" : "?" + query);
  return Perform(url, headers.list, call);
}

Result<S3Response> S3Client::Perform(const std::string& url, curl_slist* headers, const S3Call& call) const {
  S3Response response;
  CURL* h = ThreadHandle();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, config_.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, std::max(1L, config_.idle_timeout_ms / 1000));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response);
  if (call.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (call.method != "GET") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, call.method.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, call.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
  }
  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK)
    return IOError(call.uri + ": cannot reach S3 endpoint " + config_.endpoint + ": " + curl_easy_strerror(rc));
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
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
