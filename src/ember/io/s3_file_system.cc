#include "ember/io/s3_file_system.h"

#include <algorithm>

#include "ember/io/http_client.h"
#include "ember/io/s3_streams.h"

namespace ember::io {
namespace {

std::string DirPrefix(const std::string& key) { return key.empty() ? "" : key + "/"; }

}  // namespace

S3FileSystem::S3FileSystem(std::string scheme, std::string bucket, S3Config config)
    : scheme_(std::move(scheme)), bucket_(bucket), client_(std::make_shared<S3Client>(std::move(config), bucket)) {}

Result<std::string> S3FileSystem::KeyOf(const std::string& path) const {
  std::string root = UriOf("");
  if (path.compare(0, root.size(), root) != 0 && path + "/" != root)
    return InvalidArgument("path " + path + " is not in " + root);
  std::string key = path.size() > root.size() ? path.substr(root.size()) : "";
  while (!key.empty() && key.back() == '/') key.pop_back();
  return key;
}

std::string S3FileSystem::UriOf(const std::string& key) const { return scheme_ + "://" + bucket_ + "/" + key; }

int64_t S3FileSystem::BlockSize() const { return client_->config().block_size; }

Result<S3ListPage> S3FileSystem::ListPrefix(const std::string& uri, const std::string& prefix, bool delimited,
                                            int max_keys) const {
  S3ListPage all;
  std::string token;
  do {
    S3Call call{.query = {{"list-type", "2"}, {"prefix", prefix}}, .uri = uri};
    if (delimited) call.query.emplace_back("delimiter", "/");
    if (max_keys > 0) call.query.emplace_back("max-keys", std::to_string(max_keys));
    if (!token.empty()) call.query.emplace_back("continuation-token", token);
    EMBER_ASSIGN_OR_RETURN(S3Response response, client_->Send(call));
    if (!response.ok()) return ErrorFor(call.uri, response);
    S3ListPage page = ParseListPage(response.body);
    all.objects.insert(all.objects.end(), page.objects.begin(), page.objects.end());
    all.prefixes.insert(all.prefixes.end(), page.prefixes.begin(), page.prefixes.end());
    token = page.truncated ? page.next_token : "";
  } while (!token.empty() && max_keys == 0);
  return all;
}

Result<FileStatus> S3FileSystem::Stat(const std::string& path) {
  EMBER_ASSIGN_OR_RETURN(std::string key, KeyOf(path));
  std::string uri = UriOf(key);
  S3Response head;
  if (!key.empty()) {
    EMBER_ASSIGN_OR_RETURN(head, client_->Send({.method = "HEAD", .key = key, .uri = uri}));
    if (head.ok()) return FileStatus{uri, std::atoll(head.headers["content-length"].c_str()), false};
  }
  // A HEAD answers without a body, so the listing is also what explains a
  // refusal (InvalidAccessKeyId, NoSuchBucket) by its Code and Message.
  EMBER_ASSIGN_OR_RETURN(S3ListPage children, ListPrefix(uri, DirPrefix(key), true, 1));
  if (key.empty() || !children.objects.empty() || !children.prefixes.empty())
    return FileStatus{key.empty() ? UriOf("") : uri, 0, true};
  if (head.status == 404) return NotFound("No such file or directory: " + uri);
  return ErrorFor(uri, head);
}

Result<std::vector<FileStatus>> S3FileSystem::List(const std::string& dir) {
  EMBER_ASSIGN_OR_RETURN(std::string key, KeyOf(dir));
  std::string prefix = DirPrefix(key);
  EMBER_ASSIGN_OR_RETURN(S3ListPage listing, ListPrefix(UriOf(key), prefix, true));
  if (listing.objects.empty() && listing.prefixes.empty()) {
    EMBER_ASSIGN_OR_RETURN(FileStatus self, Stat(dir));
    if (!self.is_dir) return std::vector<FileStatus>{self};
  }
  std::vector<FileStatus> out;
  for (const auto& [name, size] : listing.objects) {
    if (name != prefix) out.push_back({UriOf(name), size, false});  // not the directory's own marker
  }
  for (const std::string& sub : listing.prefixes) out.push_back({UriOf(sub.substr(0, sub.size() - 1)), 0, true});
  std::sort(out.begin(), out.end(), [](const FileStatus& a, const FileStatus& b) { return a.path < b.path; });
  return out;
}

Result<std::unique_ptr<ByteSource>> S3FileSystem::OpenRead(const std::string& path) {
  EMBER_ASSIGN_OR_RETURN(FileStatus st, Stat(path));
  if (st.is_dir) return IOError("Is a directory: " + st.path);
  EMBER_ASSIGN_OR_RETURN(std::string key, KeyOf(path));
  return S3ObjectSource({client_, key, st.path}, st.size);
}

Result<std::unique_ptr<InputStream>> S3FileSystem::OpenSequential(const std::string& path, int64_t offset) {
  EMBER_ASSIGN_OR_RETURN(FileStatus st, Stat(path));
  if (st.is_dir) return IOError("Is a directory: " + st.path);
  EMBER_ASSIGN_OR_RETURN(std::string key, KeyOf(path));
  return S3SequentialStream({client_, key, st.path}, offset, st.size);
}

Result<std::unique_ptr<OutputStream>> S3FileSystem::Create(const std::string& path) {
  EMBER_ASSIGN_OR_RETURN(std::string key, KeyOf(path));
  if (key.empty()) return InvalidArgument("cannot write to the root of bucket " + UriOf(""));
  Result<FileStatus> existing = Stat(path);
  if (existing.ok()) return AlreadyExists("Path already exists: " + UriOf(key));
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  return S3UploadStream({client_, key, UriOf(key)}, client_->config().part_size);
}

Status S3FileSystem::Mkdirs(const std::string& path) {
  EMBER_ASSIGN_OR_RETURN(std::string key, KeyOf(path));
  Result<FileStatus> existing = Stat(path);
  if (existing.ok()) return existing->is_dir ? Status::OK() : AlreadyExists("Not a directory: " + existing->path);
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  EMBER_ASSIGN_OR_RETURN(S3Response put, client_->Send({.method = "PUT", .key = key + "/", .uri = UriOf(key)}));
  return put.ok() ? Status::OK() : ErrorFor(UriOf(key), put);
}

Status S3FileSystem::Rename(const std::string& from, const std::string& to) {
  EMBER_ASSIGN_OR_RETURN(FileStatus source, Stat(from));
  if (source.is_dir) return IOError("cannot rename directory " + source.path + ": S3 has no rename");
  EMBER_ASSIGN_OR_RETURN(std::string from_key, KeyOf(from));
  EMBER_ASSIGN_OR_RETURN(std::string to_key, KeyOf(to));
  Result<FileStatus> target = Stat(to);
  if (target.ok()) return AlreadyExists("Path already exists: " + target->path);
  if (target.status().code() != StatusCode::kNotFound) return target.status();
  S3Call copy{.method = "PUT", .key = to_key, .uri = UriOf(to_key)};
  copy.headers.emplace_back("x-amz-copy-source", "/" + bucket_ + "/" + UrlEncode(from_key, true));
  EMBER_ASSIGN_OR_RETURN(S3Response copied, client_->Send(copy));
  // A copy can fail after its 200 status, with an <Error> body.
  if (!copied.ok() || copied.body.find("<Error>") != std::string::npos) return ErrorFor(copy.uri, copied);
  return DeleteKey(from_key);
}

Status S3FileSystem::DeleteKey(const std::string& key) const {
  EMBER_ASSIGN_OR_RETURN(S3Response deleted, client_->Send({.method = "DELETE", .key = key, .uri = UriOf(key)}));
  return deleted.ok() || deleted.status == 404 ? Status::OK() : ErrorFor(UriOf(key), deleted);
}

Status S3FileSystem::Delete(const std::string& path, bool recursive) {
  EMBER_ASSIGN_OR_RETURN(std::string key, KeyOf(path));
  if (key.empty()) return InvalidArgument("will not delete the root of bucket " + UriOf(""));
  EMBER_ASSIGN_OR_RETURN(S3Response head, client_->Send({.method = "HEAD", .key = key, .uri = UriOf(key)}));
  if (head.ok()) return DeleteKey(key);
  EMBER_ASSIGN_OR_RETURN(S3ListPage under, ListPrefix(UriOf(key), DirPrefix(key), false));
  bool only_marker = under.objects.size() == 1 && under.objects[0].first == DirPrefix(key);
  if (!recursive && !under.objects.empty() && !only_marker) return IOError("Directory is not empty: " + UriOf(key));
  for (const auto& object : under.objects) EMBER_RETURN_IF_ERROR(DeleteKey(object.first));
  return Status::OK();
}

}  // namespace ember::io
