#include "ember/io/webhdfs_streams.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace ember::io {
namespace {

// The `want` bytes at `offset` (fewer only at the end of a file of `size`).
Result<std::string> ReadRange(const WebHdfsClient& client, const std::string& path, int64_t offset, int64_t want,
                              int64_t size) {
  int64_t length = std::min(want, size - offset);
  if (length <= 0) return std::string();
  EMBER_ASSIGN_OR_RETURN(std::string data, client.Read(path, offset, length));
  if (static_cast<int64_t>(data.size()) != length)
    return IOError(client.Uri(path) + ": short read at offset " + std::to_string(offset) + ": got " +
                   std::to_string(data.size()) + " of " + std::to_string(length) + " bytes");
  return data;
}

class Source : public ByteSource {
 public:
  Source(std::shared_ptr<const WebHdfsClient> client, std::string path, int64_t size)
      : client_(std::move(client)), path_(std::move(path)), size_(size) {}
  int64_t Size() const override { return size_; }
  std::string Name() const override { return client_->Uri(path_); }

  Result<size_t> ReadAt(int64_t offset, char* buf, size_t n) override {
    if (offset < 0 || offset >= size_ || n == 0) return size_t{0};
    int64_t want = static_cast<int64_t>(n);
    bool in_window = offset >= window_offset_ &&
                     offset + std::min(want, size_ - offset) <= window_offset_ + static_cast<int64_t>(window_.size());
    if (!in_window) {
      EMBER_ASSIGN_OR_RETURN(window_, ReadRange(*client_, path_, offset, std::max(want, kReadAheadBytes), size_));
      window_offset_ = offset;
    }
    size_t from = static_cast<size_t>(offset - window_offset_);
    size_t len = std::min(n, window_.size() - from);
    std::memcpy(buf, window_.data() + from, len);
    return len;
  }

 private:
  std::shared_ptr<const WebHdfsClient> client_;
  std::string path_;
  int64_t size_;
  std::string window_;
  int64_t window_offset_ = 0;
};

class Sequential : public InputStream {
 public:
  Sequential(std::shared_ptr<const WebHdfsClient> client, std::string path, int64_t offset, int64_t size)
      : client_(std::move(client)), path_(std::move(path)), next_(offset), size_(size) {}

  Result<size_t> Read(char* buf, size_t n) override {
    if (used_ == chunk_.size()) {
      EMBER_ASSIGN_OR_RETURN(chunk_, ReadRange(*client_, path_, next_, kSequentialChunkBytes, size_));
      next_ += static_cast<int64_t>(chunk_.size());
      used_ = 0;
    }
    size_t len = std::min(n, chunk_.size() - used_);
    std::memcpy(buf, chunk_.data() + used_, len);
    used_ += len;
    return len;
  }

 private:
  std::shared_ptr<const WebHdfsClient> client_;
  std::string path_;
  int64_t next_, size_;
  std::string chunk_;
  size_t used_ = 0;
};

class Upload : public OutputStream {
 public:
  Upload(std::shared_ptr<const WebHdfsClient> client, std::string path, int fd)
      : client_(std::move(client)), path_(std::move(path)), fd_(fd) {}
  ~Upload() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Write(std::string_view data) override {
    if (fd_ < 0) return IOError(client_->Uri(path_) + ": write after close");
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return ErrnoError("buffer output for", client_->Uri(path_), errno);
      data.remove_prefix(static_cast<size_t>(n));
      written_ += n;
    }
    return Status::OK();
  }

  Status Close() override {
    if (fd_ < 0) return Status::OK();
    Status status = client_->Upload(path_, fd_, written_);
    ::close(fd_);
    fd_ = -1;
    return status;
  }

 private:
  std::shared_ptr<const WebHdfsClient> client_;
  std::string path_;
  int fd_;
  int64_t written_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> WebHdfsSource(std::shared_ptr<const WebHdfsClient> client, std::string path,
                                          int64_t size) {
  return std::make_unique<Source>(std::move(client), std::move(path), size);
}

std::unique_ptr<InputStream> WebHdfsSequentialStream(std::shared_ptr<const WebHdfsClient> client,
                                                     std::string path, int64_t offset, int64_t size) {
  return std::make_unique<Sequential>(std::move(client), std::move(path), offset, size);
}

Result<std::unique_ptr<OutputStream>> WebHdfsUpload(std::shared_ptr<const WebHdfsClient> client,
                                                    std::string path) {
  const char* tmp = ::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/ember-hdfs-upload-XXXXXX";
  int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoError("create upload buffer for " + client->Uri(path) + " in", pattern, errno);
  ::unlink(pattern.c_str());  // gone with the descriptor, even if the process dies
  return std::unique_ptr<OutputStream>(std::make_unique<Upload>(std::move(client), std::move(path), fd));
}

}  // namespace ember::io
