#include "ember/io/byte_io.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

namespace ember::io {
namespace {

class StringSourceImpl : public ByteSource {
 public:
  explicit StringSourceImpl(std::string data) : data_(std::move(data)) {}
  int64_t Size() const override { return static_cast<int64_t>(data_.size()); }
  Result<size_t> ReadAt(int64_t offset, char* buf, size_t n) override {
    if (offset < 0 || offset >= Size()) return size_t{0};
    size_t len = std::min(n, data_.size() - static_cast<size_t>(offset));
    std::memcpy(buf, data_.data() + offset, len);
    return len;
  }
  std::string Name() const override { return "<memory>"; }

 private:
  std::string data_;
};

class StringSinkImpl : public ByteSink {
 public:
  explicit StringSinkImpl(std::string* out) : out_(out) {}
  Status Write(std::string_view data) override {
    out_->append(data);
    return Status::OK();
  }
  Status Close() override { return Status::OK(); }

 private:
  std::string* out_;
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

}  // namespace

std::unique_ptr<ByteSource> StringSource(std::string data) {
  return std::make_unique<StringSourceImpl>(std::move(data));
}

std::unique_ptr<ByteSink> StringSink(std::string* out) { return std::make_unique<StringSinkImpl>(out); }

Result<std::unique_ptr<ByteSource>> OpenLocalSource(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? NotFound("no such file: " + path) : ErrnoError("open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoError("stat", path, err);
  }
  return std::unique_ptr<ByteSource>(std::make_unique<LocalSource>(path, fd, static_cast<int64_t>(st.st_size)));
}

Result<std::unique_ptr<ByteSink>> CreateLocalSink(const std::string& path) {
  return CreateOutput(path, Codec::kNone);
}

}  // namespace ember::io
