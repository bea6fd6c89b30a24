// ComputeTextSplits: Hadoop's goal size, block cap and 10% slop.
#include "ember/io/text_split.h"

#include <gtest/gtest.h>

#include <random>

namespace ember::io {
namespace {

using Pieces = std::vector<std::pair<int64_t, int64_t>>;  // (start, length)

Pieces PiecesOf(const std::vector<TextSplit>& splits, const std::string& path) {
  Pieces out;
  for (const auto& s : splits)
    if (s.path == path) out.emplace_back(s.start, s.length);
  return out;
}

Pieces Split(int64_t size, int min_partitions, int64_t block = kLocalBlockSize) {
  return PiecesOf(ComputeTextSplits({{"/f.txt", size, block}}, min_partitions), "/f.txt");
}

TEST(TextSplitTest, GoalSizeFromMinPartitions) {
  EXPECT_EQ(Split(100, 2), (Pieces{{0, 50}, {50, 50}}));
  EXPECT_EQ(Split(1000, 3), (Pieces{{0, 333}, {333, 333}, {666, 334}}));
  EXPECT_EQ(Split(105, 2), (Pieces{{0, 52}, {52, 53}}));  // 53 is within 10% of 52
  EXPECT_EQ(Split(100, 1), (Pieces{{0, 100}}));
}

TEST(TextSplitTest, MinPartitionsBelowOneMeansOne) {
  EXPECT_EQ(Split(100, 0), (Pieces{{0, 100}}));
  EXPECT_EQ(Split(100, -3), (Pieces{{0, 100}}));
}

TEST(TextSplitTest, SlopIsTenPercent) {
  EXPECT_EQ(Split(33, 1, 30), (Pieces{{0, 33}}));  // 33/30 = 1.1, not above it
  EXPECT_EQ(Split(34, 1, 30), (Pieces{{0, 30}, {30, 4}}));
  EXPECT_EQ(Split(100, 1, 30), (Pieces{{0, 30}, {30, 30}, {60, 30}, {90, 10}}));
}

TEST(TextSplitTest, BlockSizeCapsTheSplit) {
  const int64_t kMiB = 1 << 20;
  EXPECT_EQ(Split(100 * kMiB, 2), (Pieces{{0, 32 * kMiB}, {32 * kMiB, 32 * kMiB}, {64 * kMiB, 32 * kMiB},
                                          {96 * kMiB, 4 * kMiB}}));
  EXPECT_EQ(Split(64 * kMiB, 1).size(), 2u);
}

TEST(TextSplitTest, TinyInputsSplitIntoSingleBytes) {
  EXPECT_EQ(Split(3, 10), (Pieces{{0, 1}, {1, 1}, {2, 1}}));  // goal 0 -> split size 1
}

TEST(TextSplitTest, GoalIsOverAllFilesAndCompressedFilesAreWhole) {
  std::vector<FileInfo> files = {{"/a.txt", 60}, {"/b.gz", 40}, {"/c.txt", 0}, {"/d.txt", 25}};
  auto splits = ComputeTextSplits(files, 5);  // total 125 -> goal 25
  EXPECT_EQ(PiecesOf(splits, "/a.txt"), (Pieces{{0, 25}, {25, 25}, {50, 10}}));
  EXPECT_EQ(PiecesOf(splits, "/b.gz"), (Pieces{{0, -1}}));
  EXPECT_EQ(PiecesOf(splits, "/c.txt"), (Pieces{{0, 0}}));  // empty file: one empty split
  EXPECT_EQ(PiecesOf(splits, "/d.txt"), (Pieces{{0, 25}}));
  ASSERT_EQ(splits.size(), 6u);
  EXPECT_EQ(splits[3].path, "/b.gz");  // files keep their order
  EXPECT_TRUE(ComputeTextSplits({}, 4).empty());
}

TEST(TextSplitTest, SplitsTileEachFile) {
  std::mt19937 rng(5);
  for (int iter = 0; iter < 2000; ++iter) {
    int64_t size = 1 + rng() % 100000;
    int parts = 1 + rng() % 50;
    int64_t block = 1 + rng() % 200000;
    Pieces pieces = Split(size, parts, block);
    int64_t split_size = std::max<int64_t>(1, std::min<int64_t>(size / parts, block));
    int64_t at = 0;
    for (size_t i = 0; i < pieces.size(); ++i) {
      ASSERT_EQ(pieces[i].first, at);
      if (i + 1 < pieces.size()) {
        ASSERT_EQ(pieces[i].second, split_size);
      } else {
        ASSERT_GT(pieces[i].second, 0);
        ASSERT_LE(static_cast<double>(pieces[i].second), 1.1 * static_cast<double>(split_size));
      }
      at += pieces[i].second;
    }
    ASSERT_EQ(at, size);
  }
}

}  // namespace
}  // namespace ember::io
