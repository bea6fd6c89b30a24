// FileSystem: URI parsing, the local file system's contract, and the
// fault-injecting file system tests use (short reads lose nothing, a full
// disk and a vanished file are errors naming the path).
#include "ember/io/file_system.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "ember/io/codec.h"
#include "ember/io/line_reader.h"

namespace ember::io {
namespace {

namespace fs = std::filesystem;

class FileSystemTest : public testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ember_fs_XXXXXX";
    root_ = ::mkdtemp(tmpl);
  }
  void TearDown() override {
    SetHadoopConf({});
    fs::remove_all(root_);
  }
  std::string P(const std::string& rel) const { return root_ + "/" + rel; }
  std::string root_;
};

TEST(ParseUriTest, SchemeAuthorityPath) {
  auto u = ParseUri("hdfs://nn:8020/a/b");
  EXPECT_EQ(u.scheme, "hdfs");
  EXPECT_EQ(u.authority, "nn:8020");
  EXPECT_EQ(u.path, "/a/b");
  u = ParseUri("s3a://bucket");
  EXPECT_EQ(u.authority, "bucket");
  EXPECT_EQ(u.path, "/");
  u = ParseUri("file:/x/y");
  EXPECT_EQ(u.scheme, "file");
  EXPECT_EQ(u.authority, "");
  EXPECT_EQ(u.path, "/x/y");
  u = ParseUri("/plain/a:b");
  EXPECT_EQ(u.scheme, "");
  EXPECT_EQ(u.path, "/plain/a:b");
  EXPECT_EQ(ParseUri("relative/x").path, "relative/x");
}

TEST_F(FileSystemTest, LocalContract) {
  auto local = FileSystemFor(P("x"));
  ASSERT_TRUE(local.ok());
  FileSystem& f = **local;
  auto out = f.Create(P("d/e/file"));  // parents made
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_TRUE((*out)->Write("hello").ok());
  ASSERT_TRUE((*out)->Close().ok());
  EXPECT_EQ(f.Create(P("d/e/file")).status().code(), StatusCode::kAlreadyExists);
  auto st = f.Stat("file://" + P("d/e/file"));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->path, P("d/e/file"));
  EXPECT_EQ(st->size, 5);
  EXPECT_FALSE(st->is_dir);
  auto listed = f.List(P("d"));
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].path, P("d/e"));
  EXPECT_TRUE((*listed)[0].is_dir);
  auto missing = f.Stat(P("none"));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find(P("none")), std::string::npos);
  ASSERT_TRUE(f.Rename(P("d/e/file"), P("moved/file")).ok());
  EXPECT_EQ(f.Stat(P("d/e/file")).status().code(), StatusCode::kNotFound);
  auto src = f.OpenRead(P("moved/file"));
  ASSERT_TRUE(src.ok());
  char buf[8];
  EXPECT_EQ(*(*src)->ReadAt(1, buf, 8), 4u);
  EXPECT_EQ(std::string(buf, 4), "ello");
  ASSERT_TRUE(f.Delete(P("moved"), true).ok());
  EXPECT_TRUE(f.Delete(P("moved"), true).ok());  // absent is fine
  EXPECT_FALSE(fs::exists(P("moved")));
}

TEST_F(FileSystemTest, ShortReadsLoseNothing) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "line " + std::to_string(i) + "\n";
  std::ofstream(P("in.txt")) << text;
  SetHadoopConf({{"ember.test.fs.shortReads", "true"}});
  int64_t half = static_cast<int64_t>(text.size() / 2);
  std::string lines;
  for (TextSplit split : {TextSplit{"faulty://" + P("in.txt"), 0, half},
                          TextSplit{"faulty://" + P("in.txt"), half, static_cast<int64_t>(text.size()) - half}}) {
    auto reader = LineChunkReader::Open(split, true, 100);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    std::string chunk;
    while (*(*reader)->Next(&chunk)) lines += chunk + "\n";
  }
  EXPECT_EQ(lines, text);
}

TEST_F(FileSystemTest, FullDiskIsAnErrorNamingTheFile) {
  SetHadoopConf({{"ember.test.fs.diskFullAfter", "10"}});
  auto out = CreateOutput("faulty://" + P("out.txt"), Codec::kNone);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE((*out)->Write("0123456789").ok());
  Status st = (*out)->Write("x");
  EXPECT_EQ(st.code(), StatusCode::kIOError);
  EXPECT_NE(st.message().find("No space left on device"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find(P("out.txt")), std::string::npos);
}

TEST_F(FileSystemTest, VanishedFileIsNotFound) {
  std::ofstream(P("gone.txt")) << "x\n";
  SetHadoopConf({{"ember.test.fs.vanish", "gone"}});
  auto in = OpenInput("faulty://" + P("gone.txt"));
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.status().code(), StatusCode::kNotFound);
  EXPECT_NE(in.status().message().find(P("gone.txt")), std::string::npos);
}

TEST_F(FileSystemTest, UnknownSchemeNamesTheKnownOnes) {
  auto unknown = FileSystemFor("gopher://h/x");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("file"), std::string::npos);
}

}  // namespace
}  // namespace ember::io
