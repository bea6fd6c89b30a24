#include "ember/io/byte_io.h"

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

}  // namespace

std::unique_ptr<ByteSource> StringSource(std::string data) {
  return std::make_unique<StringSourceImpl>(std::move(data));
}

std::unique_ptr<ByteSink> StringSink(std::string* out) { return std::make_unique<StringSinkImpl>(out); }

}  // namespace ember::io
