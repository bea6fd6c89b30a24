#include "ember/deploy/setting_registry.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "ember/deploy/settings.h"

namespace ember::deploy {
namespace {

TEST(SettingRegistryTest, EveryEntryIsWellFormed) {
  std::set<std::string> names;
  for (const Setting& s : AllSettings()) {
    SCOPED_TRACE(s.name);
    EXPECT_TRUE(names.insert(s.name).second) << "registered twice";
    EXPECT_NE(std::string(s.meaning), "");
    EXPECT_NE(s.scope, 0u);
    if (s.type == SettingType::kDuration) {
      EXPECT_TRUE(std::string(s.detail) == "ms" || std::string(s.detail) == "s");
    }
    if (s.type == SettingType::kEnum) {
      EXPECT_NE(std::string(s.detail), "");
    }
    if (*s.def && !s.no_effect) {
      EXPECT_TRUE(ParseSettingValue(s, s.name, s.def).ok()) << "bad default " << s.def;
    }
    if (*s.fallback) {
      EXPECT_NE(FindSetting(s.fallback), nullptr) << "unknown fallback " << s.fallback;
    }
  }
}

TEST(SettingRegistryTest, FindsExactNamesPrefixesAndRpcSslAliases) {
  EXPECT_STREQ(FindSetting("spark.master")->name, "spark.master");
  EXPECT_STREQ(FindSetting("spark.executorEnv.PATH")->name, "spark.executorEnv.*");
  EXPECT_STREQ(FindSetting("spark.sql.shuffle.partitions")->name, "spark.sql.*");
  EXPECT_STREQ(FindSetting("spark.hadoop.fs.s3a.endpoint")->name, "spark.hadoop.fs.s3a.endpoint");
  EXPECT_STREQ(FindSetting("spark.hadoop.fs.defaultFS")->name, "spark.hadoop.*");
  EXPECT_STREQ(FindSetting("spark.ssl.rpc.enabled")->name, "spark.ssl.enabled");
  EXPECT_EQ(FindSetting("spark.no.such"), nullptr);
  EXPECT_EQ(FindSetting("spark.masterx"), nullptr);
}

TEST(SettingRegistryTest, TypedReadsUseDefaultsFallbacksAndBareUnits) {
  Conf conf;
  EXPECT_EQ(*GetBytes(conf, "spark.shuffle.memory"), 64 << 20);
  EXPECT_DOUBLE_EQ(*GetSeconds(conf, "spark.network.timeout"), 120);
  EXPECT_DOUBLE_EQ(*GetSeconds(conf, "spark.locality.wait.node"), 3);  // falls back to spark.locality.wait
  conf["spark.locality.wait"] = "500";                                   // bare: milliseconds
  conf["spark.network.timeout"] = "30";                                  // bare: seconds
  EXPECT_DOUBLE_EQ(*GetSeconds(conf, "spark.locality.wait.node"), 0.5);
  EXPECT_DOUBLE_EQ(*GetSeconds(conf, "spark.shuffle.io.connectionTimeout"), 30);
  EXPECT_EQ(GetString(conf, "spark.driver.bindAddress"), "127.0.0.1");
  conf["spark.memory.fraction"] = "0";
  EXPECT_EQ(GetDouble(conf, "spark.memory.fraction").status().message(),
            "invalid value '0' for setting spark.memory.fraction (a number greater than 0 and at most 1)");
  EXPECT_FALSE(GetInt(conf, "spark.no.such").ok());
}

TEST(SettingRegistryTest, ValidateConfParsesKnownKeysOnly) {
  EXPECT_TRUE(ValidateConf({{"spark.task.cpus", "2"}, {"spark.unknown", "x"}, {"spark.driver.memory", "lots"},
                            {"spark.ssl.rpc.protocol", "TLSv1.3"}})
                  .ok());
  Status st = ValidateConf({{"spark.ssl.rpc.protocol", "SSLv3"}});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("'SSLv3' for setting spark.ssl.rpc.protocol"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace ember::deploy
