#include "ember/io/s3_streams.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "ember/io/s3_xml.h"

namespace ember::io {
namespace {

// Bytes [offset, offset + n) of the object, which must all exist.
Result<std::string> GetRange(const S3Object& object, int64_t offset, int64_t n) {
  S3Call call{.key = object.key, .uri = object.uri};
  call.headers.emplace_back("range", "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + n - 1));
  EMBER_ASSIGN_OR_RETURN(S3Response response, object.client->Send(call));
  if (!response.ok()) return ErrorFor(object.uri, response);
  if (static_cast<int64_t>(response.body.size()) != n)
    return IOError(object.uri + ": short read at offset " + std::to_string(offset) + " (object changed while read?)");
  return std::move(response.body);
}

class ObjectSource : public ByteSource {
 public:
  ObjectSource(S3Object object, int64_t size) : object_(std::move(object)), size_(size) {}
  int64_t Size() const override { return size_; }
  std::string Name() const override { return object_.uri; }

  Result<size_t> ReadAt(int64_t offset, char* buf, size_t n) override {
    int64_t end = std::min<int64_t>(size_, offset + static_cast<int64_t>(n));
    if (offset >= end) return size_t{0};
    if (offset < window_start_ || end > window_start_ + static_cast<int64_t>(window_.size())) {
      int64_t want = std::min(size_ - offset, std::max<int64_t>(end - offset, kS3ReadAhead));
      EMBER_ASSIGN_OR_RETURN(window_, GetRange(object_, offset, want));
      window_start_ = offset;
    }
    std::memcpy(buf, window_.data() + (offset - window_start_), end - offset);
    return static_cast<size_t>(end - offset);
  }

 private:
  S3Object object_;
  int64_t size_;
  std::string window_;
  int64_t window_start_ = 0;
};

class SequentialStream : public InputStream {
 public:
  SequentialStream(S3Object object, int64_t offset, int64_t size)
      : object_(std::move(object)), next_(offset), size_(size) {}

  Result<size_t> Read(char* buf, size_t n) override {
    if (pos_ == chunk_.size()) {
      if (next_ >= size_) return size_t{0};
      EMBER_ASSIGN_OR_RETURN(chunk_, GetRange(object_, next_, std::min(kS3SequentialChunk, size_ - next_)));
      next_ += static_cast<int64_t>(chunk_.size());
      pos_ = 0;
    }
    size_t k = std::min(n, chunk_.size() - pos_);
    std::memcpy(buf, chunk_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  S3Object object_;
  int64_t next_, size_;
  std::string chunk_;
  size_t pos_ = 0;
};

class UploadStream : public OutputStream {
 public:
  UploadStream(S3Object object, int64_t part_size) : object_(std::move(object)), part_size_(part_size) {}
  ~UploadStream() override {
    if (!closed_) Abort();
  }

  Status Write(std::string_view data) override {
    EMBER_RETURN_IF_ERROR(failed_);
    buffer_.append(data);
    size_t uploaded = 0;
    for (; static_cast<int64_t>(buffer_.size() - uploaded) >= part_size_; uploaded += part_size_)
      EMBER_RETURN_IF_ERROR(Check(UploadPart(std::string_view(buffer_).substr(uploaded, part_size_))));
    buffer_.erase(0, uploaded);
    return Status::OK();
  }

  Status Close() override {
    if (closed_) return failed_;
    EMBER_RETURN_IF_ERROR(failed_);
    Status st = upload_id_.empty() ? PutWhole() : Complete();
    closed_ = st.ok();
    return Check(st);
  }

 private:
  // Remembers the first failure and aborts the upload it belongs to.
  Status Check(Status st) {
    if (!st.ok() && failed_.ok()) {
      failed_ = st;
      Abort();
    }
    return st;
  }

  Result<S3Response> Send(S3Call call, std::string_view body = {}) {
    call.key = object_.key;
    call.uri = object_.uri;
    call.body = body;
    EMBER_ASSIGN_OR_RETURN(S3Response response, object_.client->Send(call));
    // CompleteMultipartUpload can fail with 200 and an <Error> body.
    if (!response.ok() || response.body.find("<Error>") != std::string::npos) return ErrorFor(object_.uri, response);
    return response;
  }

  Status PutWhole() {
    return Send({.method = "PUT"}, buffer_).status();
  }

  Status UploadPart(std::string_view part) {
    if (upload_id_.empty()) {
      EMBER_ASSIGN_OR_RETURN(S3Response created, Send({.method = "POST", .query = {{"uploads", ""}}}));
      upload_id_ = XmlText(created.body, "UploadId");
      if (upload_id_.empty()) return IOError(object_.uri + ": CreateMultipartUpload returned no UploadId");
    }
    S3Call call{.method = "PUT", .query = {{"partNumber", std::to_string(etags_.size() + 1)}, {"uploadId", upload_id_}}};
    EMBER_ASSIGN_OR_RETURN(S3Response uploaded, Send(call, part));
    etags_.push_back(uploaded.headers["etag"]);
    return Status::OK();
  }

  Status Complete() {
    if (!buffer_.empty()) EMBER_RETURN_IF_ERROR(UploadPart(buffer_));
    std::string xml = CompleteUploadXml(etags_);
    return Send({.method = "POST", .query = {{"uploadId", upload_id_}}}, xml).status();
  }

  // Best effort: the upload is already failed or abandoned.
  void Abort() {
    if (upload_id_.empty()) return;
    (void)Send({.method = "DELETE", .query = {{"uploadId", upload_id_}}});
    upload_id_.clear();
  }

  S3Object object_;
  int64_t part_size_;
  std::string buffer_, upload_id_;
  std::vector<std::string> etags_;
  Status failed_;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> S3ObjectSource(S3Object object, int64_t size) {
  return std::make_unique<ObjectSource>(std::move(object), size);
}

std::unique_ptr<InputStream> S3SequentialStream(S3Object object, int64_t offset, int64_t size) {
  return std::make_unique<SequentialStream>(std::move(object), offset, size);
}

std::unique_ptr<OutputStream> S3UploadStream(S3Object object, int64_t part_size) {
  return std::make_unique<UploadStream>(std::move(object), part_size);
}

}  // namespace ember::io
