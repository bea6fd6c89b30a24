// Frame files (cached blocks, checkpoints): what was written reads back;
// truncation, a flipped byte or trailing bytes are Corrupt errors naming
// the file, never records.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "ember/common/file_util.h"
#include "ember/common/frame_file.h"

namespace ember {
namespace {

class FrameFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = *MakeTempDir("/tmp", "ember-framefile-test-");
    path_ = dir_ + "/block";
    int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FrameFileWriter w(fd);
    for (int i = 0; i < 50; ++i)
      ASSERT_TRUE(w.Write(FrameType::kPickleBatch, std::string(100 + i, static_cast<char>('a' + i % 26))).ok());
    ASSERT_TRUE(w.Finish().ok());
    ::close(fd);
    ASSERT_TRUE(ReadFile(&bytes_));
  }
  void TearDown() override { RemoveTree(dir_); }

  bool ReadFile(std::string* out) {
    int fd = ::open(path_.c_str(), O_RDONLY);
    if (fd < 0) return false;
    char buf[4096];
    ssize_t n;
    out->clear();
    while ((n = ::read(fd, buf, sizeof buf)) > 0) out->append(buf, n);
    ::close(fd);
    return true;
  }
  void Rewrite(const std::string& bytes) {
    int fd = ::open(path_.c_str(), O_WRONLY | O_TRUNC);
    ASSERT_TRUE(WriteAll(fd, bytes).ok());
    ::close(fd);
  }
  // Frames read until the end or an error; the error, if any.
  Status ReadAll(int* frames) {
    int fd = ::open(path_.c_str(), O_RDONLY);
    FrameFileReader r(fd, path_);
    Frame f;
    *frames = 0;
    Status st;
    for (;;) {
      auto more = r.Next(&f);
      if (!more.ok()) { st = more.status(); break; }
      if (!*more) break;
      ++*frames;
    }
    ::close(fd);
    return st;
  }

  std::string dir_, path_, bytes_;
};

TEST_F(FrameFileTest, ReadsBackEveryFrame) {
  int n = 0;
  EXPECT_TRUE(ReadAll(&n).ok());
  EXPECT_EQ(n, 50);
}

TEST_F(FrameFileTest, DamageIsCorruptAndNamesTheFile) {
  std::string flipped = bytes_;
  flipped[flipped.size() / 2] ^= 0x20;
  const std::vector<std::string> damaged = {
      bytes_.substr(0, bytes_.size() - 9),  // the end marker is gone
      bytes_.substr(0, bytes_.size() / 3),  // cut inside a frame
      flipped,
      bytes_ + "junk",
  };
  for (const auto& d : damaged) {
    Rewrite(d);
    int n = 0;
    Status st = ReadAll(&n);
    EXPECT_EQ(st.code(), StatusCode::kCorrupt) << st.ToString();
    EXPECT_NE(st.message().find(path_), std::string::npos) << st.ToString();
  }
}

}  // namespace
}  // namespace ember
