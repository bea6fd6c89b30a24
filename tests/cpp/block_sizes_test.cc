// Compressed block sizes: estimates within the encoding's error, empty
// blocks exact in both encodings, huge blocks exact when highly compressed.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "ember/scheduler/block_sizes.h"

namespace ember::scheduler {
namespace {

TEST(BlockSizes, CompressedSizesAreWithinTenPercentAndEmptiesExact) {
  std::mt19937_64 rng(3);
  std::vector<int64_t> sizes = {0, 1, 2, 3, 10, 1000, 1 << 20, int64_t{30} << 30};
  for (int i = 0; i < 1000; ++i) sizes.push_back(i % 3 == 0 ? 0 : static_cast<int64_t>(rng() % (1 << 30)));
  BlockSizes bs(sizes);
  ASSERT_FALSE(bs.highly_compressed());
  ASSERT_EQ(bs.count(), static_cast<int>(sizes.size()));
  for (size_t b = 0; b < sizes.size(); ++b) {
    EXPECT_EQ(bs.IsEmpty(static_cast<int>(b)), sizes[b] == 0) << sizes[b];
    int64_t est = bs.Estimate(static_cast<int>(b));
    EXPECT_GE(est, sizes[b]);
    EXPECT_LE(est, sizes[b] + sizes[b] / 10) << sizes[b];
  }
  EXPECT_EQ(bs.Estimate(1), 1);
}

TEST(BlockSizes, AboveTheLimitEmptiesAreExactHugeBlocksExactOthersTheMean) {
  std::vector<int64_t> sizes(BlockSizes::kMaxCompressed + 1, 0);
  for (size_t b = 0; b < sizes.size(); b += 2) sizes[b] = 100 + static_cast<int64_t>(b % 7);  // 100..106
  sizes[10] = 50'000;
  sizes[1001] = int64_t{7} << 40;
  BlockSizes bs(sizes);
  ASSERT_TRUE(bs.highly_compressed());
  int64_t total = 0, n = 0;
  for (int64_t s : sizes)
    if (s > 0 && s < 1000) total += s, ++n;
  for (size_t b = 0; b < sizes.size(); ++b) {
    int block = static_cast<int>(b);
    EXPECT_EQ(bs.IsEmpty(block), sizes[b] == 0) << b;
    if (sizes[b] == 0) {
      EXPECT_EQ(bs.Estimate(block), 0);
    }
  }
  EXPECT_EQ(bs.Estimate(10), 50'000);
  EXPECT_EQ(bs.Estimate(1001), int64_t{7} << 40);
  EXPECT_EQ(bs.Estimate(2), total / n);
  EXPECT_EQ(bs.Estimate(4), total / n);
}

TEST(BlockSizes, AllEmptyAndNone) {
  BlockSizes none(std::vector<int64_t>{});
  EXPECT_EQ(none.count(), 0);
  BlockSizes empty(std::vector<int64_t>(5000, 0));
  EXPECT_TRUE(empty.highly_compressed());
  for (int b = 0; b < 5000; ++b) EXPECT_TRUE(empty.IsEmpty(b));
  EXPECT_EQ(empty.Estimate(4999), 0);
}

}  // namespace
}  // namespace ember::scheduler
