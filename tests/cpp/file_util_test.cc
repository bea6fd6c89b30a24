// IsPlainRelativePath: the text check both ends of file transfer rely on
// to keep a name inside its directory.
#include "ember/common/file_util.h"

#include <gtest/gtest.h>

namespace ember {
namespace {

TEST(FileUtil, PlainRelativePaths) {
  for (const char* ok : {"a", "files/lookup.txt", "broadcast/broadcast_3", "a/b/c", "..a", "a..", ".hidden"})
    EXPECT_TRUE(IsPlainRelativePath(ok)) << ok;
  for (const char* bad : {"", "/etc/passwd", "..", "../x", "a/../b", "a/..", ".", "./a", "a/.", "a//b",
                          "a/", "/"})
    EXPECT_FALSE(IsPlainRelativePath(bad)) << bad;
  EXPECT_FALSE(IsPlainRelativePath(std::string_view("a\0b", 3)));
}

}  // namespace
}  // namespace ember
