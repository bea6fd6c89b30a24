#include "ember/io/webhdfs_file_system.h"

#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

#include "ember/io/webhdfs_protocol.h"
#include "ember/io/webhdfs_streams.h"

namespace ember::io {
namespace {

constexpr int64_t kDefaultBlockSize = 128LL << 20;  // HDFS's dfs.blocksize default

std::string ChildPath(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

std::string ParentPath(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

std::string HadoopUser() {
  std::string user = HadoopConf("hadoop.user.name");
  if (!user.empty()) return user;
  const char* env = ::getenv("HADOOP_USER_NAME");
  if (env && *env) return env;
  struct passwd entry, *found = nullptr;
  char buf[4096];
  if (::getpwuid_r(::geteuid(), &entry, buf, sizeof buf, &found) == 0 && found) return found->pw_name;
  return std::to_string(::geteuid());
}

Result<int64_t> ConfiguredBlockSize() {
  std::string value = HadoopConf("dfs.blocksize");
  if (value.empty()) return kDefaultBlockSize;
  int64_t bytes = 0;
  auto [end, err] = std::from_chars(value.data(), value.data() + value.size(), bytes);
  if (err != std::errc() || end != value.data() + value.size() || bytes <= 0)
    return InvalidArgument("invalid spark.hadoop.dfs.blocksize '" + value + "' (a number of bytes)");
  return bytes;
}

}  // namespace

WebHdfsFileSystem::WebHdfsFileSystem(std::shared_ptr<const WebHdfsClient> client, int64_t block_size)
    : client_(std::move(client)), block_size_(block_size) {}

Result<std::string> WebHdfsFileSystem::HdfsPath(const std::string& uri) const {
  ParsedUri parsed = ParseUri(uri);
  if (parsed.scheme + "://" + parsed.authority != client_->uri_prefix())
    return InvalidArgument(uri + " is not on the file system " + client_->uri_prefix());
  std::string path = parsed.path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path.empty() ? "/" : path;
}

Result<FileStatus> WebHdfsFileSystem::StatHdfs(const std::string& path) const {
  auto answer = client_->Call("GET", path, "GETFILESTATUS");
  if (!answer.ok() && answer.status().code() == StatusCode::kNotFound)
    return NotFound("No such file or directory: " + answer.status().message());
  if (!answer.ok()) return answer.status();
  EMBER_ASSIGN_OR_RETURN(WebHdfsEntry entry, ParseFileStatus(answer->body));
  return FileStatus{client_->Uri(path), entry.length, entry.is_dir, entry.block_size};
}

Result<FileStatus> WebHdfsFileSystem::Stat(const std::string& path) {
  EMBER_ASSIGN_OR_RETURN(std::string hdfs_path, HdfsPath(path));
  return StatHdfs(hdfs_path);
}

Result<std::vector<FileStatus>> WebHdfsFileSystem::List(const std::string& dir) {
  EMBER_ASSIGN_OR_RETURN(std::string path, HdfsPath(dir));
  auto answer = client_->Call("GET", path, "LISTSTATUS");
  if (!answer.ok() && answer.status().code() == StatusCode::kNotFound)
    return NotFound("No such file or directory: " + answer.status().message());
  if (!answer.ok()) return answer.status();
  EMBER_ASSIGN_OR_RETURN(std::vector<WebHdfsEntry> entries, ParseFileStatuses(answer->body));
  std::vector<FileStatus> listing;
  for (const WebHdfsEntry& entry : entries) {
    std::string child = entry.name.empty() ? path : ChildPath(path, entry.name);  // a file lists as itself
    listing.push_back({client_->Uri(child), entry.length, entry.is_dir, entry.block_size});
  }
  std::sort(listing.begin(), listing.end(), [](const FileStatus& a, const FileStatus& b) { return a.path < b.path; });
  return listing;
}

Result<FileStatus> WebHdfsFileSystem::StatFile(const std::string& uri) {
  EMBER_ASSIGN_OR_RETURN(FileStatus status, Stat(uri));
  if (status.is_dir) return InvalidArgument(uri + " is a directory, not a file");
  return status;
}

Result<std::unique_ptr<ByteSource>> WebHdfsFileSystem::OpenRead(const std::string& path) {
  EMBER_ASSIGN_OR_RETURN(FileStatus status, StatFile(path));
  EMBER_ASSIGN_OR_RETURN(std::string hdfs_path, HdfsPath(path));
  return WebHdfsSource(client_, hdfs_path, status.size);
}

Result<std::unique_ptr<InputStream>> WebHdfsFileSystem::OpenSequential(const std::string& path, int64_t offset) {
  EMBER_ASSIGN_OR_RETURN(FileStatus status, StatFile(path));
  EMBER_ASSIGN_OR_RETURN(std::string hdfs_path, HdfsPath(path));
  return WebHdfsSequentialStream(client_, hdfs_path, offset, status.size);
}

Result<std::unique_ptr<OutputStream>> WebHdfsFileSystem::Create(const std::string& path) {
  EMBER_ASSIGN_OR_RETURN(std::string hdfs_path, HdfsPath(path));
  auto existing = StatHdfs(hdfs_path);
  if (existing.ok()) return AlreadyExists("output path already exists: " + path);
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  return WebHdfsUpload(client_, hdfs_path);
}

Status WebHdfsFileSystem::Mkdirs(const std::string& path) {
  EMBER_ASSIGN_OR_RETURN(std::string hdfs_path, HdfsPath(path));
  EMBER_ASSIGN_OR_RETURN(HttpResponse answer, client_->Call("PUT", hdfs_path, "MKDIRS"));
  EMBER_ASSIGN_OR_RETURN(bool made, ParseBoolean(answer.body));
  return made ? Status::OK() : IOError(path + ": WebHDFS MKDIRS refused");
}

Status WebHdfsFileSystem::Rename(const std::string& from, const std::string& to) {
  EMBER_ASSIGN_OR_RETURN(std::string source, HdfsPath(from));
  EMBER_ASSIGN_OR_RETURN(std::string destination, HdfsPath(to));
  // HDFS moves a source *into* an existing directory; the contract wants
  // an existing destination refused instead.
  auto existing = StatHdfs(destination);
  if (existing.ok()) return AlreadyExists("cannot rename " + from + ": destination exists: " + to);
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  EMBER_RETURN_IF_ERROR(Mkdirs(client_->Uri(ParentPath(destination))));
  EMBER_ASSIGN_OR_RETURN(HttpResponse answer,
                         client_->Call("PUT", source, "RENAME", "destination=" + UrlEncode(destination, true)));
  EMBER_ASSIGN_OR_RETURN(bool renamed, ParseBoolean(answer.body));
  if (renamed) return Status::OK();
  EMBER_RETURN_IF_ERROR(StatHdfs(source).status());  // NotFound names the missing source
  return IOError("HDFS refused to rename " + from + " to " + to);
}

Status WebHdfsFileSystem::Delete(const std::string& path, bool recursive) {
  EMBER_ASSIGN_OR_RETURN(std::string hdfs_path, HdfsPath(path));
  std::string params = std::string("recursive=") + (recursive ? "true" : "false");
  return client_->Call("DELETE", hdfs_path, "DELETE", params).status();  // false = absent: fine
}

Result<std::shared_ptr<FileSystem>> MakeWebHdfsFileSystem(const std::string& scheme, const std::string& authority) {
  EMBER_ASSIGN_OR_RETURN(std::string http_address,
                         NamenodeHttpAddress(scheme, authority, HadoopConf("dfs.namenode.http-address")));
  EMBER_ASSIGN_OR_RETURN(int64_t block_size, ConfiguredBlockSize());
  auto client = std::make_shared<const WebHdfsClient>(scheme + "://" + authority, http_address, HadoopUser());
  return std::shared_ptr<FileSystem>(std::make_shared<WebHdfsFileSystem>(std::move(client), block_size));
}

}  // namespace ember::io
