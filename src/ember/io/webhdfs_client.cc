#include "ember/io/webhdfs_client.h"

#include "ember/io/webhdfs_protocol.h"

namespace ember::io {

WebHdfsClient::WebHdfsClient(std::string uri_prefix, std::string http_address, std::string user)
    : uri_prefix_(std::move(uri_prefix)), http_address_(std::move(http_address)), user_(std::move(user)) {}

Result<HttpResponse> WebHdfsClient::Send(HttpRequest request, const std::string& path) const {
  auto response = SendHttp(request);
  if (!response.ok())
    return IOError(Uri(path) + ": HDFS (WebHDFS namenode " + http_address_ + ") unreachable: " +
                   response.status().message());
  if (response->status >= 400) return ErrorFromAnswer(response->status, response->body, Uri(path));
  return response;
}

Result<HttpResponse> WebHdfsClient::Call(const std::string& method, const std::string& path, const std::string& op,
                                         const std::string& params) const {
  HttpRequest request;
  request.method = method;
  request.url = WebHdfsUrl(http_address_, path, op, user_, params);
  return Send(std::move(request), path);
}

Result<std::string> WebHdfsClient::Read(const std::string& path, int64_t offset, int64_t length) const {
  HttpRequest request;
  request.url = WebHdfsUrl(http_address_, path, "OPEN", user_,
                           "offset=" + std::to_string(offset) + "&length=" + std::to_string(length));
  request.follow_redirects = true;
  EMBER_ASSIGN_OR_RETURN(HttpResponse response, Send(std::move(request), path));
  return std::move(response.body);
}

Status WebHdfsClient::Upload(const std::string& path, int fd, int64_t size) const {
  // Two steps, as WebHDFS asks: the namenode only names a datanode (307);
  // sending the data there directly avoids sending it twice.
  EMBER_ASSIGN_OR_RETURN(HttpResponse redirect, Call("PUT", path, "CREATE", "overwrite=false"));
  if (redirect.location.empty())
    return IOError(Uri(path) + ": WebHDFS CREATE answered HTTP " + std::to_string(redirect.status) +
                   " without a datanode Location");
  HttpRequest request;
  request.method = "PUT";
  request.url = redirect.location;
  request.upload_fd = fd;
  request.upload_size = size;
  return Send(std::move(request), path).status();
}

}  // namespace ember::io
