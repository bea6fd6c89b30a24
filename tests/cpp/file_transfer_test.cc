// The driver's FileServer and an executor's FileCache over real loopback
// sockets: files and trees arrive whole, names outside the served
// directory are refused, big files travel in chunks, one name is fetched
// once however many ask (again if its copy vanished), and only clients
// with the secret get anything.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <latch>
#include <sstream>
#include <thread>
#include <vector>

#include "ember.pb.h"
#include "ember/common/file_util.h"
#include "ember/deploy/file_server.h"
#include "ember/exec/file_cache.h"
#include "ember/net/client.h"
#include "net_test_util.h"

namespace ember {
namespace {

using net::testing::kGenerous;
using net::testing::kOtherSecret;
using net::testing::kSecret;

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary) << contents;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// Anything left in `dir` whose name says it was half-fetched.
std::vector<std::string> PartFiles(const std::string& dir) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    if (entry.path().filename().string().find(".part-") != std::string::npos) found.push_back(entry.path());
  return found;
}

long PeakRssKiB() {
  struct rusage usage;
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

class FileTransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = *MakeTempDir("/tmp", "ember-file-transfer-test-");
    root_ = dir_ + "/app";
    ASSERT_TRUE(MakeDirs(root_ + "/broadcast").ok());
    ASSERT_TRUE(MakeDirs(root_ + "/files").ok());
  }
  void TearDown() override {
    server_.reset();
    RemoveTree(dir_);
  }

  void StartServer(deploy::FileServerOptions options = {}) {
    auto server = deploy::FileServer::Start(root_, "127.0.0.1", 0, {kSecret}, options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }

  std::unique_ptr<exec::FileCache> Cache(const std::string& secret = kSecret) {
    auto cache =
        exec::FileCache::Create(dir_ + "/executor", {"127.0.0.1", server_->port(), {secret}, kGenerous});
    EXPECT_TRUE(cache.ok()) << cache.status().ToString();
    return std::move(cache).value();
  }

  // A client speaking the protocol by hand: asks what FileCache would refuse to.
  std::shared_ptr<net::Connection> RawClient(net::ConnectionOptions options = {}) {
    auto connection = net::Connect("127.0.0.1", server_->port(), {kSecret}, kGenerous, options);
    EXPECT_TRUE(connection.ok()) << connection.status().ToString();
    return std::move(connection).value();
  }

  static proto::FileReply Ask(net::Connection& connection, const std::string& name) {
    proto::FileRequest request;
    request.set_name(name);
    EXPECT_TRUE(connection.Send(request).ok());
    proto::FileReply reply;
    EXPECT_TRUE(net::testing::Got(connection.Receive(&reply)));
    return reply;
  }

  std::string dir_, root_;
  std::unique_ptr<deploy::FileServer> server_;
};

TEST_F(FileTransferTest, FetchesFilesAndWholeTrees) {
  WriteFile(root_ + "/broadcast/broadcast_3", "pickled value");
  WriteFile(root_ + "/files/run.sh", "#!/bin/sh\necho hi\n");
  ::chmod((root_ + "/files/run.sh").c_str(), 0755);
  WriteFile(root_ + "/files/empty.txt", "");
  ASSERT_TRUE(MakeDirs(root_ + "/files/env/bin").ok());
  ASSERT_TRUE(MakeDirs(root_ + "/files/env/empty_dir").ok());
  WriteFile(root_ + "/files/env/bin/tool.cfg", "version=2");
  ASSERT_EQ(::symlink("/usr/bin/python3", (root_ + "/files/env/bin/python").c_str()), 0);
  StartServer();
  auto cache = Cache();

  auto broadcast = cache->Fetch("broadcast/broadcast_3");
  ASSERT_TRUE(broadcast.ok()) << broadcast.status().ToString();
  EXPECT_EQ(*broadcast, dir_ + "/executor/broadcast/broadcast_3");
  EXPECT_EQ(ReadFile(*broadcast), "pickled value");

  auto script = cache->Fetch("files/run.sh");
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  EXPECT_EQ(ReadFile(*script), "#!/bin/sh\necho hi\n");
  struct stat st;
  ASSERT_EQ(::stat(script->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0755u);  // scripts stay executable

  auto empty = cache->Fetch("files/empty.txt");
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(ReadFile(*empty), "");

  auto env = cache->Fetch("files/env");
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(ReadFile(*env + "/bin/tool.cfg"), "version=2");
  EXPECT_TRUE(std::filesystem::is_directory(*env + "/empty_dir"));
  EXPECT_EQ(std::filesystem::read_symlink(*env + "/bin/python"), "/usr/bin/python3");
  EXPECT_EQ(server_->files_served(), 4u);  // the link's target was never read
  EXPECT_TRUE(PartFiles(dir_ + "/executor").empty());
}

TEST_F(FileTransferTest, RefusesNamesOutsideTheServedDirectory) {
  WriteFile(dir_ + "/secret.txt", "not for executors");
  WriteFile(root_ + "/files/ok.txt", "fine");
  ASSERT_EQ(::symlink((dir_ + "/secret.txt").c_str(), (root_ + "/files/escape").c_str()), 0);
  ASSERT_EQ(::symlink(dir_.c_str(), (root_ + "/files/up").c_str()), 0);
  StartServer();
  auto client = RawClient();
  for (std::string name : {"../etc/passwd", "/etc/passwd", "files/../../secret.txt", "files/./ok.txt",
                           "files//ok.txt", "", "files/escape", "files/up/secret.txt"}) {
    proto::FileReply reply = Ask(*client, name);
    ASSERT_EQ(reply.answer_case(), proto::FileReply::kError) << name;
    EXPECT_EQ(reply.error_code(), static_cast<int>(StatusCode::kInvalidArgument)) << name;
    EXPECT_NE(reply.error().find("refused"), std::string::npos) << reply.error();
  }
  // The session survives refusals.
  proto::FileReply reply = Ask(*client, "files/ok.txt");
  ASSERT_EQ(reply.answer_case(), proto::FileReply::kFileSize);
  std::string contents;
  ASSERT_TRUE(net::testing::Got(client->ReceiveBytes(&contents)));
  EXPECT_EQ(contents, "fine");

  auto cache = Cache();
  auto refused = cache->Fetch("../etc/passwd");  // refused before anything is sent
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  auto through_link = cache->Fetch("files/escape");
  EXPECT_EQ(through_link.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(through_link.status().message().find("leads outside"), std::string::npos);
  EXPECT_FALSE(PathExists(dir_ + "/executor/files/escape"));
}

TEST_F(FileTransferTest, MissingFileIsAClearErrorAndIsTriedAgain) {
  StartServer();
  auto cache = Cache();
  auto missing = cache->Fetch("files/lookup.txt");
  ASSERT_EQ(missing.status().code(), StatusCode::kNotFound);
  const std::string& message = missing.status().message();
  EXPECT_NE(message.find("files/lookup.txt does not exist on the driver"), std::string::npos) << message;
  EXPECT_NE(message.find("127.0.0.1:" + std::to_string(server_->port())), std::string::npos) << message;
  EXPECT_FALSE(PathExists(dir_ + "/executor/files/lookup.txt"));
  EXPECT_TRUE(PartFiles(dir_ + "/executor").empty());

  WriteFile(root_ + "/files/lookup.txt", "42");
  auto found = cache->Fetch("files/lookup.txt");  // a failure is not remembered
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(ReadFile(*found), "42");
}

TEST_F(FileTransferTest, ACopyThatVanishedIsFetchedAgain) {
  WriteFile(root_ + "/files/lookup.txt", "42");
  StartServer();
  auto cache = Cache();
  auto first = cache->Fetch("files/lookup.txt");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(cache->Fetch("files/lookup.txt").status().code(), StatusCode::kOk);
  EXPECT_EQ(server_->files_served(), 1u);  // fetched once while the copy is there

  ASSERT_EQ(::unlink(first->c_str()), 0);  // the executor's work directory was wiped
  auto again = cache->Fetch("files/lookup.txt");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *first);
  EXPECT_EQ(ReadFile(*again), "42");
  EXPECT_EQ(server_->files_served(), 2u);
}

TEST_F(FileTransferTest, ARemovedCopyIsDeletedAndFetchedAgainWhenAskedFor) {
  WriteFile(root_ + "/broadcast/broadcast_5", "value");
  StartServer();
  auto cache = Cache();
  auto copy = cache->Fetch("broadcast/broadcast_5");
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  cache->Remove("broadcast/broadcast_5");
  EXPECT_FALSE(std::filesystem::exists(*copy));
  cache->Remove("broadcast/broadcast_6");  // never fetched: nothing to do
  auto again = cache->Fetch("broadcast/broadcast_5");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(ReadFile(*again), "value");
  EXPECT_EQ(server_->files_served(), 2u);
}

TEST_F(FileTransferTest, LargeFileTravelsInChunksWithBoundedMemory) {
  constexpr size_t kMiB = 1 << 20, kSize = 64 * kMiB;
  {
    std::ofstream out(root_ + "/broadcast/broadcast_9", std::ios::binary);
    std::string piece(kMiB, '\0');
    for (size_t i = 0; i < kSize / kMiB; ++i) {
      for (size_t j = 0; j < kMiB; j += 8) piece[j] = static_cast<char>(i * 31 + j / 8);
      out << piece;
    }
  }
  deploy::FileServerOptions options;
  options.chunk_bytes = kMiB;
  StartServer(options);

  // Each frame is within the chunk size: a client refusing anything
  // bigger still gets the whole file.
  net::ConnectionOptions small_frames;
  small_frames.max_frame_size = kMiB;
  auto client = RawClient(small_frames);
  proto::FileReply reply = Ask(*client, "broadcast/broadcast_9");
  ASSERT_EQ(reply.file_size(), static_cast<int64_t>(kSize));
  std::string chunk;
  size_t received = 0, frames = 0;
  while (received < kSize && net::testing::Got(client->ReceiveBytes(&chunk))) {
    received += chunk.size();
    ++frames;
  }
  EXPECT_EQ(received, kSize);
  EXPECT_GE(frames, kSize / kMiB);

  long peak_before = PeakRssKiB();
  auto cache = Cache();
  auto path = cache->Fetch("broadcast/broadcast_9");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  // Server and cache in this one process, and still far below the file's size.
  EXPECT_LT(PeakRssKiB() - peak_before, 16 * 1024);
  std::ifstream sent(root_ + "/broadcast/broadcast_9", std::ios::binary), got(*path, std::ios::binary);
  std::string a(kMiB, '\0'), b(kMiB, '\0');
  for (size_t i = 0; i < kSize / kMiB; ++i) {
    sent.read(a.data(), kMiB);
    got.read(b.data(), kMiB);
    ASSERT_EQ(a, b) << "MiB " << i;
  }
  EXPECT_EQ(std::filesystem::file_size(*path), kSize);
}

TEST_F(FileTransferTest, ConcurrentFetchesOfOneNameFetchOnce) {
  WriteFile(root_ + "/broadcast/broadcast_7", std::string(8 << 20, 'b'));
  StartServer();
  auto cache = Cache();
  constexpr int kCallers = 8;
  std::latch start(kCallers);
  std::vector<Result<std::string>> results(kCallers, Status(StatusCode::kInternal, "not run"));
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      start.arrive_and_wait();
      results[i] = cache->Fetch("broadcast/broadcast_7");
    });
  }
  for (auto& t : callers) t.join();
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, dir_ + "/executor/broadcast/broadcast_7");
  }
  EXPECT_EQ(server_->files_served(), 1u);
  EXPECT_EQ(std::filesystem::file_size(dir_ + "/executor/broadcast/broadcast_7"), 8u << 20);
}

TEST_F(FileTransferTest, WrongSecretGetsNothing) {
  WriteFile(root_ + "/broadcast/broadcast_1", "value");
  StartServer();
  auto cache = Cache(kOtherSecret);
  auto refused = cache->Fetch("broadcast/broadcast_1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kIOError);
  EXPECT_NE(refused.status().message().find("authentication"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(refused.status().message().find(kOtherSecret), std::string::npos);
  EXPECT_EQ(server_->files_served(), 0u);
  EXPECT_FALSE(PathExists(dir_ + "/executor/broadcast/broadcast_1"));
}

}  // namespace
}  // namespace ember
