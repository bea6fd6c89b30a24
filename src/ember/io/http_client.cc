#include "ember/io/http_client.h"

#include <curl/curl.h>
#include <errno.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
#include <mutex>
#include <strings.h>

namespace ember::io {
namespace {

size_t AppendBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t ReadUpload(char* buf, size_t size, size_t n, void* fd) {
  int from = *static_cast<int*>(fd);
  if (from < 0) return 0;  // a PUT without a body
  ssize_t got = ::read(from, buf, size * n);
  return got < 0 ? CURL_READFUNC_ABORT : static_cast<size_t>(got);
}

size_t KeepLocation(char* line, size_t size, size_t n, void* out) {
  std::string header(line, size * n);
  static const std::string kName = "location:";
  if (header.size() > kName.size() && strncasecmp(header.c_str(), kName.c_str(), kName.size()) == 0) {
    size_t begin = header.find_first_not_of(" \t", kName.size());
    size_t end = header.find_last_not_of("\r\n \t");
    if (begin != std::string::npos && end >= begin)
      *static_cast<std::string*>(out) = header.substr(begin, end - begin + 1);
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
  int fd = request.upload_fd;
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, request.connect_timeout_s);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, request.stall_timeout_s);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, KeepLocation);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.location);
  curl_slist* headers = curl_slist_append(nullptr, "Expect:");  // no 100-continue round trip
  if (request.method == "PUT") {
    headers = curl_slist_append(headers, "Content-Type: application/octet-stream");
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &fd);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(fd < 0 ? 0 : request.upload_size));
  }
  if (request.method != "GET" && request.method != "PUT")
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
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
