#include "ember/deploy/daemon_conf.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "ember/common/file_util.h"
#include "ember/deploy/master_url.h"

namespace ember::deploy {
namespace {

class DaemonConfTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = *MakeTempDir("/tmp", "daemon-conf-"); }
  void TearDown() override {
    RemoveTree(dir_);
    ::unsetenv("SPARK_MASTER_OPTS");
    ::unsetenv("SPARK_DAEMON_JAVA_OPTS");
  }
  std::string Write(const std::string& text) {
    std::string path = dir_ + "/spark-defaults.conf";
    std::ofstream(path) << text;
    return path;
  }
  std::string dir_;
};

TEST_F(DaemonConfTest, ReadsJavaStylePropertiesLines) {
  auto conf = ReadPropertiesFile(Write("# comment\n! also\n\nspark.a=1\nspark.b  2 \nspark.c: x y\n spark.d = v\n"));
  ASSERT_TRUE(conf.ok()) << conf.status().message();
  EXPECT_EQ(*conf, (Conf{{"spark.a", "1"}, {"spark.b", "2"}, {"spark.c", "x y"}, {"spark.d", "v"}}));
}

TEST_F(DaemonConfTest, LineWithoutValueNamesFileAndLine) {
  auto conf = ReadPropertiesFile(Write("spark.a=1\nlonely\n"));
  ASSERT_FALSE(conf.ok());
  EXPECT_NE(conf.status().message().find("line 2"), std::string::npos) << conf.status().message();
  EXPECT_NE(conf.status().message().find("spark-defaults.conf"), std::string::npos);
  EXPECT_FALSE(ReadPropertiesFile(dir_ + "/missing.conf").ok());
}

TEST_F(DaemonConfTest, JavaOptsOverrideTheFile) {
  std::string path = Write("spark.worker.timeout=60\nspark.x=file\n");
  ::setenv("SPARK_DAEMON_JAVA_OPTS", "-Dspark.x=daemon -Xmx1g", 1);
  ::setenv("SPARK_MASTER_OPTS", "-Dspark.worker.timeout=5", 1);
  auto conf = LoadDaemonConf(path, "SPARK_MASTER_OPTS");
  ASSERT_TRUE(conf.ok());
  EXPECT_EQ(conf->at("spark.worker.timeout"), "5");
  EXPECT_EQ(conf->at("spark.x"), "daemon");
}

TEST_F(DaemonConfTest, SecretRequiredWithAuthenticationAndLoopbackWithout) {
  EXPECT_EQ(*DaemonSecret({}, "127.0.0.1", "master"), kUnauthenticatedSecret);
  auto open = DaemonSecret({}, "10.0.0.1", "master");
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.status().message().find("spark.authenticate"), std::string::npos);
  EXPECT_FALSE(DaemonSecret({{"spark.authenticate", "true"}}, "10.0.0.1", "master").ok());
  EXPECT_EQ(*DaemonSecret({{"spark.authenticate", "true"}, {"spark.authenticate.secret", "s3"}}, "10.0.0.1",
                          "master"),
            "s3");
}

TEST(MasterUrl, StandaloneForms) {
  auto e = ParseMasterUrl("ember://10.1.2.3:7078");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->standalone);
  EXPECT_EQ(e->master_host, "10.1.2.3");
  EXPECT_EQ(e->master_port, 7078);
  auto s = ParseMasterUrl("spark://master-1.example");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->master_host, "master-1.example");
  EXPECT_EQ(s->master_port, 7077);
  auto v6 = ParseMasterUrl("ember://[::1]:7077");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->master_host, "::1");
  for (const char* bad : {"ember://", "ember://h:0", "ember://h:99999", "ember://h:77;rm", "mesos://h:5050"})
    EXPECT_FALSE(ParseMasterUrl(bad).ok()) << bad;
}

}  // namespace
}  // namespace ember::deploy
