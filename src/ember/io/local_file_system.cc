#include "ember/io/local_file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "ember/common/file_util.h"

namespace ember::io {

namespace {

class FileInput : public InputStream {
 public:
  FileInput(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FileInput() override { ::close(fd_); }

  Result<size_t> Read(char* buf, size_t n) override {
    for (;;) {
      ssize_t got = ::read(fd_, buf, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) return ErrnoError("read", path_, errno);
    }
  }

 private:
  int fd_;
  std::string path_;
};

class FileOutput : public OutputStream {
 public:
  FileOutput(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FileOutput() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Write(std::string_view data) override {
    if (fd_ < 0) return IOError("write to closed file " + path_);
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return ErrnoError("write", path_, errno);
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::OK();
  }
  Status Close() override {
    if (fd_ < 0) return Status::OK();
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return ErrnoError("close", path_, errno);
    return Status::OK();
  }

 private:
  int fd_;
  std::string path_;
};

class LocalSource : public ByteSource {
 public:
  LocalSource(std::string path, int fd, int64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  ~LocalSource() override { ::close(fd_); }
  int64_t Size() const override { return size_; }
  Result<size_t> ReadAt(int64_t offset, char* buf, size_t n) override {
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd_, buf + done, n - done, offset + static_cast<int64_t>(done));
      if (r < 0) {
        if (errno == EINTR) continue;
        return ErrnoError("read", path_, errno);
      }
      if (r == 0) break;
      done += static_cast<size_t>(r);
    }
    return done;
  }
  std::string Name() const override { return path_; }

 private:
  std::string path_;
  int fd_;
  int64_t size_;
};

Status StatError(const std::string& path, int err) {
  if (err == ENOENT || err == ENOTDIR) return NotFound("No such file or directory: " + path);
  return ErrnoError("stat", path, err);
}

std::string Parent(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::string LocalPath(const std::string& path) {
  if (path.rfind("file://", 0) == 0) return path.substr(7);
  if (path.rfind("file:", 0) == 0) return path.substr(5);
  return path;
}

Result<FileStatus> LocalFileSystem::Stat(const std::string& path) {
  std::string p = LocalPath(path);
  struct stat st;
  if (::stat(p.c_str(), &st) != 0) return StatError(p, errno);
  return FileStatus{p, S_ISDIR(st.st_mode) ? 0 : static_cast<int64_t>(st.st_size), S_ISDIR(st.st_mode)};
}

Result<std::vector<FileStatus>> LocalFileSystem::List(const std::string& dir) {
  EMBER_ASSIGN_OR_RETURN(FileStatus self, Stat(dir));
  if (!self.is_dir) return std::vector<FileStatus>{self};
  DIR* d = ::opendir(self.path.c_str());
  if (!d) return ErrnoError("list directory", self.path, errno);
  std::vector<std::string> names;
  errno = 0;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  int err = errno;
  ::closedir(d);
  if (err != 0) return ErrnoError("list directory", self.path, err);
  std::sort(names.begin(), names.end());
  std::vector<FileStatus> out;
  std::string prefix = self.path + (self.path.back() == '/' ? "" : "/");
  for (const auto& name : names) {
    auto child = Stat(prefix + name);
    if (!child.ok() && child.status().code() == StatusCode::kNotFound) continue;  // gone meanwhile
    if (!child.ok()) return child.status();
    out.push_back(std::move(child).value());
  }
  return out;
}

Result<std::unique_ptr<ByteSource>> LocalFileSystem::OpenRead(const std::string& path) {
  std::string p = LocalPath(path);
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? NotFound("No such file or directory: " + p) : ErrnoError("open", p, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoError("stat", p, err);
  }
  return std::unique_ptr<ByteSource>(std::make_unique<LocalSource>(p, fd, static_cast<int64_t>(st.st_size)));
}

Result<std::unique_ptr<InputStream>> LocalFileSystem::OpenSequential(const std::string& path, int64_t offset) {
  std::string p = LocalPath(path);
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? NotFound("No such file or directory: " + p) : ErrnoError("open", p, errno);
  auto in = std::make_unique<FileInput>(fd, p);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  if (offset > 0 && ::lseek(fd, offset, SEEK_SET) < 0) return ErrnoError("seek", p, errno);
  return std::unique_ptr<InputStream>(std::move(in));
}

Result<std::unique_ptr<OutputStream>> LocalFileSystem::Create(const std::string& path) {
  std::string p = LocalPath(path);
  EMBER_RETURN_IF_ERROR(MakeDirs(Parent(p)));
  int fd = ::open(p.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return AlreadyExists("create " + p + ": file already exists");
    return ErrnoError("create", p, errno);
  }
  return std::unique_ptr<OutputStream>(std::make_unique<FileOutput>(fd, p));
}

Status LocalFileSystem::Mkdirs(const std::string& path) { return MakeDirs(LocalPath(path)); }

Status LocalFileSystem::Rename(const std::string& from, const std::string& to) {
  std::string f = LocalPath(from), t = LocalPath(to);
  if (PathExists(t)) return AlreadyExists("rename " + f + " to " + t + ": destination exists");
  EMBER_RETURN_IF_ERROR(MakeDirs(Parent(t)));
  if (::rename(f.c_str(), t.c_str()) != 0) return ErrnoError("rename " + f + " to", t, errno);
  return Status::OK();
}

Status LocalFileSystem::Delete(const std::string& path, bool recursive) {
  std::string p = LocalPath(path);
  if (recursive) return RemoveTree(p);
  if (::unlink(p.c_str()) == 0 || errno == ENOENT) return Status::OK();
  if (errno == EISDIR && ::rmdir(p.c_str()) == 0) return Status::OK();
  return ErrnoError("delete", p, errno);
}

}  // namespace ember::io
