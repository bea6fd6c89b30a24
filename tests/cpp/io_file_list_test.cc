// ListInputFiles: files, directories, globs, comma lists, hidden names,
// missing paths, relative paths.
#include "ember/io/file_list.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace ember::io {
namespace {

namespace fs = std::filesystem;

// A tree shaped like job output next to plain inputs:
//   data/a.txt b.txt c.gz _SUCCESS .a.txt.crc _temporary/x
//   logs/d1/1.log  logs/d2/2.log logs/d2/_tmp  empty/  hidden_only/_x
class FileListTest : public testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ember_file_list_XXXXXX";
    root_ = ::mkdtemp(tmpl);
    Write("data/a.txt", "aaa");
    Write("data/b.txt", "bbbbb");
    Write("data/c.gz", "");
    Write("data/_SUCCESS", "");
    Write("data/.a.txt.crc", "crc");
    Write("data/_temporary/x", "partial");
    Write("logs/d1/1.log", "1");
    Write("logs/d2/2.log", "22");
    Write("logs/d2/_tmp", "");
    Write("hidden_only/_x", "");
    fs::create_directories(root_ + "/empty");
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& rel, const std::string& data) {
    fs::create_directories(fs::path(P(rel)).parent_path());
    std::ofstream(P(rel), std::ios::binary) << data;
  }
  std::string P(const std::string& rel) const { return root_ + "/" + rel; }

  std::vector<std::string> Paths(const std::string& spec) {
    auto files = ListInputFiles(spec);
    EXPECT_TRUE(files.ok()) << files.status().ToString();
    std::vector<std::string> out;
    if (files.ok())
      for (const auto& f : *files) out.push_back(f.path);
    return out;
  }

  std::string root_;
};

using Strings = std::vector<std::string>;

TEST_F(FileListTest, SingleFileWithSize) {
  auto files = ListInputFiles(P("data/b.txt"));
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, P("data/b.txt"));
  EXPECT_EQ((*files)[0].size, 5);
}

TEST_F(FileListTest, DirectoryListsVisibleFilesSorted) {
  auto files = ListInputFiles(P("data"));
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 3u);
  EXPECT_EQ((*files)[0].path, P("data/a.txt"));
  EXPECT_EQ((*files)[0].size, 3);
  EXPECT_EQ((*files)[1].path, P("data/b.txt"));
  EXPECT_EQ((*files)[2].path, P("data/c.gz"));
  EXPECT_EQ(Paths(P("data/")), Paths(P("data")));
}

TEST_F(FileListTest, EmptyDirectoriesGiveNoFiles) {
  EXPECT_EQ(Paths(P("empty")), Strings{});
  EXPECT_EQ(Paths(P("hidden_only")), Strings{});
}

TEST_F(FileListTest, VisibleSubdirectoryIsNotAFile) {
  auto files = ListInputFiles(P("logs"));
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kIOError);
  EXPECT_EQ(files.status().message(), "Not a file: " + P("logs/d1"));
}

TEST_F(FileListTest, Globs) {
  EXPECT_EQ(Paths(P("data/*.txt")), (Strings{P("data/a.txt"), P("data/b.txt")}));
  EXPECT_EQ(Paths(P("data/?.txt")), (Strings{P("data/a.txt"), P("data/b.txt")}));
  EXPECT_EQ(Paths(P("data/[b-z].*")), (Strings{P("data/b.txt"), P("data/c.gz")}));
  // Braces may hold commas that do not split the list.
  EXPECT_EQ(Paths(P("data/{b,a}.txt")), (Strings{P("data/a.txt"), P("data/b.txt")}));
  // Hidden matches are dropped; matched directories are listed.
  EXPECT_EQ(Paths(P("data/*")), (Strings{P("data/a.txt"), P("data/b.txt"), P("data/c.gz")}));
  EXPECT_EQ(Paths(P("logs/d*")), (Strings{P("logs/d1/1.log"), P("logs/d2/2.log")}));
  EXPECT_EQ(Paths(P("*/d2/*.log")), Strings{P("logs/d2/2.log")});
}

TEST_F(FileListTest, CommaListsKeepItemOrder) {
  EXPECT_EQ(Paths(P("data/b.txt") + "," + P("data/a.txt")), (Strings{P("data/b.txt"), P("data/a.txt")}));
  EXPECT_EQ(Paths(P("logs/d2") + "," + P("data/*.txt") + "," + P("logs/d1/1.log")),
            (Strings{P("logs/d2/2.log"), P("data/a.txt"), P("data/b.txt"), P("logs/d1/1.log")}));
  auto empty_item = ListInputFiles(P("data/a.txt") + ",," + P("data/b.txt"));
  ASSERT_FALSE(empty_item.ok());
  EXPECT_EQ(empty_item.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(FileListTest, FileSchemeIsStripped) {
  EXPECT_EQ(Paths("file://" + P("data/a.txt")), Strings{P("data/a.txt")});
  EXPECT_EQ(Paths("file:" + P("data/a.txt")), Strings{P("data/a.txt")});
}

// A scheme other than file: goes through its file system, and the paths
// come back in the form they were asked (faulty: is the local file system
// under another scheme, fault_file_system.h).
TEST_F(FileListTest, UrisKeepTheirScheme) {
  const std::string u = "faulty://";
  EXPECT_EQ(Paths(u + P("data/*.txt")), (Strings{u + P("data/a.txt"), u + P("data/b.txt")}));
  EXPECT_EQ(Paths(u + P("data/{b,a}.txt")), (Strings{u + P("data/a.txt"), u + P("data/b.txt")}));
  EXPECT_EQ(Paths(u + P("logs/d*")), (Strings{u + P("logs/d1/1.log"), u + P("logs/d2/2.log")}));
  EXPECT_EQ(Paths(u + P("data")), (Strings{u + P("data/a.txt"), u + P("data/b.txt"), u + P("data/c.gz")}));
  auto missing = ListInputFiles(u + P("nope"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "Input path does not exist: " + u + P("nope"));
  auto unknown = ListInputFiles("gopher://host/x");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("No FileSystem for scheme \"gopher\""), std::string::npos);
}

TEST_F(FileListTest, MissingPathsAreNotFound) {
  auto missing = ListInputFiles(P("nope"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "Input path does not exist: " + P("nope"));

  auto under_file = ListInputFiles(P("data/a.txt/deeper"));
  ASSERT_FALSE(under_file.ok());
  EXPECT_EQ(under_file.status().code(), StatusCode::kNotFound);

  auto pattern = ListInputFiles(P("data/*.none"));
  ASSERT_FALSE(pattern.ok());
  EXPECT_EQ(pattern.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(pattern.status().message(), "Input Pattern " + P("data/*.none") + " matches 0 files");

  auto only_hidden = ListInputFiles(P("data/_*"));
  ASSERT_FALSE(only_hidden.ok());
  EXPECT_NE(only_hidden.status().message().find("matches 0 files"), std::string::npos);

  // One bad item fails the whole list.
  auto mixed = ListInputFiles(P("data/a.txt") + "," + P("gone"));
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.status().message().find(P("gone")), std::string::npos);
}

TEST_F(FileListTest, HiddenFileNamedOutrightIsMissing) {
  auto files = ListInputFiles(P("data/_SUCCESS"));
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kNotFound);
}

TEST_F(FileListTest, RelativePathsBecomeAbsolute) {
  char old[4096];
  ASSERT_NE(::getcwd(old, sizeof old), nullptr);
  ASSERT_EQ(::chdir(P("data").c_str()), 0);
  auto rel = ListInputFiles("a.txt");
  auto dotted = ListInputFiles("./../data//./b.txt");
  auto globbed = ListInputFiles("../logs/d1/*.log");
  ASSERT_EQ(::chdir(old), 0);
  ASSERT_TRUE(rel.ok() && dotted.ok() && globbed.ok());
  EXPECT_EQ((*rel)[0].path, P("data/a.txt"));
  EXPECT_EQ((*dotted)[0].path, P("data/b.txt"));
  EXPECT_EQ((*globbed)[0].path, P("logs/d1/1.log"));
}

// Root ignores permission bits, so the listing runs in a child that has
// dropped to nobody.
TEST_F(FileListTest, UnreadableDirectoryIsAnError) {
  ::chmod(root_.c_str(), 0755);
  ::chmod(P("data").c_str(), 0300);  // searchable but not listable
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(2);
    Status st = ListInputFiles(P("data")).status();
    std::string s = std::to_string(static_cast<int>(st.code())) + "|" + st.message();
    ssize_t ignored = ::write(fds[1], s.data(), s.size());
    (void)ignored;
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string got;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, n);
  ::close(fds[0]);
  ::waitpid(pid, nullptr, 0);
  ::chmod(P("data").c_str(), 0755);
  EXPECT_EQ(got, std::to_string(static_cast<int>(StatusCode::kIOError)) + "|list directory " + P("data") +
                     ": Permission denied");
}

}  // namespace
}  // namespace ember::io
