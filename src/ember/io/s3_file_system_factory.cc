// MakeS3FileSystem lives apart from S3FileSystem so the class can be used
// (and unit-tested) without the process-wide Hadoop settings.
#include "ember/io/s3_file_system.h"

namespace ember::io {

Result<std::shared_ptr<FileSystem>> MakeS3FileSystem(const std::string& scheme, const std::string& bucket) {
  EMBER_ASSIGN_OR_RETURN(S3Config config, S3ConfigFrom([](const std::string& key) { return HadoopConf(key); }));
  return std::shared_ptr<FileSystem>(std::make_shared<S3FileSystem>(scheme, bucket, std::move(config)));
}

}  // namespace ember::io
