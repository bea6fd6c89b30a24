#include "ember/io/webhdfs_protocol.h"

#include <nlohmann/json.hpp>

#include "ember/io/http_client.h"

namespace ember::io {
namespace {

using nlohmann::json;

constexpr const char* kDefaultHttpPort = "9870";  // Hadoop 3's dfs.namenode.http-address port

Status NotJson(const std::string& body, const std::string& expected) {
  return IOError("unexpected WebHDFS answer (expected " + expected + "): " + body.substr(0, 200));
}

Result<json> ParseObject(const std::string& body, const std::string& key) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains(key)) return NotJson(body, key);
  return doc[key];
}

Result<WebHdfsEntry> EntryOf(const json& status, const std::string& body) {
  if (!status.is_object() || !status.contains("type")) return NotJson(body, "FileStatus");
  WebHdfsEntry entry;
  entry.name = status.value("pathSuffix", "");
  entry.length = status.value("length", int64_t{0});
  entry.block_size = status.value("blockSize", int64_t{0});
  entry.is_dir = status["type"] == "DIRECTORY";
  return entry;
}

}  // namespace

Result<std::string> NamenodeHttpAddress(const std::string& scheme, const std::string& authority,
                                        const std::string& configured_http_address) {
  std::string host = authority.substr(0, authority.rfind(':'));
  if (authority.empty() || host.empty())
    return InvalidArgument(scheme + " URI without a namenode host: " + scheme + "://" + authority);
  if (scheme == "webhdfs") return authority;
  if (scheme != "hdfs") return InvalidArgument("not an HDFS scheme: " + scheme);
  if (!configured_http_address.empty()) return configured_http_address;
  return host + ":" + kDefaultHttpPort;
}

std::string WebHdfsUrl(const std::string& http_address, const std::string& path, const std::string& op,
                       const std::string& user, const std::string& params) {
  std::string url = "http://" + http_address + "/webhdfs/v1" + UrlEncode(path.empty() ? "/" : path, true) +
                    "?op=" + op + "&user.name=" + UrlEncode(user, false);
  return params.empty() ? url : url + "&" + params;
}

Result<WebHdfsEntry> ParseFileStatus(const std::string& body) {
  EMBER_ASSIGN_OR_RETURN(json status, ParseObject(body, "FileStatus"));
  return EntryOf(status, body);
}

Result<std::vector<WebHdfsEntry>> ParseFileStatuses(const std::string& body) {
  EMBER_ASSIGN_OR_RETURN(json statuses, ParseObject(body, "FileStatuses"));
  if (!statuses.is_object() || !statuses.contains("FileStatus") || !statuses["FileStatus"].is_array())
    return NotJson(body, "FileStatuses.FileStatus[]");
  std::vector<WebHdfsEntry> entries;
  for (const json& status : statuses["FileStatus"]) {
    EMBER_ASSIGN_OR_RETURN(WebHdfsEntry entry, EntryOf(status, body));
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<bool> ParseBoolean(const std::string& body) {
  EMBER_ASSIGN_OR_RETURN(json value, ParseObject(body, "boolean"));
  if (!value.is_boolean()) return NotJson(body, "boolean");
  return value.get<bool>();
}

Status ErrorFromAnswer(long http_status, const std::string& body, const std::string& what) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("RemoteException") || !doc["RemoteException"].is_object())
    return IOError(what + ": HTTP " + std::to_string(http_status) + " " + body.substr(0, 200));
  const json& remote = doc["RemoteException"];
  std::string exception = remote.value("exception", "");
  std::string message = what + ": " + remote.value("message", exception);
  if (exception == "FileNotFoundException") return NotFound(message);
  if (exception == "FileAlreadyExistsException") return AlreadyExists(message);
  return IOError(message);
}

}  // namespace ember::io
