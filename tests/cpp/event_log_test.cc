// The event log file: Spark's name, .inprogress until closed, a missing
// directory or an existing log refused, block updates only when asked;
// the environment's secrets redacted; the live UI's queue of lines.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ember/common/file_util.h"
#include "ember/deploy/app_events.h"
#include "ember/deploy/event_log.h"
#include "ember/deploy/live_events.h"

namespace ember::deploy {
namespace {

namespace l = scheduler::listener;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool Exists(const std::string& path) { return std::ifstream(path).good(); }

class EventLogTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = *MakeTempDir("/tmp", "event-log-test-"); }
  void TearDown() override { RemoveTree(dir_); }
  Conf Enabled() { return {{"spark.eventLog.enabled", "true"}, {"spark.eventLog.dir", "file:" + dir_}}; }
  std::string dir_;
};

TEST_F(EventLogTest, DisabledByDefault) {
  auto log = EventLog::Open({}, "local-1");
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(*log, nullptr);
}

TEST_F(EventLogTest, WritesLinesThenRenamesAtClose) {
  auto log = EventLog::Open(Enabled(), "local-1");
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ((*log)->path(), "file:" + dir_ + "/local-1");
  EXPECT_TRUE(Exists(dir_ + "/local-1.inprogress"));
  scheduler::ListenerEvent start = l::ApplicationStart{"app", "local-1", "u", 1};
  scheduler::ListenerEvent block = l::BlockUpdated{};
  (*log)->Write(start, "{\"a\":1}");
  (*log)->Write(block, "{\"block\":1}");  // not logged without logBlockUpdates
  (*log)->Write(start, "{\"a\":2}");
  ASSERT_TRUE((*log)->Close().ok());
  EXPECT_FALSE(Exists(dir_ + "/local-1.inprogress"));
  EXPECT_EQ(Slurp(dir_ + "/local-1"), "{\"a\":1}\n{\"a\":2}\n");
}

TEST_F(EventLogTest, LogsBlockUpdatesWhenAsked) {
  Conf conf = Enabled();
  conf["spark.eventLog.logBlockUpdates.enabled"] = "true";
  auto log = *EventLog::Open(conf, "local-2");
  log->Write(l::BlockUpdated{}, "{\"block\":1}");
  ASSERT_TRUE(log->Close().ok());
  EXPECT_EQ(Slurp(dir_ + "/local-2"), "{\"block\":1}\n");
}

TEST_F(EventLogTest, MissingDirectoryIsAnErrorNamingIt) {
  Conf conf = Enabled();
  conf["spark.eventLog.dir"] = dir_ + "/nope";
  auto log = EventLog::Open(conf, "local-1");
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().message(), "Log directory " + dir_ + "/nope does not exist.");
}

TEST_F(EventLogTest, AnExistingLogIsKeptUnlessOverwriteIsSet) {
  ASSERT_TRUE((*EventLog::Open(Enabled(), "local-1"))->Close().ok());
  auto again = EventLog::Open(Enabled(), "local-1");
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find(dir_ + "/local-1 already exists"), std::string::npos);
  EXPECT_NE(again.status().message().find("spark.eventLog.overwrite"), std::string::npos);
  Conf conf = Enabled();
  conf["spark.eventLog.overwrite"] = "true";
  auto replaced = EventLog::Open(conf, "local-1");
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  EXPECT_TRUE((*replaced)->Close().ok());
}

TEST_F(EventLogTest, CompressesWithZstdUnderSparksExtension) {
  Conf conf = Enabled();
  conf["spark.eventLog.compress"] = "true";
  auto log = *EventLog::Open(conf, "local-3");
  log->Write(l::LogStart{}, "{\"x\":1}");
  ASSERT_TRUE(log->Close().ok());
  std::string bytes = Slurp(dir_ + "/local-3.zstd");
  ASSERT_GE(bytes.size(), 4u);
  EXPECT_EQ(bytes.substr(0, 4), std::string("\x28\xB5\x2F\xFD", 4));  // a zstd frame
  conf["spark.eventLog.compression.codec"] = "lz4";
  auto lz4 = EventLog::Open(conf, "local-4");
  ASSERT_FALSE(lz4.ok());
  EXPECT_NE(lz4.status().message().find("spark.eventLog.compression.codec 'lz4'"), std::string::npos);
}

TEST(AppEvents, RedactsSecretsAsSparkDoes) {
  auto r = Redacted({{"spark.authenticate.secret", "s3"},
                     {"spark.hadoop.fs.s3a.access.key", "AK"},
                     {"spark.my.Password", "x"},
                     {"spark.app.name", "wc"},
                     {"spark.other", "token=abc"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["spark.authenticate.secret"], "*********(redacted)");
  EXPECT_EQ((*r)["spark.hadoop.fs.s3a.access.key"], "*********(redacted)");
  EXPECT_EQ((*r)["spark.my.Password"], "*********(redacted)");
  EXPECT_EQ((*r)["spark.other"], "*********(redacted)");  // the value matches
  EXPECT_EQ((*r)["spark.app.name"], "wc");
  auto custom = Redacted({{"spark.redaction.regex", "name"}, {"spark.app.name", "wc"}, {"spark.secret", "s"}});
  EXPECT_EQ((*custom)["spark.app.name"], "*********(redacted)");
  EXPECT_EQ((*custom)["spark.secret"], "s");
  auto bad = Redacted({{"spark.redaction.regex", "("}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("spark.redaction.regex"), std::string::npos);
}

TEST(AppEvents, OpenTheLogInSparksOrder) {
  auto events = ApplicationStartEvents({{"spark.app.name", "wc"}, {"spark.password", "p"}}, "local-9", 42, 2);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 4u);
  EXPECT_TRUE(std::holds_alternative<l::LogStart>((*events)[0]));
  EXPECT_TRUE(std::holds_alternative<l::ResourceProfileAdded>((*events)[1]));
  const auto& env = std::get<l::EnvironmentUpdate>((*events)[2]);
  EXPECT_EQ(env.spark.at("spark.app.id"), "local-9");
  EXPECT_EQ(env.spark.at("spark.password"), "*********(redacted)");
  const auto& start = std::get<l::ApplicationStart>((*events)[3]);
  EXPECT_EQ(start.app_name, "wc");
  EXPECT_EQ(start.time, 42);
}

TEST(LiveEvents, KeepsLinesFromTheFirstTakeUpToItsCapacity) {
  LiveEvents q(2, /*active=*/false);
  q.Push("before");  // nobody reads yet: not kept
  EXPECT_TRUE(q.Take(0).empty());
  q.Push("a");
  q.Push("b");
  q.Push("c");  // over capacity: dropped
  EXPECT_EQ(q.Take(0), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(q.Take(0.01).empty());  // [] at the timeout
  q.Push("d");
  q.Close();
  EXPECT_EQ(q.Take(60), (std::vector<std::string>{"d"}));
  EXPECT_TRUE(q.Take(60).empty());  // closed: at once, not after 60 s
}

TEST(LiveEvents, ActiveFromTheStartWhenAsked) {
  LiveEvents q(10, /*active=*/true);
  q.Push("start");
  EXPECT_EQ(q.Take(0), (std::vector<std::string>{"start"}));
}

}  // namespace
}  // namespace ember::deploy
