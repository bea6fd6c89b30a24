#include "ember/io/s3_config.h"

#include <cctype>
#include <cstdlib>
#include <fstream>

namespace ember::io {
namespace {

constexpr int64_t kMinPartSize = 5 << 20;  // S3's smallest non-final part

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// Hadoop's getLongBytes: "67108864", "64M", "5m", "1g".
Result<int64_t> ParseBytes(const std::string& key, const std::string& text, int64_t fallback) {
  if (text.empty()) return fallback;
  char* end = nullptr;
  long long n = std::strtoll(text.c_str(), &end, 10);
  std::string unit = Trim(end);
  size_t power = unit.empty() ? 0 : unit.size() == 1 ? std::string("kmgt").find(std::tolower(unit[0])) + 1 : 0;
  if (end == text.c_str() || n <= 0 || (!unit.empty() && (power == 0 || power > 4)))
    return InvalidArgument(key + " must be a positive size such as 64M, not '" + text + "'");
  return static_cast<int64_t>(n) << (10 * power);
}

// Hadoop's getTimeDuration in milliseconds: "200000", "60s", "5m".
Result<long> ParseMillis(const std::string& key, const std::string& text, long fallback) {
  if (text.empty()) return fallback;
  char* end = nullptr;
  long n = std::strtol(text.c_str(), &end, 10);
  std::string unit = Trim(end);
  long scale = unit.empty() || unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60000 : unit == "h" ? 3600000 : 0;
  if (end == text.c_str() || n <= 0 || scale == 0)
    return InvalidArgument(key + " must be a positive duration such as 60s, not '" + text + "'");
  return n * scale;
}

// Splits "http://host:port" (no scheme means https) into scheme and host.
Status ParseEndpoint(S3Config* config) {
  std::string rest = config->endpoint;
  config->endpoint_scheme = "https";
  if (size_t sep = rest.find("://"); sep != std::string::npos) {
    config->endpoint_scheme = rest.substr(0, sep);
    rest = rest.substr(sep + 3);
  }
  config->endpoint_host = rest.substr(0, rest.find('/'));
  if (config->endpoint_host.empty() || (config->endpoint_scheme != "http" && config->endpoint_scheme != "https"))
    return InvalidArgument("fs.s3a.endpoint must be a host or an http(s):// URL, not '" + config->endpoint + "'");
  return Status::OK();
}

// The [profile] section of an AWS shared credentials file.
AwsCredentials ReadCredentialsFile(const std::string& path, const std::string& profile) {
  std::ifstream in(path);
  AwsCredentials found;
  bool in_profile = false;
  for (std::string line; std::getline(in, line);) {
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      in_profile = Trim(line.substr(1, line.find(']') - 1)) == profile;
      continue;
    }
    size_t eq = line.find('=');
    if (!in_profile || eq == std::string::npos) continue;
    std::string name = Trim(line.substr(0, eq)), value = Trim(line.substr(eq + 1));
    if (name == "aws_access_key_id") found.access_key = value;
    if (name == "aws_secret_access_key") found.secret_key = value;
    if (name == "aws_session_token") found.session_token = value;
  }
  return found;
}

}  // namespace

Result<AwsCredentials> ResolveCredentials(const SettingLookup& setting) {
  AwsCredentials c{setting("fs.s3a.access.key"), setting("fs.s3a.secret.key"), setting("fs.s3a.session.token")};
  if (!c.access_key.empty() && !c.secret_key.empty()) return c;
  c = {Env("AWS_ACCESS_KEY_ID"), Env("AWS_SECRET_ACCESS_KEY"), Env("AWS_SESSION_TOKEN")};
  if (!c.access_key.empty() && !c.secret_key.empty()) return c;
  std::string file = Env("AWS_SHARED_CREDENTIALS_FILE");
  if (file.empty()) file = Env("HOME") + "/.aws/credentials";
  std::string profile = Env("AWS_PROFILE").empty() ? "default" : Env("AWS_PROFILE");
  c = ReadCredentialsFile(file, profile);
  if (!c.access_key.empty() && !c.secret_key.empty()) return c;
  return InvalidArgument("no S3 credentials: set fs.s3a.access.key and fs.s3a.secret.key, or AWS_ACCESS_KEY_ID and "
                         "AWS_SECRET_ACCESS_KEY, or profile '" + profile + "' in " + file);
}

Result<S3Config> S3ConfigFrom(const SettingLookup& setting) {
  S3Config config;
  if (std::string region = setting("fs.s3a.endpoint.region"); !region.empty()) config.region = region;
  config.endpoint = setting("fs.s3a.endpoint");
  if (config.endpoint.empty()) config.endpoint = "https://s3." + config.region + ".amazonaws.com";
  EMBER_RETURN_IF_ERROR(ParseEndpoint(&config));
  std::string path_style = setting("fs.s3a.path.style.access");
  if (!path_style.empty() && path_style != "true" && path_style != "false")
    return InvalidArgument("fs.s3a.path.style.access must be true or false, not '" + path_style + "'");
  config.path_style = path_style == "true";
  EMBER_ASSIGN_OR_RETURN(config.part_size, ParseBytes("fs.s3a.multipart.size", setting("fs.s3a.multipart.size"), config.part_size));
  if (config.part_size < kMinPartSize) config.part_size = kMinPartSize;
  EMBER_ASSIGN_OR_RETURN(config.block_size, ParseBytes("fs.s3a.block.size", setting("fs.s3a.block.size"), config.block_size));
  EMBER_ASSIGN_OR_RETURN(config.connect_timeout_ms,
                         ParseMillis("fs.s3a.connection.establish.timeout", setting("fs.s3a.connection.establish.timeout"),
                                     config.connect_timeout_ms));
  EMBER_ASSIGN_OR_RETURN(config.idle_timeout_ms,
                         ParseMillis("fs.s3a.connection.timeout", setting("fs.s3a.connection.timeout"), config.idle_timeout_ms));
  EMBER_ASSIGN_OR_RETURN(config.credentials, ResolveCredentials(setting));
  return config;
}

}  // namespace ember::io
