#include "ember/common/file_util.h"

#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "ember/common/crypto.h"

namespace ember {

Status MakeDirs(const std::string& path) {
  // Callers mostly ask for a directory that exists (an executor, before
  // every task): one stat then, not a mkdir per component.
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::OK();
  for (size_t pos = 0; pos != std::string::npos;) {
    pos = path.find('/', pos + 1);
    std::string prefix = path.substr(0, pos);
    if (prefix.empty()) continue;
    if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) return ErrnoError("mkdir", prefix, errno);
  }
  return Status::OK();
}

namespace {
int RemoveEntry(const char* path, const struct stat*, int, struct FTW*) {
  ::remove(path);
  return 0;
}
}  // namespace

Status RemoveTree(const std::string& path) {
  if (!PathExists(path)) return Status::OK();
  if (::nftw(path.c_str(), RemoveEntry, 32, FTW_DEPTH | FTW_PHYS) != 0)
    return ErrnoError("remove", path, errno);
  if (PathExists(path)) return IOError("could not remove " + path);
  return Status::OK();
}

Result<std::string> MakeTempDir(const std::string& parent, const std::string& prefix) {
  EMBER_RETURN_IF_ERROR(MakeDirs(parent));
  std::string templ = parent + "/" + prefix + "XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) return ErrnoError("mkdtemp", templ, errno);
  return std::string(buf.data());
}

Status RemoveFilesWithPrefix(const std::string& dir, const std::string& prefix) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return errno == ENOENT ? Status::OK() : ErrnoError("opendir", dir, errno);
  Status st;
  while (struct dirent* e = ::readdir(d)) {
    std::string_view name(e->d_name);
    if (name.substr(0, prefix.size()) != prefix) continue;
    std::string path = dir + "/" + std::string(name);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) st = ErrnoError("unlink", path, errno);
  }
  ::closedir(d);
  return st;
}

bool PreadFully(int fd, char* out, size_t n, uint64_t offset) {
  while (n > 0) {
    ssize_t got = ::pread(fd, out, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    out += got;
    n -= static_cast<size_t>(got);
    offset += static_cast<uint64_t>(got);
  }
  return true;
}

bool PathExists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

bool IsPlainRelativePath(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.find('\0') != std::string_view::npos) return false;
  for (size_t start = 0; start <= path.size();) {
    size_t end = std::min(path.find('/', start), path.size());
    std::string_view component = path.substr(start, end - start);
    if (component.empty() || component == "." || component == "..") return false;
    start = end + 1;
  }
  return true;
}

std::string RandomHex(size_t n) {
  auto bytes = RandomBytes(n);
  if (!bytes.ok()) {
    // Secrets are made here: carrying on with predictable bytes would
    // silently disable authentication, so stop instead.
    std::fprintf(stderr, "ember: %s\n", bytes.status().message().c_str());
    std::abort();
  }
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : *bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

}  // namespace ember
