// FileSystem: where every input and output of ember lives, chosen by URI
// scheme (DESIGN.md §3 "File systems"); the seam tests use to inject
// faults, as LevelDB's Env is.
//
// Contract:
// - Paths are the user's strings with their scheme: "/x/a.txt" or
//   "file:///x/a.txt" (local), "hdfs://nn:8020/x", "webhdfs://nn:9870/x",
//   "s3a://bucket/key". A file system answers in the same form it was asked
//   (a listing of "hdfs://nn:8020/d" names "hdfs://nn:8020/d/a"), so callers
//   never rebuild URIs. Local paths are answered as plain absolute paths.
// - Stat: NotFound ("No such file or directory: P") when absent.
// - List: the direct children of a directory, sorted by path; NotFound when
//   absent; a file lists as itself. Hidden names are the caller's business.
// - OpenRead: random access (io::ByteSource). OpenSequential: the bytes from
//   `offset` to the end, for streaming readers; file systems reached over
//   HTTP stream one response rather than one request per read.
// - Create: a new file, parent directories made as needed; AlreadyExists
//   when it exists. Nothing is visible under `path` until Close() succeeds
//   on object stores; on others a failed writer's file is removed by the
//   output committer's abort. Close() reports write errors (ENOSPC, an
//   upload refused) naming the path.
// - Rename: moves a file or directory; the destination must not exist.
//   Object stores may implement it for single files only, as a copy then a
//   delete (not atomic): the output committer publishes with it only files
//   no reader is looking for yet (output_committer.h).
// - Delete: removes a file or (recursive) a directory tree; absent is OK.
// - BlockSize: the split size FileInputFormat uses for files here.
// Errors name the path and, for remote systems, the server's message.
// Implementations are thread-safe: tasks share one instance per authority.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ember/common/status.h"
#include "ember/io/byte_io.h"
#include "ember/io/codec.h"

namespace ember::io {

struct FileStatus {
  std::string path;
  int64_t size = 0;
  bool is_dir = false;
  int64_t block_size = 0;  // the file's own (HDFS records one per file); 0: the file system's BlockSize()
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual Result<FileStatus> Stat(const std::string& path) = 0;
  virtual Result<std::vector<FileStatus>> List(const std::string& dir) = 0;
  virtual Result<std::unique_ptr<ByteSource>> OpenRead(const std::string& path) = 0;
  virtual Result<std::unique_ptr<InputStream>> OpenSequential(const std::string& path, int64_t offset) = 0;
  virtual Result<std::unique_ptr<OutputStream>> Create(const std::string& path) = 0;
  virtual Status Mkdirs(const std::string& path) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Delete(const std::string& path, bool recursive) = 0;
  virtual int64_t BlockSize() const = 0;
};

// Hadoop settings: the spark.hadoop.* entries of the application's conf with
// the prefix removed ("fs.s3a.endpoint" -> "http://127.0.0.1:9000"). Set
// once per process (the driver's engine and each executor at start), read
// by file systems when they are first made for an authority.
void SetHadoopConf(std::map<std::string, std::string> conf);
std::string HadoopConf(const std::string& key, const std::string& fallback = "");

// The file system serving `path` (by scheme; no scheme or "file:" is
// local), made on first use per scheme and authority and then shared.
// An unknown scheme is InvalidArgument naming it and the known ones.
Result<std::shared_ptr<FileSystem>> FileSystemFor(const std::string& path);

// The whole content of the file at `path`, on its file system, as stored
// (no decompression): for small settings files such as the fair
// scheduler's allocation file. Errors are those of FileSystemFor and of
// the file system's OpenSequential and reads.
Result<std::string> ReadFileContents(const std::string& path);

// Makes the file system for one scheme and authority ("nn:8020", "bucket");
// the schemes are listed in file_system.cc, one line each.
using FileSystemFactory =
    std::function<Result<std::shared_ptr<FileSystem>>(const std::string& scheme, const std::string& authority)>;

// Splits "scheme://authority/path" into its parts; a plain path has an
// empty scheme and authority.
struct ParsedUri {
  std::string scheme, authority, path;
};
ParsedUri ParseUri(const std::string& uri);

}  // namespace ember::io
