// WebHdfsFileSystem: HDFS through the namenode's WebHDFS REST API over
// HTTP (libcurl), for "hdfs://" and "webhdfs://" URIs: no JVM, no Hadoop
// client library.
//
// Contract: file_system.h's, plus:
// - The WebHDFS address: "webhdfs://h:p" is h:p; "hdfs://h:p" (the RPC
//   port) uses spark.hadoop.dfs.namenode.http-address when set, else h
//   with Hadoop 3's default HTTP port 9870 (webhdfs_protocol.h).
// - Requests run as user.name = Hadoop's hadoop.user.name, else
//   $HADOOP_USER_NAME, else this process's user (simple authentication;
//   Kerberos/SPNEGO is not supported).
// - Reads: ranged OPEN requests that follow the namenode's redirect to a
//   datanode (read-ahead and chunk sizes in webhdfs_streams.h). Writes are
//   buffered in an unlinked local temp file and uploaded on Close, so
//   memory stays bounded and nothing appears in HDFS before Close.
// - Block size: each file's own, as the namenode reports it (its splits'
//   size); BlockSize(), for files reported without one, is dfs.blocksize
//   (a number of bytes) when set, else 128 MiB, HDFS's default.
// - Rename makes the destination's parent first, as HDFS's rename needs it.
#pragma once

#include <memory>
#include <string>

#include "ember/io/file_system.h"
#include "ember/io/webhdfs_client.h"

namespace ember::io {

class WebHdfsFileSystem : public FileSystem {
 public:
  WebHdfsFileSystem(std::shared_ptr<const WebHdfsClient> client, int64_t block_size);

  Result<FileStatus> Stat(const std::string& path) override;
  Result<std::vector<FileStatus>> List(const std::string& dir) override;
  Result<std::unique_ptr<ByteSource>> OpenRead(const std::string& path) override;
  Result<std::unique_ptr<InputStream>> OpenSequential(const std::string& path, int64_t offset) override;
  Result<std::unique_ptr<OutputStream>> Create(const std::string& path) override;
  Status Mkdirs(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Delete(const std::string& path, bool recursive) override;
  int64_t BlockSize() const override { return block_size_; }

 private:
  // The HDFS path of a URI of this file system ("/" for the root, no
  // trailing slash); InvalidArgument for another file system's URI.
  Result<std::string> HdfsPath(const std::string& uri) const;
  Result<FileStatus> StatHdfs(const std::string& path) const;
  Result<FileStatus> StatFile(const std::string& uri);

  std::shared_ptr<const WebHdfsClient> client_;
  int64_t block_size_;
};

// The FileSystemFactory for "hdfs" and "webhdfs", reading the Hadoop
// settings above from HadoopConf().
Result<std::shared_ptr<FileSystem>> MakeWebHdfsFileSystem(const std::string& scheme, const std::string& authority);

}  // namespace ember::io
