// io/s3_file_system: S3FileSystem against moto's S3 server (the test venv's,
// from scripts/install-test-deps.sh; EMBER_TEST_DEPS names the build
// directory holding it, default ./build). moto runs here without signature
// checks; tests/python/test_s3.py covers refused credentials.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "ember/common/process.h"
#include "ember/io/s3_file_system.h"

namespace ember::io {
namespace {

// Binds port 0 (or, with port > 0, connects) on 127.0.0.1; returns the port
// bound, or whether the connection was accepted.
int LoopbackSocket(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  int result;
  if (port == 0) {
    socklen_t len = sizeof addr;
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    result = ntohs(addr.sin_port);
  } else {
    result = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  close(fd);
  return result;
}

// moto is a reference system, not ember: under `make test-asan`/`test-tsan`
// it runs without the preloaded sanitizer runtime, whose leak check would
// report what its own packages keep at exit (as tests/reference.py's
// reference_env does for the Python tests).
std::vector<std::string> ReferenceEnvironment() {
  std::vector<std::string> env = ember::ChildEnvironment();
  std::erase_if(env, [](const std::string& kv) { return kv.rfind("LD_PRELOAD=", 0) == 0; });
  return env;
}

class S3FileSystemTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* deps = std::getenv("EMBER_TEST_DEPS");
    std::string python = std::string(deps ? deps : "build") + "/venv/bin/python";
    ASSERT_EQ(access(python.c_str(), X_OK), 0) << python << " missing: run `make test-deps`";
    port_ = LoopbackSocket(0);
    auto child = SpawnChild({python, "-m", "moto.server", "-H", "127.0.0.1", "-p", std::to_string(port_)},
                            ReferenceEnvironment(), false);
    ASSERT_TRUE(child.ok()) << child.status().ToString();
    pid_ = child->pid;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!LoopbackSocket(port_)) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "moto did not listen on port " << port_;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    auto made = Client("ember-test").Send({.method = "PUT", .uri = "s3a://ember-test/"});
    ASSERT_TRUE(made.ok() && made->ok()) << "could not create the test bucket";
  }

  static void TearDownTestSuite() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }

  static S3Config Config() {
    S3Config config;
    config.endpoint = "http://127.0.0.1:" + std::to_string(port_);
    config.endpoint_scheme = "http";
    config.endpoint_host = "127.0.0.1:" + std::to_string(port_);
    config.path_style = true;
    config.credentials = {"AKIDTEST", "secret-for-tests", ""};
    config.part_size = 5 << 20;
    config.connect_timeout_ms = 5000;
    config.idle_timeout_ms = 30000;
    return config;
  }
  static S3Client Client(const std::string& bucket) { return S3Client(Config(), bucket); }

  static std::string Uri(const std::string& key) { return "s3a://ember-test/" + key; }

  void Write(const std::string& key, const std::string& data) {
    auto out = fs_.Create(Uri(key));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ASSERT_TRUE((*out)->Write(data).ok());
    Status closed = (*out)->Close();
    ASSERT_TRUE(closed.ok()) << closed.ToString();
  }

  std::string ReadAll(const std::string& key, int64_t offset = 0) {
    auto in = fs_.OpenSequential(Uri(key), offset);
    EXPECT_TRUE(in.ok()) << in.status().ToString();
    std::string data, buf(100000, '\0');
    for (;;) {
      auto n = (*in)->Read(buf.data(), buf.size());
      EXPECT_TRUE(n.ok()) << n.status().ToString();
      if (!n.ok() || *n == 0) return data;
      data.append(buf.data(), *n);
    }
  }

  std::string Uploads() {
    auto r = Client("ember-test").Send({.query = {{"uploads", ""}}, .uri = Uri("")});
    return r.ok() ? r->body : r.status().ToString();
  }

  static inline int port_ = 0, pid_ = -1;
  S3FileSystem fs_{"s3a", "ember-test", Config()};
};

TEST_F(S3FileSystemTest, SmallFileIsInvisibleUntilCloseThenReadsBack) {
  auto out = fs_.Create(Uri("small/a.txt"));
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE((*out)->Write("hello\nworld\n").ok());
  EXPECT_EQ(fs_.Stat(Uri("small/a.txt")).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE((*out)->Close().ok());
  auto st = fs_.Stat(Uri("small/a.txt"));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->size, 12);
  EXPECT_FALSE(st->is_dir);
  EXPECT_EQ(ReadAll("small/a.txt"), "hello\nworld\n");
  EXPECT_EQ(ReadAll("small/a.txt", 6), "world\n");
  EXPECT_EQ(fs_.Create(Uri("small/a.txt")).status().code(), StatusCode::kAlreadyExists);
}

TEST_F(S3FileSystemTest, LargeFileGoesUpInPartsAndReadsBackByteExact) {
  std::string data;
  for (int i = 0; data.size() < (12u << 20); ++i) data += "line " + std::to_string(i) + "\n";
  Write("big/data.txt", data);
  EXPECT_EQ(Uploads().find("<Upload>"), std::string::npos);
  // A multipart object's ETag ends in "-<parts>": 12 MiB in 5 MiB parts.
  auto head = Client("ember-test").Send({.method = "HEAD", .key = "big/data.txt", .uri = Uri("big/data.txt")});
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->headers["etag"].substr(head->headers["etag"].size() - 3), "-3\"");
  EXPECT_EQ(ReadAll("big/data.txt"), data);
  auto source = fs_.OpenRead(Uri("big/data.txt"));
  ASSERT_TRUE(source.ok());
  EXPECT_EQ((*source)->Size(), static_cast<int64_t>(data.size()));
  std::string buf(100, '\0');
  auto n = (*source)->ReadAt(static_cast<int64_t>(data.size()) - 50, buf.data(), buf.size());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(buf.substr(0, *n), data.substr(data.size() - 50));
  n = (*source)->ReadAt(7 << 20, buf.data(), 10);
  EXPECT_EQ(buf.substr(0, *n), data.substr(7 << 20, 10));
}

TEST_F(S3FileSystemTest, AnAbandonedUploadIsAbortedAndLeavesNothing) {
  {
    auto out = fs_.Create(Uri("abandoned.bin"));
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE((*out)->Write(std::string(6 << 20, 'x')).ok());
    EXPECT_NE(Uploads().find("abandoned.bin"), std::string::npos);
  }
  EXPECT_EQ(Uploads().find("abandoned.bin"), std::string::npos);
  EXPECT_EQ(fs_.Stat(Uri("abandoned.bin")).status().code(), StatusCode::kNotFound);
}

TEST_F(S3FileSystemTest, DirectoriesAreListedFromPrefixesAndMarkers) {
  Write("tree/b.txt", "b");
  Write("tree/a.txt", "aa");
  Write("tree/sub/c.txt", "c");
  ASSERT_TRUE(fs_.Mkdirs(Uri("tree/empty")).ok());
  auto listing = fs_.List(Uri("tree/"));
  ASSERT_TRUE(listing.ok()) << listing.status().ToString();
  ASSERT_EQ(listing->size(), 4u);
  EXPECT_EQ((*listing)[0].path, Uri("tree/a.txt"));
  EXPECT_EQ((*listing)[0].size, 2);
  EXPECT_EQ((*listing)[1].path, Uri("tree/b.txt"));
  EXPECT_EQ((*listing)[2].path, Uri("tree/empty"));
  EXPECT_TRUE((*listing)[2].is_dir);
  EXPECT_EQ((*listing)[3].path, Uri("tree/sub"));
  EXPECT_TRUE(fs_.Stat(Uri("tree/sub"))->is_dir);
  EXPECT_TRUE(fs_.Stat(Uri("tree/empty"))->is_dir);
  EXPECT_TRUE(fs_.List(Uri("tree/empty"))->empty());
  auto self = fs_.List(Uri("tree/a.txt"));
  ASSERT_EQ(self->size(), 1u);
  EXPECT_EQ((*self)[0].path, Uri("tree/a.txt"));
  auto missing = fs_.List(Uri("tree/nope"));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "No such file or directory: " + Uri("tree/nope"));
}

TEST_F(S3FileSystemTest, RenameCopiesOneFileAndDeleteRemovesTrees) {
  Write("mv/from.txt", "moved");
  ASSERT_TRUE(fs_.Rename(Uri("mv/from.txt"), Uri("mv/to.txt")).ok());
  EXPECT_EQ(ReadAll("mv/to.txt"), "moved");
  EXPECT_EQ(fs_.Stat(Uri("mv/from.txt")).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs_.Rename(Uri("mv"), Uri("mv2")).ok());
  Write("mv/deep/x.txt", "x");
  EXPECT_EQ(fs_.Delete(Uri("mv"), false).code(), StatusCode::kIOError);
  ASSERT_TRUE(fs_.Delete(Uri("mv"), true).ok());
  EXPECT_EQ(fs_.Stat(Uri("mv")).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(fs_.Delete(Uri("mv/never"), false).ok());
}

TEST_F(S3FileSystemTest, ErrorsNameThePathAndTheServersCode) {
  S3FileSystem nobucket("s3a", "no-such-bucket", Config());
  auto st = nobucket.Stat("s3a://no-such-bucket/x.txt");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.status().message().find("s3a://no-such-bucket/x.txt: NoSuchBucket"), std::string::npos)
      << st.status().message();
  EXPECT_EQ(fs_.Stat("s3a://other-bucket/x").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(S3FileSystemTest, AnUnreachableEndpointIsNamedWithoutSecrets) {
  S3Config config = Config();
  config.endpoint = config.endpoint_host = "127.0.0.1:" + std::to_string(LoopbackSocket(0));
  config.endpoint = "http://" + config.endpoint;
  S3FileSystem down("s3a", "ember-test", config);
  auto st = down.Stat(Uri("x"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.status().message().find("cannot reach S3 endpoint " + config.endpoint), std::string::npos)
      << st.status().message();
  EXPECT_EQ(st.status().message().find("secret-for-tests"), std::string::npos);
}

}  // namespace
}  // namespace ember::io
