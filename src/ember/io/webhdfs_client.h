// WebHdfsClient: one HDFS namenode's WebHDFS operations as calls, for the
// file system and its streams (webhdfs_file_system.h, webhdfs_streams.h).
//
// Contract: paths are absolute HDFS paths ("/d/a.txt"); errors name the
// user's URI (Uri(path), e.g. "hdfs://nn:8020/d/a.txt") and carry the
// server's RemoteException message, with its code (NotFound,
// AlreadyExists, else IOError). A namenode or datanode that cannot be
// reached is IOError naming its address and the reason, after at most the
// connect timeout: never a hang. Thread-safe (immutable after construction).
#pragma once

#include <cstdint>
#include <string>

#include "ember/common/status.h"
#include "ember/io/http_client.h"

namespace ember::io {

class WebHdfsClient {
 public:
  // `uri_prefix` is "scheme://authority" as the user wrote it;
  // `http_address` the namenode's WebHDFS host:port.
  WebHdfsClient(std::string uri_prefix, std::string http_address, std::string user);

  std::string Uri(const std::string& path) const { return uri_prefix_ + path; }
  const std::string& uri_prefix() const { return uri_prefix_; }
  const std::string& http_address() const { return http_address_; }

  // One request to the namenode; answers 2xx/3xx, else the error.
  Result<HttpResponse> Call(const std::string& method, const std::string& path, const std::string& op,
                            const std::string& params = "") const;
  // Up to `length` bytes at `offset` (OPEN, following the datanode redirect).
  Result<std::string> Read(const std::string& path, int64_t offset, int64_t length) const;
  // Creates `path` (not overwriting) with `size` bytes read from `fd`:
  // CREATE at the namenode, then the data PUT to the datanode it names.
  Status Upload(const std::string& path, int fd, int64_t size) const;

 private:
  Result<HttpResponse> Send(HttpRequest request, const std::string& path) const;

  std::string uri_prefix_, http_address_, user_;
};

}  // namespace ember::io
