// LocalFileSystem: file_system.h over this machine's POSIX file system, for
// plain paths and "file:" URIs (answered as plain absolute paths).
//
// Contract: as FileSystem. Create makes missing parent directories and
// refuses an existing file (O_EXCL); Rename refuses an existing
// destination; errors carry strerror and the path. BlockSize is 32 MiB,
// Hadoop's local file system default.
#pragma once

#include "ember/io/file_system.h"

namespace ember::io {

constexpr int64_t kLocalBlockSize = 32LL << 20;

// "file:///x" and "file:/x" -> "/x"; other paths unchanged.
std::string LocalPath(const std::string& path);

class LocalFileSystem : public FileSystem {
 public:
  Result<FileStatus> Stat(const std::string& path) override;
  Result<std::vector<FileStatus>> List(const std::string& dir) override;
  Result<std::unique_ptr<ByteSource>> OpenRead(const std::string& path) override;
  Result<std::unique_ptr<InputStream>> OpenSequential(const std::string& path, int64_t offset) override;
  Result<std::unique_ptr<OutputStream>> Create(const std::string& path) override;
  Status Mkdirs(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Delete(const std::string& path, bool recursive) override;
  int64_t BlockSize() const override { return kLocalBlockSize; }
};

}  // namespace ember::io
