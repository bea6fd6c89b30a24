// The byte streams of WebHdfsFileSystem: reads by ranged OPEN requests,
// writes buffered in a local temporary file and uploaded on Close.
//
// Contract:
// - WebHdfsSource (ByteSource): ReadAt serves from a read-ahead window
//   fetched with one ranged OPEN (at least kReadAheadBytes), so a format
//   reading a few bytes at a time does not cost one request per read; a
//   response shorter than the file says is IOError, never a short read.
// - WebHdfsSequentialStream (InputStream): the bytes from an offset to the
//   end, fetched in ranges of kSequentialChunkBytes (one request each).
// - WebHdfsUpload (OutputStream): Write appends to an unlinked temporary
//   file in $TMPDIR (default /tmp), so memory stays bounded whatever the
//   output's size; Close creates the HDFS file with its whole content in
//   one upload (nothing is visible in HDFS before Close). A write or upload
//   failure names the HDFS path.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ember/common/status.h"
#include "ember/io/byte_io.h"
#include "ember/io/codec.h"
#include "ember/io/webhdfs_client.h"

namespace ember::io {

constexpr int64_t kReadAheadBytes = 1 << 20;
constexpr int64_t kSequentialChunkBytes = 8 << 20;

std::unique_ptr<ByteSource> WebHdfsSource(std::shared_ptr<const WebHdfsClient> client, std::string path,
                                          int64_t size);
std::unique_ptr<InputStream> WebHdfsSequentialStream(std::shared_ptr<const WebHdfsClient> client,
                                                     std::string path, int64_t offset, int64_t size);
Result<std::unique_ptr<OutputStream>> WebHdfsUpload(std::shared_ptr<const WebHdfsClient> client,
                                                    std::string path);

}  // namespace ember::io
