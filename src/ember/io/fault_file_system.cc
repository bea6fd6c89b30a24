#include "ember/io/fault_file_system.h"

#include <cerrno>
#include <cstdlib>

namespace ember::io {

namespace {

constexpr char kPrefix[] = "faulty://";

std::string Local(const std::string& path) { return ParseUri(path).path; }
std::string Faulty(const std::string& local) { return kPrefix + local; }

class ShortReads : public InputStream {
 public:
  explicit ShortReads(std::unique_ptr<InputStream> in) : in_(std::move(in)) {}
  Result<size_t> Read(char* buf, size_t n) override { return in_->Read(buf, std::min<size_t>(n, 7)); }

 private:
  std::unique_ptr<InputStream> in_;
};

class FullDisk : public OutputStream {
 public:
  FullDisk(std::unique_ptr<OutputStream> out, int64_t room, std::string path)
      : out_(std::move(out)), room_(room), path_(std::move(path)) {}
  Status Write(std::string_view data) override {
    if (static_cast<int64_t>(data.size()) > room_) return ErrnoError("write", path_, ENOSPC);
    room_ -= static_cast<int64_t>(data.size());
    return out_->Write(data);
  }
  Status Close() override { return out_->Close(); }

 private:
  std::unique_ptr<OutputStream> out_;
  int64_t room_;
  std::string path_;
};

}  // namespace

FaultFileSystem::FaultFileSystem()
    : short_reads_(HadoopConf("ember.test.fs.shortReads") == "true"),
      disk_full_after_(std::strtoll(HadoopConf("ember.test.fs.diskFullAfter", "-1").c_str(), nullptr, 10)),
      vanish_(HadoopConf("ember.test.fs.vanish")) {}

Status FaultFileSystem::CheckVanished(const std::string& path) const {
  if (!vanish_.empty() && path.find(vanish_) != std::string::npos)
    return NotFound("No such file or directory: " + path + " (vanished: ember.test.fs.vanish)");
  return Status::OK();
}

Result<FileStatus> FaultFileSystem::Stat(const std::string& path) {
  EMBER_ASSIGN_OR_RETURN(FileStatus st, local_.Stat(Local(path)));
  st.path = Faulty(st.path);
  return st;
}

Result<std::vector<FileStatus>> FaultFileSystem::List(const std::string& dir) {
  EMBER_ASSIGN_OR_RETURN(auto entries, local_.List(Local(dir)));
  for (auto& e : entries) e.path = Faulty(e.path);
  return entries;
}

Result<std::unique_ptr<ByteSource>> FaultFileSystem::OpenRead(const std::string& path) {
  EMBER_RETURN_IF_ERROR(CheckVanished(path));
  return local_.OpenRead(Local(path));
}

Result<std::unique_ptr<InputStream>> FaultFileSystem::OpenSequential(const std::string& path, int64_t offset) {
  EMBER_RETURN_IF_ERROR(CheckVanished(path));
  EMBER_ASSIGN_OR_RETURN(auto in, local_.OpenSequential(Local(path), offset));
  if (!short_reads_) return in;
  return std::unique_ptr<InputStream>(new ShortReads(std::move(in)));
}

Result<std::unique_ptr<OutputStream>> FaultFileSystem::Create(const std::string& path) {
  EMBER_ASSIGN_OR_RETURN(auto out, local_.Create(Local(path)));
  if (disk_full_after_ < 0) return out;
  return std::unique_ptr<OutputStream>(new FullDisk(std::move(out), disk_full_after_, path));
}

Status FaultFileSystem::Mkdirs(const std::string& path) { return local_.Mkdirs(Local(path)); }

Status FaultFileSystem::Rename(const std::string& from, const std::string& to) {
  return local_.Rename(Local(from), Local(to));
}

Status FaultFileSystem::Delete(const std::string& path, bool recursive) {
  return local_.Delete(Local(path), recursive);
}

}  // namespace ember::io
