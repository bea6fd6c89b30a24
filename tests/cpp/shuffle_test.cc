// Shuffle files: what a map task writes, each reducer reads back intact,
// with and without spilling; damage is detected, never misread.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "ember/common/file_util.h"
#include "ember/shuffle/shuffle_index.h"
#include "ember/shuffle/shuffle_reader.h"
#include "ember/shuffle/shuffle_writer.h"

namespace ember::shuffle {
namespace {

// Every batch of one block, through the streaming reader.
Result<std::vector<std::string>> ReadAll(const std::string& data, const std::string& index,
                                         int bucket) {
  EMBER_ASSIGN_OR_RETURN(auto reader, BlockReader::Open(data, index, bucket));
  std::vector<std::string> out;
  std::string batch;
  for (;;) {
    EMBER_ASSIGN_OR_RETURN(bool more, reader->Next(&batch));
    if (!more) return out;
    out.push_back(batch);
  }
}

class ShuffleTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = *MakeTempDir("/tmp", "ember-shuffle-test-"); }
  void TearDown() override { RemoveTree(dir_); }
  std::string dir_;
};

std::map<int, std::vector<std::string>> WriteRandom(const std::string& base, int buckets,
                                                    size_t budget, int records) {
  std::mt19937 rng(42);
  std::map<int, std::vector<std::string>> expected;
  ShuffleWriter w(base + ".data", base + ".index", buckets, budget);
  for (int i = 0; i < records; ++i) {
    int b = static_cast<int>(rng() % buckets);
    std::string batch(rng() % 300, static_cast<char>('a' + i % 26));
    expected[b].push_back(batch);
    EXPECT_TRUE(w.Add(b, batch).ok());
  }
  auto out = w.Finish();
  EXPECT_TRUE(out.ok());
  return expected;
}

TEST_F(ShuffleTest, EveryBucketReadsBackInOrder) {
  for (size_t budget : {size_t(1) << 30, size_t(1000)}) {  // in memory, and spilling often
    std::string base = dir_ + "/m" + std::to_string(budget);
    auto expected = WriteRandom(base, 7, budget, 2000);
    for (int b = 0; b < 7; ++b) {
      auto got = ReadAll(base + ".data", base + ".index", b);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      EXPECT_EQ(*got, expected[b]) << "bucket " << b << " budget " << budget;
    }
    EXPECT_FALSE(PathExists(base + ".data.spill"));
  }
}

TEST_F(ShuffleTest, FlippedByteIsDetected) {
  std::string base = dir_ + "/m";
  WriteRandom(base, 3, 1 << 20, 100);
  {
    std::fstream f(base + ".data", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(10);
    char c;
    f.seekg(10);
    f.get(c);
    f.seekp(10);
    f.put(static_cast<char>(c ^ 0x40));
  }
  int corrupt = 0;
  for (int b = 0; b < 3; ++b) {
    auto got = ReadAll(base + ".data", base + ".index", b);
    if (!got.ok()) {
      EXPECT_EQ(got.status().code(), StatusCode::kFetchFailed);
      EXPECT_NE(got.status().message().find("corrupt"), std::string::npos);
      ++corrupt;
    }
  }
  EXPECT_EQ(corrupt, 1);
}

TEST_F(ShuffleTest, MissingFilesAreFetchFailures) {
  auto got = ReadAll(dir_ + "/none.data", dir_ + "/none.index", 0);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kFetchFailed);
}

TEST_F(ShuffleTest, DamagedIndexIsCorrupt) {
  std::string base = dir_ + "/m";
  WriteRandom(base, 2, 1 << 20, 10);
  {
    std::fstream f(base + ".index", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(12);
    f.put('\x7f');
  }
  auto idx = ReadIndex(base + ".index");
  ASSERT_FALSE(idx.ok());
  EXPECT_EQ(idx.status().code(), StatusCode::kCorrupt);
}

// Blocks above BlockReader::kInMemoryBlock take the two-pass streaming path.
class LargeBlockTest : public ShuffleTest {
 protected:
  // One bucket of ~12 MiB in 3,000 batches; returns them.
  std::vector<std::string> WriteLarge(const std::string& base) {
    std::vector<std::string> batches;
    ShuffleWriter w(base + ".data", base + ".index", 1, 1 << 20);
    std::mt19937 rng(7);
    for (int i = 0; i < 3000; ++i) {
      std::string b(4000 + rng() % 200, static_cast<char>('a' + i % 26));
      batches.push_back(b);
      EXPECT_TRUE(w.Add(0, b).ok());
    }
    EXPECT_TRUE(w.Finish().ok());
    return batches;
  }
};

TEST_F(LargeBlockTest, StreamsEveryBatchInOrder) {
  std::string base = dir_ + "/big";
  auto expected = WriteLarge(base);
  auto got = ReadAll(base + ".data", base + ".index", 0);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, expected);
}

TEST_F(LargeBlockTest, DamageNearTheEndFailsBeforeAnyBatch) {
  std::string base = dir_ + "/big";
  WriteLarge(base);
  std::fstream f(base + ".data", std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(-100, std::ios::end);
  char c;
  f.get(c);
  f.seekp(-100, std::ios::end);
  f.put(static_cast<char>(c ^ 1));
  f.close();
  auto reader = BlockReader::Open(base + ".data", base + ".index", 0);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kFetchFailed);
  EXPECT_NE(reader.status().message().find("corrupt"), std::string::npos);
}

TEST_F(LargeBlockTest, TruncatedDataIsAFetchFailure) {
  std::string base = dir_ + "/big";
  WriteLarge(base);
  ASSERT_EQ(::truncate((base + ".data").c_str(), 6 << 20), 0);
  auto reader = BlockReader::Open(base + ".data", base + ".index", 0);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kFetchFailed);
  EXPECT_NE(reader.status().message().find("truncated"), std::string::npos);
}

TEST_F(ShuffleTest, AbandonedWriterLeavesNothing) {
  std::string base = dir_ + "/m";
  {
    ShuffleWriter w(base + ".data", base + ".index", 2, 10);
    ASSERT_TRUE(w.Add(0, std::string(100, 'x')).ok());  // forces a spill file
  }
  EXPECT_FALSE(PathExists(base + ".data"));
  EXPECT_FALSE(PathExists(base + ".data.spill"));
  EXPECT_FALSE(PathExists(base + ".index"));
}

}  // namespace
}  // namespace ember::shuffle
