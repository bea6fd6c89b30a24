// io/s3_config: the fs.s3a.* settings and where credentials come from.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>

#include "ember/common/file_util.h"
#include "ember/io/s3_config.h"

namespace ember::io {
namespace {

SettingLookup From(std::map<std::string, std::string> settings) {
  return [settings](const std::string& key) {
    auto it = settings.find(key);
    return it == settings.end() ? std::string() : it->second;
  };
}

// Sets (or, with nullptr, clears) an environment variable for one test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    value ? setenv(name, value, 1) : unsetenv(name);
  }
  ~ScopedEnv() { old_.empty() ? unsetenv(name_) : setenv(name_, old_.c_str(), 1); }

 private:
  const char* name_;
  std::string old_;
};

const std::map<std::string, std::string> kKeys = {{"fs.s3a.access.key", "AK"}, {"fs.s3a.secret.key", "SK"}};

TEST(S3Config, DefaultsAreHadoopsForAwsInTheRegion) {
  auto settings = kKeys;
  settings["fs.s3a.endpoint.region"] = "eu-west-1";
  auto config = S3ConfigFrom(From(settings));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->endpoint_scheme, "https");
  EXPECT_EQ(config->endpoint_host, "s3.eu-west-1.amazonaws.com");
  EXPECT_FALSE(config->path_style);
  EXPECT_EQ(config->part_size, 64 << 20);
  EXPECT_EQ(config->block_size, 32 << 20);
}

TEST(S3Config, ReadsEndpointPathStyleAndSizes) {
  auto settings = kKeys;
  settings.insert({{"fs.s3a.endpoint", "http://127.0.0.1:9000"},
                   {"fs.s3a.path.style.access", "true"},
                   {"fs.s3a.multipart.size", "8M"},
                   {"fs.s3a.block.size", "134217728"},
                   {"fs.s3a.connection.timeout", "5s"}});
  auto config = S3ConfigFrom(From(settings));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->endpoint_scheme, "http");
  EXPECT_EQ(config->endpoint_host, "127.0.0.1:9000");
  EXPECT_TRUE(config->path_style);
  EXPECT_EQ(config->part_size, 8 << 20);
  EXPECT_EQ(config->block_size, 128 << 20);
  EXPECT_EQ(config->idle_timeout_ms, 5000);
  EXPECT_EQ(config->credentials.access_key, "AK");
}

TEST(S3Config, PartsAreNeverSmallerThanS3Allows) {
  auto settings = kKeys;
  settings["fs.s3a.multipart.size"] = "1M";
  EXPECT_EQ(S3ConfigFrom(From(settings))->part_size, 5 << 20);
}

TEST(S3Config, BadValuesNameTheSetting) {
  for (auto [key, value] : std::map<std::string, std::string>{{"fs.s3a.multipart.size", "lots"},
                                                              {"fs.s3a.block.size", "12Q"},
                                                              {"fs.s3a.path.style.access", "yes"},
                                                              {"fs.s3a.connection.timeout", "-1"}}) {
    auto settings = kKeys;
    settings[key] = value;
    auto config = S3ConfigFrom(From(settings));
    ASSERT_FALSE(config.ok()) << key;
    EXPECT_NE(config.status().message().find(key), std::string::npos) << config.status().message();
  }
}

TEST(S3Config, CredentialsComeFromSettingsThenEnvironmentThenSharedFile) {
  auto dir = MakeTempDir("/tmp", "s3cred");
  ASSERT_TRUE(dir.ok());
  std::string file = *dir + "/credentials";
  std::ofstream(file) << "[default]\naws_access_key_id = DEF\naws_secret_access_key = x\n"
                      << "[other]\naws_access_key_id=OTHER\naws_secret_access_key=y\naws_session_token=T\n";
  ScopedEnv file_env("AWS_SHARED_CREDENTIALS_FILE", file.c_str());
  ScopedEnv no_key("AWS_ACCESS_KEY_ID", nullptr);
  ScopedEnv no_profile("AWS_PROFILE", nullptr);
  EXPECT_EQ(ResolveCredentials(From({}))->access_key, "DEF");
  {
    ScopedEnv profile("AWS_PROFILE", "other");
    auto other = ResolveCredentials(From({}));
    EXPECT_EQ(other->access_key, "OTHER");
    EXPECT_EQ(other->session_token, "T");
  }
  ScopedEnv key("AWS_ACCESS_KEY_ID", "ENV");
  ScopedEnv secret("AWS_SECRET_ACCESS_KEY", "z");
  EXPECT_EQ(ResolveCredentials(From({}))->access_key, "ENV");
  EXPECT_EQ(ResolveCredentials(From(kKeys))->access_key, "AK");
  EXPECT_TRUE(RemoveTree(*dir).ok());
}

TEST(S3Config, NoCredentialsSaysWhereItLookedWithoutSecrets) {
  ScopedEnv file_env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials");
  ScopedEnv no_key("AWS_ACCESS_KEY_ID", nullptr);
  auto missing = ResolveCredentials(From({{"fs.s3a.secret.key", "hush"}}));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/credentials"), std::string::npos);
  EXPECT_EQ(missing.status().message().find("hush"), std::string::npos);
}

}  // namespace
}  // namespace ember::io
