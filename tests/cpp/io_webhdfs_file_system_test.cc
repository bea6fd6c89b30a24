// WebHdfsFileSystem against a real namenode: the FileSystem contract over
// WebHDFS. The live tests need Hadoop's mini cluster; tests/python/
// test_hdfs.py starts one and runs them with EMBER_TEST_HDFS
// (hdfs://127.0.0.1:<rpc>) and EMBER_TEST_HDFS_HTTP (127.0.0.1:<http>)
// set; without them they skip. The unreachable-namenode test needs none.
#include "ember/io/webhdfs_file_system.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>

namespace ember::io {
namespace {

std::string ReadAll(InputStream& in) {
  std::string out;
  char buf[100000];
  for (;;) {
    auto n = in.Read(buf, sizeof buf);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    if (!n.ok() || *n == 0) return out;
    out.append(buf, *n);
  }
}

void Put(FileSystem& fs, const std::string& path, const std::string& data) {
  auto out = fs.Create(path);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_TRUE((*out)->Write(data).ok());
  ASSERT_TRUE((*out)->Close().ok());
}

TEST(WebHdfsFileSystem, UnreachableNamenodeIsAPromptErrorNamingItsAddress) {
  auto start = std::chrono::steady_clock::now();
  auto fs = MakeWebHdfsFileSystem("webhdfs", "127.0.0.1:1");  // nothing listens on port 1
  ASSERT_TRUE(fs.ok());
  auto status = (*fs)->Stat("webhdfs://127.0.0.1:1/x");
  EXPECT_EQ(status.status().code(), StatusCode::kIOError);
  EXPECT_NE(status.status().message().find("webhdfs://127.0.0.1:1/x"), std::string::npos);
  EXPECT_NE(status.status().message().find("127.0.0.1:1"), std::string::npos);
  EXPECT_NE(status.status().message().find("Connection refused"), std::string::npos) << status.status().message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

class WebHdfsLive : public testing::Test {
 protected:
  void SetUp() override {
    const char* uri = ::getenv("EMBER_TEST_HDFS");
    const char* http = ::getenv("EMBER_TEST_HDFS_HTTP");
    if (!uri || !http) GTEST_SKIP() << "EMBER_TEST_HDFS/EMBER_TEST_HDFS_HTTP unset (tests/python/test_hdfs.py sets them)";
    SetHadoopConf({{"dfs.namenode.http-address", http}});
    ParsedUri parsed = ParseUri(uri);
    auto fs = MakeWebHdfsFileSystem(parsed.scheme, parsed.authority);
    ASSERT_TRUE(fs.ok()) << fs.status().ToString();
    fs_ = *fs;
    dir_ = std::string(uri) + "/live-" + std::to_string(::getpid()) + "-" +
           testing::UnitTest::GetInstance()->current_test_info()->name();
    ASSERT_TRUE(fs_->Mkdirs(dir_).ok());
  }
  void TearDown() override {
    if (fs_) {
      EXPECT_TRUE(fs_->Delete(dir_, true).ok());
    }
  }
  std::shared_ptr<FileSystem> fs_;
  std::string dir_;
};

TEST_F(WebHdfsLive, WritesThenReadsRandomlyAndSequentiallyAcrossChunks) {
  std::string data;
  for (int i = 0; data.size() < (9u << 20); ++i) data += "line " + std::to_string(i) + "\n";
  Put(*fs_, dir_ + "/big.txt", data);
  auto status = fs_->Stat(dir_ + "/big.txt");
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->path, dir_ + "/big.txt");
  EXPECT_EQ(status->size, static_cast<int64_t>(data.size()));
  auto source = fs_->OpenRead(dir_ + "/big.txt");
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->Size(), static_cast<int64_t>(data.size()));
  for (int64_t offset : {int64_t{0}, int64_t{5}, int64_t{3 << 20}, static_cast<int64_t>(data.size()) - 3}) {
    std::string got(10, '\0');
    auto n = (*source)->ReadAt(offset, got.data(), got.size());
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    got.resize(*n);
    EXPECT_EQ(got, data.substr(offset, 10)) << "at " << offset;
  }
  auto stream = fs_->OpenSequential(dir_ + "/big.txt", 7);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  EXPECT_TRUE(ReadAll(**stream) == data.substr(7));
}

TEST_F(WebHdfsLive, ListsChildrenSortedWithTheUsersSchemeAndAFileAsItself) {
  Put(*fs_, dir_ + "/b.txt", "bb");
  Put(*fs_, dir_ + "/a.txt", "a");
  Put(*fs_, dir_ + "/sub/c.txt", "");  // parents made as needed
  auto listing = fs_->List(dir_ + "/");
  ASSERT_TRUE(listing.ok()) << listing.status().ToString();
  ASSERT_EQ(listing->size(), 3u);
  EXPECT_EQ((*listing)[0].path, dir_ + "/a.txt");
  EXPECT_EQ((*listing)[0].size, 1);
  EXPECT_EQ((*listing)[1].path, dir_ + "/b.txt");
  EXPECT_EQ((*listing)[2].path, dir_ + "/sub");
  EXPECT_TRUE((*listing)[2].is_dir);
  auto file = fs_->List(dir_ + "/b.txt");
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->size(), 1u);
  EXPECT_EQ((*file)[0].path, dir_ + "/b.txt");
  EXPECT_EQ((*file)[0].size, 2);
}

TEST_F(WebHdfsLive, MissingPathsAreNotFoundWithTheNamenodesMessage) {
  auto stat = fs_->Stat(dir_ + "/nope");
  EXPECT_EQ(stat.status().code(), StatusCode::kNotFound);
  EXPECT_NE(stat.status().message().find("No such file or directory: " + dir_ + "/nope"), std::string::npos);
  EXPECT_NE(stat.status().message().find("File does not exist"), std::string::npos) << stat.status().message();
  EXPECT_EQ(fs_->List(dir_ + "/nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->OpenRead(dir_ + "/nope").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(fs_->Delete(dir_ + "/nope", false).ok());
}

TEST_F(WebHdfsLive, CreateRenameAndDeleteKeepTheContract) {
  Put(*fs_, dir_ + "/a.txt", "a");
  EXPECT_EQ(fs_->Create(dir_ + "/a.txt").status().code(), StatusCode::kAlreadyExists);
  Put(*fs_, dir_ + "/b.txt", "b");
  EXPECT_EQ(fs_->Rename(dir_ + "/a.txt", dir_ + "/b.txt").code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(fs_->Rename(dir_ + "/a.txt", dir_ + "/new/parent/a.txt").ok());
  EXPECT_EQ(fs_->Stat(dir_ + "/a.txt").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->Stat(dir_ + "/new/parent/a.txt")->size, 1);
  EXPECT_EQ(fs_->Rename(dir_ + "/gone", dir_ + "/c").code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs_->Delete(dir_ + "/new", false).ok());  // not empty
  ASSERT_TRUE(fs_->Delete(dir_ + "/new", true).ok());
  EXPECT_EQ(fs_->Stat(dir_ + "/new").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->BlockSize(), 128 << 20);
}

TEST_F(WebHdfsLive, AnUploadHdfsRefusesFailsOnCloseNamingThePathAndTheReason) {
  std::string http = ::getenv("EMBER_TEST_HDFS_HTTP");
  SetHadoopConf({{"dfs.namenode.http-address", http}, {"hadoop.user.name", "mallory"}});
  ParsedUri parsed = ParseUri(dir_);
  auto outsider = MakeWebHdfsFileSystem(parsed.scheme, parsed.authority);
  ASSERT_TRUE(outsider.ok());
  auto out = (*outsider)->Create(dir_ + "/theirs.txt");  // dir_ belongs to the cluster's user, mode 755
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_TRUE((*out)->Write("data").ok());
  Status closed = (*out)->Close();
  EXPECT_EQ(closed.code(), StatusCode::kIOError);
  EXPECT_NE(closed.message().find(dir_ + "/theirs.txt"), std::string::npos) << closed.message();
  EXPECT_NE(closed.message().find("Permission denied: user=mallory"), std::string::npos) << closed.message();
  EXPECT_EQ(fs_->Stat(dir_ + "/theirs.txt").status().code(), StatusCode::kNotFound);
}

TEST_F(WebHdfsLive, WebhdfsSchemeReachesTheSameFilesAndAnswersInItsOwnForm) {
  Put(*fs_, dir_ + "/a.txt", "hello");
  std::string http = ::getenv("EMBER_TEST_HDFS_HTTP");
  auto direct = MakeWebHdfsFileSystem("webhdfs", http);
  ASSERT_TRUE(direct.ok());
  std::string path = "webhdfs://" + http + ParseUri(dir_).path + "/a.txt";
  auto status = (*direct)->Stat(path);
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->path, path);
  EXPECT_EQ(status->size, 5);
  EXPECT_EQ((*direct)->Stat(dir_ + "/a.txt").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ember::io
