// Reading and writing one S3 object: the streams S3FileSystem hands out.
//
// Contract:
// - S3ObjectSource: random access by ranged GETs; each fetch reads at
//   least kS3ReadAhead bytes and later reads inside that window are served
//   from memory (record readers make many small reads).
// - S3SequentialStream: the bytes from `offset` to `size`, fetched in
//   kS3SequentialChunk ranged GETs (several MiB per request).
// - S3UploadStream: buffers writes; a buffer reaching `part_size` starts
//   (or continues) a multipart upload; Close() PUTs a small object whole or
//   uploads the last part and completes the upload. Nothing is visible at
//   the key until Close() succeeds. A failure, or destruction without
//   Close(), aborts the multipart upload so no parts are left behind.
// Errors name the s3a:// path and the server's Code and Message. One
// stream is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ember/io/byte_io.h"
#include "ember/io/s3_client.h"

namespace ember::io {

constexpr int64_t kS3ReadAhead = 1 << 20;
constexpr int64_t kS3SequentialChunk = 8 << 20;

struct S3Object {
  std::shared_ptr<const S3Client> client;
  std::string key;
  std::string uri;  // "s3a://bucket/key", for messages
};

std::unique_ptr<ByteSource> S3ObjectSource(S3Object object, int64_t size);
std::unique_ptr<InputStream> S3SequentialStream(S3Object object, int64_t offset, int64_t size);
std::unique_ptr<OutputStream> S3UploadStream(S3Object object, int64_t part_size);

}  // namespace ember::io
