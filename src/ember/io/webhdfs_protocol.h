// WebHDFS's REST protocol without the network: where a path's requests go
// and what the namenode's JSON answers mean.
//
// Contract:
// - NamenodeHttpAddress: the host:port serving WebHDFS for a URI's scheme
//   and authority. "webhdfs://h:p" is h:p itself. "hdfs://h:p" names the
//   namenode's RPC port, which speaks no HTTP: its WebHDFS address is
//   Hadoop's dfs.namenode.http-address when set, else h with Hadoop 3's
//   default HTTP port 9870. InvalidArgument for another scheme or an
//   empty host.
// - WebHdfsUrl: the request URL for one operation on an absolute HDFS path
//   ("/d/a b" is percent-encoded), with user.name and extra query
//   parameters ("offset=0&length=10", already encoded).
// - Parse*: the answers of GETFILESTATUS ({"FileStatus":{...}}),
//   LISTSTATUS ({"FileStatuses":{"FileStatus":[...]}}) and the boolean
//   ones (MKDIRS, RENAME, DELETE: {"boolean":true}); a body that is not the
//   expected JSON is IOError quoting its start.
// - ErrorFromAnswer: a failed request's Status, "<what>: <server message>".
//   The RemoteException's class picks the code (FileNotFoundException ->
//   NotFound, FileAlreadyExistsException -> AlreadyExists, else IOError);
//   a body that is no RemoteException is quoted with the HTTP status.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ember/common/status.h"

namespace ember::io {

struct WebHdfsEntry {
  std::string name;  // pathSuffix: the child's name; empty for a status of the path itself
  int64_t length = 0;
  int64_t block_size = 0;
  bool is_dir = false;
};

Result<std::string> NamenodeHttpAddress(const std::string& scheme, const std::string& authority,
                                        const std::string& configured_http_address);
std::string WebHdfsUrl(const std::string& http_address, const std::string& path, const std::string& op,
                       const std::string& user, const std::string& params = "");

Result<WebHdfsEntry> ParseFileStatus(const std::string& body);
Result<std::vector<WebHdfsEntry>> ParseFileStatuses(const std::string& body);
Result<bool> ParseBoolean(const std::string& body);

Status ErrorFromAnswer(long http_status, const std::string& body, const std::string& what);

}  // namespace ember::io
