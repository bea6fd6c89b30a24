#include "ember/io/file_system.h"

#include <mutex>

#include "ember/io/fault_file_system.h"
#include "ember/io/local_file_system.h"
#include "ember/io/s3_file_system.h"
#include "ember/io/webhdfs_file_system.h"

namespace ember::io {

namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, std::string> hadoop_conf;
  std::map<std::string, FileSystemFactory> factories;
  std::map<std::string, std::shared_ptr<FileSystem>> instances;  // by "scheme://authority"
};

Registry& TheRegistry() {
  static Registry* registry = [] {
    auto* r = new Registry;
    r->factories[""] = [](const std::string&, const std::string&) -> Result<std::shared_ptr<FileSystem>> {
      return std::shared_ptr<FileSystem>(std::make_shared<LocalFileSystem>());
    };
    r->factories["file"] = r->factories[""];
    r->factories["faulty"] = [](const std::string&, const std::string&) -> Result<std::shared_ptr<FileSystem>> {
      return std::shared_ptr<FileSystem>(std::make_shared<FaultFileSystem>());
    };
    r->factories["hdfs"] = MakeWebHdfsFileSystem;
    r->factories["webhdfs"] = MakeWebHdfsFileSystem;
    r->factories["s3a"] = MakeS3FileSystem;
    r->factories["s3"] = MakeS3FileSystem;
    return r;
  }();
  return *registry;
}

}  // namespace

ParsedUri ParseUri(const std::string& uri) {
  ParsedUri out;
  size_t colon = uri.find(':');
  size_t slash = uri.find('/');
  // "scheme:" must come before any '/', and a scheme is letters, digits, + - .
  if (colon == std::string::npos || colon == 0 || (slash != std::string::npos && slash < colon)) {
    out.path = uri;
    return out;
  }
  out.scheme = uri.substr(0, colon);
  std::string rest = uri.substr(colon + 1);
  if (rest.rfind("//", 0) == 0) {
    size_t end = rest.find('/', 2);
    out.authority = rest.substr(2, end == std::string::npos ? std::string::npos : end - 2);
    rest = end == std::string::npos ? "/" : rest.substr(end);
  }
  out.path = rest.empty() ? "/" : rest;
  return out;
}

void SetHadoopConf(std::map<std::string, std::string> conf) {
  Registry& r = TheRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  r.hadoop_conf = std::move(conf);
  r.instances.clear();  // made again with the new settings
}

std::string HadoopConf(const std::string& key, const std::string& fallback) {
  Registry& r = TheRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.hadoop_conf.find(key);
  return it == r.hadoop_conf.end() ? fallback : it->second;
}

Result<std::shared_ptr<FileSystem>> FileSystemFor(const std::string& path) {
  ParsedUri uri = ParseUri(path);
  Registry& r = TheRegistry();
  FileSystemFactory factory;
  std::string key = uri.scheme + "://" + uri.authority;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    auto cached = r.instances.find(key);
    if (cached != r.instances.end()) return cached->second;
    auto it = r.factories.find(uri.scheme);
    if (it == r.factories.end()) {
      std::string known;
      for (const auto& [scheme, f] : r.factories)
        if (!scheme.empty()) known += (known.empty() ? "" : ", ") + scheme;
      return InvalidArgument("No FileSystem for scheme \"" + uri.scheme + "\" in " + path +
                             " (ember knows: " + known + ")");
    }
    factory = it->second;
  }
  // Made outside the lock: a factory may read HadoopConf.
  EMBER_ASSIGN_OR_RETURN(auto fs, factory(uri.scheme, uri.authority));
  std::lock_guard<std::mutex> lock(r.mu);
  return r.instances.try_emplace(key, std::move(fs)).first->second;
}

Result<std::string> ReadFileContents(const std::string& path) {
  EMBER_ASSIGN_OR_RETURN(auto fs, FileSystemFor(path));
  EMBER_ASSIGN_OR_RETURN(auto in, fs->OpenSequential(path, 0));
  std::string text;
  char buf[1 << 16];
  for (;;) {
    EMBER_ASSIGN_OR_RETURN(size_t got, in->Read(buf, sizeof buf));
    if (got == 0) return text;
    text.append(buf, got);
  }
}

}  // namespace ember::io
