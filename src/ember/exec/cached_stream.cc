#include "ember/exec/cached_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "ember/common/file_util.h"

namespace ember::exec {

namespace {

class SharedFramesStream : public FrameStream {
 public:
  explicit SharedFramesStream(std::shared_ptr<const storage::Frames> frames)
      : frames_(std::move(frames)) {}
  Result<bool> Next(Frame* frame) override {
    if (pos_ >= frames_->size()) return false;
    *frame = (*frames_)[pos_++];
    return true;
  }

 private:
  std::shared_ptr<const storage::Frames> frames_;
  size_t pos_ = 0;
};

class FileFramesStream : public FrameStream {
 public:
  FileFramesStream(int fd, std::string path, storage::BlockStore* store, storage::BlockId id)
      : fd_(fd), reader_(fd, std::move(path)), store_(store), id_(id) {}
  ~FileFramesStream() override { ::close(fd_); }
  Result<bool> Next(Frame* frame) override {
    auto more = reader_.Next(frame);
    if (!more.ok() && store_) store_->Remove(id_);  // lost: the retry recomputes it
    return more;
  }

 private:
  int fd_;
  FrameFileReader reader_;
  storage::BlockStore* store_;
  storage::BlockId id_;
};

}  // namespace

Result<std::unique_ptr<FrameStream>> OpenStoredBlock(storage::BlockStore* store, storage::BlockId id,
                                                     const storage::BlockStore::Stored& block) {
  if (block.memory) return std::unique_ptr<FrameStream>(new SharedFramesStream(block.memory));
  int fd = ::open(block.disk_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (store) store->Remove(id);
    return ErrnoError("open", block.disk_path, err);
  }
  return std::unique_ptr<FrameStream>(new FileFramesStream(fd, block.disk_path, store, id));
}

CachingStream::CachingStream(std::unique_ptr<FrameStream> inner, storage::BlockStore* store,
                             storage::BlockId id, storage::Level level)
    : inner_(std::move(inner)), store_(store), id_(id), level_(level) {}

CachingStream::~CachingStream() { Abandon(); }

Result<bool> CachingStream::Next(Frame* frame) {
  auto more = inner_->Next(frame);
  if (!more.ok()) {
    Abandon();
    return more;
  }
  if (!recording_) return more;
  Status st = *more ? Record(*frame) : Finish();
  if (!st.ok()) Abandon();  // caching is best effort: the data still flows
  return more;
}

Status CachingStream::Record(const Frame& frame) {
  bytes_ += frame.data.size() + kFrameHeaderSize;
  if (fd_ < 0 && level_.use_memory && store_->Fits(bytes_)) {
    frames_.push_back(frame);
    return Status::OK();
  }
  if (!level_.use_disk) {
    Abandon();  // too big for memory and not allowed on disk
    return Status::OK();
  }
  if (fd_ < 0) EMBER_RETURN_IF_ERROR(MoveToDisk());
  return file_->Write(frame.type, frame.data);
}

Status CachingStream::MoveToDisk() {
  temp_path_ = store_->NewTempPath(id_);
  std::string dir = temp_path_.substr(0, temp_path_.rfind('/'));
  EMBER_RETURN_IF_ERROR(MakeDirs(dir));
  fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) return ErrnoError("create", temp_path_, errno);
  file_ = std::make_unique<FrameFileWriter>(fd_);
  for (const Frame& f : frames_) EMBER_RETURN_IF_ERROR(file_->Write(f.type, f.data));
  frames_.clear();
  frames_.shrink_to_fit();
  return Status::OK();
}

Status CachingStream::Finish() {
  recording_ = false;
  if (fd_ < 0) {
    store_->PutMemory(id_, level_, std::move(frames_), bytes_);
    return Status::OK();
  }
  Status st = file_->Finish();
  file_.reset();
  ::close(fd_);
  fd_ = -1;
  if (st.ok()) st = store_->CommitDisk(id_, temp_path_);
  if (!st.ok()) ::unlink(temp_path_.c_str());
  temp_path_.clear();
  return st;
}

void CachingStream::Abandon() {
  recording_ = false;
  frames_.clear();
  file_.reset();
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
    temp_path_.clear();
  }
}

}  // namespace ember::exec
