#include "ember/io/http_client.h"

#include <curl/curl.h>
#include <errno.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>

namespace ember::io {
namespace {

size_t AppendBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// A PUT's body: a file descriptor's bytes, or else those of `data`.
struct Upload {
  int fd;
  std::string_view data;
};

size_t ReadUpload(char* buf, size_t size, size_t n, void* source) {
  auto* upload = static_cast<Upload*>(source);
  if (upload->fd < 0) {
    size_t k = std::min(size * n, upload->data.size());
    std::memcpy(buf, upload->data.data(), k);
    upload->data.remove_prefix(k);
    return k;
  }
  ssize_t got = ::read(upload->fd, buf, size * n);
  return got < 0 ? CURL_READFUNC_ABORT : static_cast<size_t>(got);
}

size_t KeepHeader(char* line, size_t size, size_t n, void* out) {
  std::string header(line, size * n);
  size_t colon = header.find(':');
  if (colon != std::string::npos) {
    std::string name = header.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t begin = header.find_first_not_of(" \t", colon + 1);
    size_t end = header.find_last_not_of("\r\n \t");
    (*static_cast<std::map<std::string, std::string>*>(out))[name] =
        begin != std::string::npos && end >= begin ? header.substr(begin, end - begin + 1) : "";
  }
  return size * n;
}

// One handle per thread: curl_easy_reset keeps its connection cache, so a
// task's consecutive requests to one server reuse the connection.
CURL* ThreadHandle() {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  struct Handle {
    CURL* curl = curl_easy_init();
    ~Handle() { curl_easy_cleanup(curl); }
  };
  thread_local Handle handle;
  curl_easy_reset(handle.curl);
  return handle.curl;
}

// The method and, for PUT and POST, where the body comes from.
void SetMethod(CURL* curl, const HttpRequest& request, Upload* upload) {
  if (request.method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(curl, CURLOPT_READDATA, upload);
    int64_t size = upload->fd < 0 ? static_cast<int64_t>(upload->data.size()) : request.upload_size;
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
  } else if (request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
}

// "http://host:port" of `url` (no path or query), for error messages.
std::string Origin(const std::string& url) {
  size_t start = url.find("://");
  size_t end = url.find('/', start == std::string::npos ? 0 : start + 3);
  return url.substr(0, end);
}

}  // namespace

Result<HttpResponse> SendHttp(const HttpRequest& request) {
  if (request.upload_fd >= 0 && ::lseek(request.upload_fd, 0, SEEK_SET) != 0)
    return ErrnoError("seek", "upload buffer", errno);
  CURL* curl = ThreadHandle();
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = "";
  Upload upload{request.upload_fd, request.body};
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, request.connect_timeout_s);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, request.stall_timeout_s);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, KeepHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_slist* headers = curl_slist_append(nullptr, "Expect:");  // no 100-continue round trip
  if (request.method == "PUT" || request.method == "POST")
    headers = curl_slist_append(headers, "Content-Type: application/octet-stream");
  for (const auto& [name, value] : request.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
  SetMethod(curl, request, &upload);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  if (auto it = response.headers.find("location"); it != response.headers.end()) response.location = it->second;
  if (code != CURLE_OK) {
    std::string reason = error[0] ? error : curl_easy_strerror(code);
    long os_errno = 0;  // "Connection refused" says more than curl's "Couldn't connect"
    if (curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno) == CURLE_OK && os_errno != 0)
      reason += std::string(" (") + std::strerror(static_cast<int>(os_errno)) + ")";
    return IOError(request.method + " " + Origin(request.url) + " failed: " + reason);
  }
  return response;
}

std::string UrlEncode(const std::string& text, bool keep_slash) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace ember::io
