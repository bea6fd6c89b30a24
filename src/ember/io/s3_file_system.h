// S3FileSystem: the FileSystem (file_system.h) for "s3a://bucket/key" and
// "s3://bucket/key" — one instance per scheme and bucket.
//
// Contract, beyond FileSystem's:
// - A "directory" is a key prefix ending in '/' with keys under it, or an
//   empty "dir/" marker object (what Mkdirs writes, as Hadoop's S3A does).
//   Stat HEADs the key, then lists under "key/"; List pages through
//   ListObjectsV2 with delimiter '/' (files from Contents, directories from
//   CommonPrefixes), however many pages it takes.
// - Create's stream uploads on Close (S3UploadStream, s3_streams.h): nothing
//   is visible until then. Rename works for one file only, as a
//   server-side copy then a delete — not atomic — which is how the output
//   committer publishes on S3. Directories cannot be renamed.
// - Delete of a directory deletes every key under it, one DELETE per key.
// - Errors name the s3a:// path and the server's Code and Message
//   (NoSuchBucket, InvalidAccessKeyId, ...); a missing object is NotFound.
#pragma once

#include <memory>
#include <string>

#include "ember/io/file_system.h"
#include "ember/io/s3_client.h"
#include "ember/io/s3_config.h"
#include "ember/io/s3_xml.h"

namespace ember::io {

class S3FileSystem : public FileSystem {
 public:
  S3FileSystem(std::string scheme, std::string bucket, S3Config config);

  Result<FileStatus> Stat(const std::string& path) override;
  Result<std::vector<FileStatus>> List(const std::string& dir) override;
  Result<std::unique_ptr<ByteSource>> OpenRead(const std::string& path) override;
  Result<std::unique_ptr<InputStream>> OpenSequential(const std::string& path, int64_t offset) override;
  Result<std::unique_ptr<OutputStream>> Create(const std::string& path) override;
  Status Mkdirs(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Delete(const std::string& path, bool recursive) override;
  int64_t BlockSize() const override;

 private:
  // The key of `path` ("s3a://bucket/a/b/" -> "a/b"); InvalidArgument for
  // a path outside this bucket.
  Result<std::string> KeyOf(const std::string& path) const;
  std::string UriOf(const std::string& key) const;
  // Every key under `prefix` (and, with delimiter '/', the sub-prefixes),
  // following continuation tokens; at most one page when `max_keys` > 0.
  // Errors name `uri`, the path the caller was asked about.
  Result<S3ListPage> ListPrefix(const std::string& uri, const std::string& prefix, bool delimited,
                                int max_keys = 0) const;
  Status DeleteKey(const std::string& key) const;

  std::string scheme_, bucket_;
  std::shared_ptr<const S3Client> client_;
};

// The S3FileSystem for `bucket`, configured from HadoopConf's fs.s3a.*
// settings: the factory RegisterFileSystem takes for "s3a" and "s3".
Result<std::shared_ptr<FileSystem>> MakeS3FileSystem(const std::string& scheme, const std::string& bucket);

}  // namespace ember::io
