// How an S3 file system reaches its bucket: the fs.s3a.* settings (named as
// Hadoop's S3A connector names them) and the credentials to sign with.
//
// Contract: S3ConfigFrom reads each setting through `setting` (the engine
// passes HadoopConf; tests pass a map), applying Hadoop's defaults and
// checking values (InvalidArgument naming the setting). Credentials come
// from fs.s3a.access.key / secret.key / session.token, else the
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
// environment, else the shared credentials file ($AWS_SHARED_CREDENTIALS_FILE
// or ~/.aws/credentials, profile $AWS_PROFILE or "default"); none found is
// InvalidArgument saying where it looked. Error messages never contain a
// secret.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "ember/common/status.h"
#include "ember/io/sigv4.h"

namespace ember::io {

struct S3Config {
  std::string endpoint;         // as configured, for messages: "http://127.0.0.1:9000"
  std::string endpoint_scheme;  // "http" or "https"
  std::string endpoint_host;    // "127.0.0.1:9000", "s3.us-east-1.amazonaws.com"
  bool path_style = false;      // bucket in the path rather than the host name
  std::string region = "us-east-1";
  AwsCredentials credentials;
  int64_t part_size = 64 << 20;   // multipart part size, at least 5 MiB
  int64_t block_size = 32 << 20;  // split size for input
  long connect_timeout_ms = 30000;
  long idle_timeout_ms = 200000;  // a request stalled this long fails
};

using SettingLookup = std::function<std::string(const std::string& key)>;
Result<S3Config> S3ConfigFrom(const SettingLookup& setting);

// The credentials from the settings, environment or shared file, as above.
Result<AwsCredentials> ResolveCredentials(const SettingLookup& setting);

}  // namespace ember::io
