// FaultFileSystem: the local file system under the "faulty:" scheme, with
// failures switched on by settings, for tests (DESIGN.md §3, §4).
//
// Contract: "faulty:///x/y" is the local file /x/y; answers keep the
// "faulty://" prefix. Settings (HadoopConf, from the application's conf):
//   ember.test.fs.shortReads = true   sequential reads return at most 7
//       bytes per call (readers must loop; nothing may be lost)
//   ember.test.fs.diskFullAfter = N   a file's writes fail with ENOSPC
//       ("No space left on device") once it would pass N bytes
//   ember.test.fs.vanish = S          opening a file whose path contains S
//       fails with NotFound, as if deleted after it was listed
// Read at first use per process, like any file system's settings.
#pragma once

#include "ember/io/local_file_system.h"

namespace ember::io {

class FaultFileSystem : public FileSystem {
 public:
  FaultFileSystem();
  Result<FileStatus> Stat(const std::string& path) override;
  Result<std::vector<FileStatus>> List(const std::string& dir) override;
  Result<std::unique_ptr<ByteSource>> OpenRead(const std::string& path) override;
  Result<std::unique_ptr<InputStream>> OpenSequential(const std::string& path, int64_t offset) override;
  Result<std::unique_ptr<OutputStream>> Create(const std::string& path) override;
  Status Mkdirs(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Delete(const std::string& path, bool recursive) override;
  int64_t BlockSize() const override { return kLocalBlockSize; }

 private:
  Status CheckVanished(const std::string& path) const;

  LocalFileSystem local_;
  bool short_reads_ = false;
  int64_t disk_full_after_ = -1;
  std::string vanish_;
};

}  // namespace ember::io
