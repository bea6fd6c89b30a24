// webhdfs_protocol.h: namenode addresses, request URLs, and the JSON
// answers (statuses, booleans, RemoteExceptions) as the namenode sends them.
#include "ember/io/webhdfs_protocol.h"

#include <gtest/gtest.h>

namespace ember::io {
namespace {

TEST(WebHdfsProtocol, HdfsUsesTheConfiguredHttpAddressElseHadoop3sDefaultPort) {
  EXPECT_EQ(*NamenodeHttpAddress("hdfs", "nn.example:8020", ""), "nn.example:9870");
  EXPECT_EQ(*NamenodeHttpAddress("hdfs", "nn.example", ""), "nn.example:9870");
  EXPECT_EQ(*NamenodeHttpAddress("hdfs", "nn.example:8020", "10.0.0.1:50070"), "10.0.0.1:50070");
  EXPECT_EQ(*NamenodeHttpAddress("webhdfs", "nn.example:14000", "ignored:1"), "nn.example:14000");
  auto no_host = NamenodeHttpAddress("hdfs", "", "");
  EXPECT_EQ(no_host.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_host.status().message().find("hdfs://"), std::string::npos);
}

TEST(WebHdfsProtocol, UrlsEncodePathAndUserAndKeepExtraParameters) {
  EXPECT_EQ(WebHdfsUrl("h:9870", "/d/a b%.txt", "OPEN", "al ice", "offset=0&length=5"),
            "http://h:9870/webhdfs/v1/d/a%20b%25.txt?op=OPEN&user.name=al%20ice&offset=0&length=5");
  EXPECT_EQ(WebHdfsUrl("h:9870", "/", "LISTSTATUS", "bob"), "http://h:9870/webhdfs/v1/?op=LISTSTATUS&user.name=bob");
}

TEST(WebHdfsProtocol, ParsesFileStatusAndListing) {
  auto file = ParseFileStatus(
      R"({"FileStatus":{"accessTime":1,"blockSize":134217728,"length":24930,"pathSuffix":"",)"
      R"("type":"FILE","replication":1,"owner":"root"}})");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->length, 24930);
  EXPECT_EQ(file->block_size, 134217728);
  EXPECT_FALSE(file->is_dir);
  auto listing = ParseFileStatuses(
      R"({"FileStatuses":{"FileStatus":[{"length":0,"pathSuffix":"sub","type":"DIRECTORY","blockSize":0},)"
      R"({"length":7,"pathSuffix":"a.txt","type":"FILE","blockSize":1048576}]}})");
  ASSERT_TRUE(listing.ok()) << listing.status().ToString();
  ASSERT_EQ(listing->size(), 2u);
  EXPECT_EQ((*listing)[0].name, "sub");
  EXPECT_TRUE((*listing)[0].is_dir);
  EXPECT_EQ((*listing)[1].name, "a.txt");
  EXPECT_EQ((*listing)[1].length, 7);
  EXPECT_EQ((*listing)[1].block_size, 1048576);  // a file's own block size: its splits' size
  EXPECT_TRUE(ParseFileStatuses(R"({"FileStatuses":{"FileStatus":[]}})")->empty());
}

TEST(WebHdfsProtocol, UnexpectedBodiesAreErrorsQuotingThem) {
  auto html = ParseFileStatus("<html>Error 500</html>");
  EXPECT_EQ(html.status().code(), StatusCode::kIOError);
  EXPECT_NE(html.status().message().find("<html>Error 500"), std::string::npos);
  EXPECT_FALSE(ParseFileStatuses(R"({"FileStatuses":{}})").ok());
  EXPECT_FALSE(ParseBoolean(R"({"boolean":"yes"})").ok());
  EXPECT_TRUE(*ParseBoolean(R"({"boolean":true})"));
  EXPECT_FALSE(*ParseBoolean(R"({"boolean":false})"));
}

TEST(WebHdfsProtocol, RemoteExceptionsBecomeStatusesWithTheServersMessage) {
  Status missing = ErrorFromAnswer(
      404, R"({"RemoteException":{"exception":"FileNotFoundException","message":"File does not exist: /x"}})",
      "hdfs://nn:8020/x");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "hdfs://nn:8020/x: File does not exist: /x");
  Status exists = ErrorFromAnswer(
      403, R"({"RemoteException":{"exception":"FileAlreadyExistsException","message":"/y for client exists"}})",
      "hdfs://nn:8020/y");
  EXPECT_EQ(exists.code(), StatusCode::kAlreadyExists);
  Status denied = ErrorFromAnswer(
      403, R"({"RemoteException":{"exception":"AccessControlException","message":"Permission denied: user=bob"}})",
      "hdfs://nn:8020/z");
  EXPECT_EQ(denied.code(), StatusCode::kIOError);
  EXPECT_NE(denied.message().find("Permission denied: user=bob"), std::string::npos);
  Status proxy = ErrorFromAnswer(502, "Bad Gateway", "hdfs://nn:8020/w");
  EXPECT_EQ(proxy.message(), "hdfs://nn:8020/w: HTTP 502 Bad Gateway");
}

}  // namespace
}  // namespace ember::io
