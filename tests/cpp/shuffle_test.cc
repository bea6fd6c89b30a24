// Shuffle files: what a map task writes, each reducer reads back intact,
// with and without spilling, one bucket or a range of buckets at a time;
// damage to any index entry or block is detected, never misread, and
// leaves the other buckets readable.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
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

MapOutputFiles Files(const std::string& base) { return {base + ".data", base + ".index"}; }

std::vector<std::string> Batches(BlockReader* reader) {
  std::vector<std::string> out;
  std::string batch;
  for (;;) {
    auto more = reader->Next(&batch);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) return out;
    out.push_back(batch);
  }
}

// Every batch of one block, through the streaming reader.
Result<std::vector<std::string>> ReadAll(const std::string& base, int bucket) {
  EMBER_ASSIGN_OR_RETURN(auto reader, BlockReader::Open(Files(base), bucket));
  return Batches(reader.get());
}

void FlipByte(const std::string& path, long offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(offset, offset < 0 ? std::ios::end : std::ios::beg);
  char c;
  f.get(c);
  f.seekp(offset, offset < 0 ? std::ios::end : std::ios::beg);
  f.put(static_cast<char>(c ^ 0x40));
}

void ExpectCorrupt(const Status& st) {
  EXPECT_EQ(st.code(), StatusCode::kFetchFailed) << st.ToString();
  EXPECT_NE(st.message().find("corrupt"), std::string::npos) << st.ToString();
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
  ShuffleWriter w(Files(base), buckets, budget);
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
      auto got = ReadAll(base, b);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      EXPECT_EQ(*got, expected[b]) << "bucket " << b << " budget " << budget;
    }
    EXPECT_FALSE(PathExists(base + ".data.spill"));
  }
}

TEST_F(ShuffleTest, FinishReportsSizesAndADigestOfTheBlocks) {
  auto write = [&](const std::string& base, const std::string& second) {
    ShuffleWriter w(Files(base), 3, 1 << 20);
    EXPECT_TRUE(w.Add(0, "abc").ok());
    EXPECT_TRUE(w.Add(2, second).ok());
    return *w.Finish();
  };
  MapOutput a = write(dir_ + "/a", "de"), same = write(dir_ + "/b", "de"), other = write(dir_ + "/c", "dx");
  EXPECT_EQ(a.block_sizes, (std::vector<int64_t>{4 + 3, 0, 4 + 2}));
  EXPECT_EQ(a.blocks_digest, same.blocks_digest);
  EXPECT_NE(a.blocks_digest, other.blocks_digest);
}

TEST_F(ShuffleTest, ReportsTheBytesItSpilledAndTheMostItHeld) {
  ShuffleWriter w(Files(dir_ + "/s"), 2, 20);  // a budget of 20 bytes
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(w.Add(i, std::string(6, 'x')).ok());  // 10 bytes each
  EXPECT_EQ(w.peak_buffered(), 20);
  EXPECT_EQ(w.spilled_bytes(), 0);  // 20 is not over the budget
  ASSERT_TRUE(w.Add(0, "y").ok());  // 25 > 20: all of it spills
  EXPECT_EQ(w.spilled_bytes(), 25);
  EXPECT_EQ(w.peak_buffered(), 25);
  ASSERT_TRUE(w.Finish().ok());
}

TEST_F(ShuffleTest, FlippedByteInAnyBlockFailsThatBucketOnly) {
  std::string base = dir_ + "/m";
  auto expected = WriteRandom(base, 5, 1 << 20, 100);
  auto entries = ReadIndexEntries(base + ".index", 0, 5);
  ASSERT_TRUE(entries.ok());
  for (int damaged = 0; damaged < 5; ++damaged) {
    const BlockEntry& e = (*entries)[damaged];
    long at = static_cast<long>(e.offset + e.length / 2);
    FlipByte(base + ".data", at);
    for (int b = 0; b < 5; ++b) {
      auto got = ReadAll(base, b);
      if (b == damaged) {
        ASSERT_FALSE(got.ok());
        ExpectCorrupt(got.status());
      } else {
        ASSERT_TRUE(got.ok()) << got.status().ToString();
        EXPECT_EQ(*got, expected[b]);
      }
    }
    FlipByte(base + ".data", at);  // repaired for the next round
  }
}

TEST_F(ShuffleTest, FlippedByteInAnyIndexEntryFailsThatBucketOnly) {
  std::string base = dir_ + "/m";
  auto expected = WriteRandom(base, 4, 1 << 20, 100);
  for (int damaged = 0; damaged < 4; ++damaged) {
    for (long byte : {0, 7, 8, 16, 23, 24, 31}) {  // offset, length, block and entry checksums
      long at = 8 + damaged * 32 + byte;
      FlipByte(base + ".index", at);
      for (int b = 0; b < 4; ++b) {
        auto got = ReadAll(base, b);
        if (b == damaged) {
          ASSERT_FALSE(got.ok()) << "entry byte " << byte;
          ExpectCorrupt(got.status());
        } else {
          ASSERT_TRUE(got.ok()) << got.status().ToString();
          EXPECT_EQ(*got, expected[b]);
        }
      }
      FlipByte(base + ".index", at);
    }
  }
}

TEST_F(ShuffleTest, EntryReadInAnotherBucketsPlaceIsCorrupt) {
  std::string base = dir_ + "/m";
  WriteRandom(base, 2, 1 << 20, 50);
  std::string index;
  {
    std::ifstream in(base + ".index", std::ios::binary);
    index.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_EQ(index.size(), 8u + 2 * 32);
  std::ofstream(base + ".index", std::ios::binary | std::ios::trunc)
      << index.substr(0, 8) + index.substr(40, 32) + index.substr(8, 32);
  for (int b = 0; b < 2; ++b) {
    auto got = ReadAll(base, b);
    ASSERT_FALSE(got.ok());
    ExpectCorrupt(got.status());
  }
}

TEST_F(ShuffleTest, WrongOrShortIndexIsCorrupt) {
  std::string base = dir_ + "/m";
  WriteRandom(base, 3, 1 << 20, 30);
  FlipByte(base + ".index", 1);  // magic
  auto got = ReadAll(base, 0);
  ASSERT_FALSE(got.ok());
  ExpectCorrupt(got.status());
  FlipByte(base + ".index", 1);
  FlipByte(base + ".index", 4);  // bucket count 3 -> 67: each entry still proves itself
  EXPECT_TRUE(ReadAll(base, 2).ok());
  FlipByte(base + ".index", 4);
  ASSERT_EQ(::truncate((base + ".index").c_str(), 8 + 2 * 32 + 10), 0);
  EXPECT_TRUE(ReadAll(base, 1).ok());
  got = ReadAll(base, 2);
  ASSERT_FALSE(got.ok());
  ExpectCorrupt(got.status());
  EXPECT_EQ(ReadIndexEntries(base + ".index", 2, 3).status().code(), StatusCode::kCorrupt);
}

TEST_F(ShuffleTest, AnEntryPastTheEndOfTheDataIsTruncatedNotAllocated) {
  // A sound entry (it proves itself) with another file's lengths, 1 TiB
  // and 2^64 - 1: refused from the data file's size before anything is
  // allocated (found by tests/fuzz/shuffle_blocks).
  std::string base = dir_ + "/m";
  WriteRandom(base, 2, 1 << 20, 10);
  for (uint64_t length : {uint64_t{1} << 40, ~uint64_t{0}}) {
    std::ofstream(base + ".index", std::ios::binary | std::ios::trunc)
        << EncodeIndex({{0, 1, 0}, {1, length, 0}});
    for (auto got : {ReadBlockRange(Files(base), 0, 2).status(), ReadAll(base, 1).status()}) {
      EXPECT_EQ(got.code(), StatusCode::kFetchFailed) << got.ToString();
      EXPECT_NE(got.message().find("truncated"), std::string::npos) << got.ToString();
    }
  }
}

TEST_F(ShuffleTest, MissingFilesAreFetchFailures) {
  auto got = ReadAll(dir_ + "/none", 0);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kFetchFailed);
  EXPECT_EQ(ReadIndexEntries(dir_ + "/none.index", 0, 1).status().code(), StatusCode::kNotFound);
}

TEST_F(ShuffleTest, RangeOfBucketsIsReadAndVerifiedAtOnce) {
  std::string base = dir_ + "/m";
  auto expected = WriteRandom(base, 9, 1 << 20, 500);
  auto range = ReadBlockRange(Files(base), 2, 7);
  ASSERT_TRUE(range.ok()) << range.status().ToString();
  EXPECT_EQ(range->first, 2);
  ASSERT_EQ(range->entries.size(), 5u);
  for (int b = 2; b < 7; ++b) {
    auto reader = BlockReader::FromMemory(std::string(range->Block(b)), "block");
    EXPECT_EQ(Batches(reader.get()), expected[b]) << "bucket " << b;
  }
  EXPECT_TRUE(VerifyBlocks(*range, "received").ok());
  EXPECT_TRUE(ReadBlockRange(Files(base), 4, 4)->data.empty());

  // Damage on the way (say, over the network) fails the block it hits.
  BlockRange damaged = *range;
  const BlockEntry& e = damaged.entries[3];
  damaged.data[e.offset - damaged.entries[0].offset + e.length - 1] ^= 1;
  Status st = VerifyBlocks(damaged, "received");
  ExpectCorrupt(st);
  EXPECT_NE(st.message().find("bucket 5"), std::string::npos) << st.ToString();
  damaged = *range;
  damaged.data.pop_back();
  EXPECT_EQ(VerifyBlocks(damaged, "received").code(), StatusCode::kFetchFailed);

  // Damage on disk fails the range.
  FlipByte(base + ".data", static_cast<long>(range->entries[1].offset));
  auto bad = ReadBlockRange(Files(base), 2, 7);
  ASSERT_FALSE(bad.ok());
  ExpectCorrupt(bad.status());
  EXPECT_TRUE(ReadBlockRange(Files(base), 4, 7).ok());
  FlipByte(base + ".index", 8 + 8 * 32 + 3);  // bucket 8's entry
  auto bad_entry = ReadBlockRange(Files(base), 4, 9);
  ASSERT_FALSE(bad_entry.ok());
  ExpectCorrupt(bad_entry.status());
  EXPECT_FALSE(ReadBlockRange(Files(base), 4, 10).ok());  // past the last bucket
}

// Blocks above BlockReader::kInMemoryBlock take the two-pass streaming path.
class LargeBlockTest : public ShuffleTest {
 protected:
  // One bucket of ~12 MiB in 3,000 batches; returns them.
  std::vector<std::string> WriteLarge(const std::string& base) {
    std::vector<std::string> batches;
    ShuffleWriter w(Files(base), 1, 1 << 20);
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
  auto got = ReadAll(base, 0);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, expected);
}

TEST_F(LargeBlockTest, DamageNearTheEndFailsBeforeAnyBatch) {
  std::string base = dir_ + "/big";
  WriteLarge(base);
  FlipByte(base + ".data", -100);
  auto reader = BlockReader::Open(Files(base), 0);
  ASSERT_FALSE(reader.ok());
  ExpectCorrupt(reader.status());
}

TEST_F(LargeBlockTest, TruncatedDataIsAFetchFailure) {
  std::string base = dir_ + "/big";
  WriteLarge(base);
  ASSERT_EQ(::truncate((base + ".data").c_str(), 6 << 20), 0);
  auto reader = BlockReader::Open(Files(base), 0);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kFetchFailed);
  EXPECT_NE(reader.status().message().find("truncated"), std::string::npos);
}

TEST_F(ShuffleTest, AbandonedWriterLeavesNothing) {
  std::string base = dir_ + "/m";
  {
    ShuffleWriter w(Files(base), 2, 10);
    ASSERT_TRUE(w.Add(0, std::string(100, 'x')).ok());  // forces a spill file
  }
  EXPECT_FALSE(PathExists(base + ".data"));
  EXPECT_FALSE(PathExists(base + ".data.spill"));
  EXPECT_FALSE(PathExists(base + ".index"));
}

}  // namespace
}  // namespace ember::shuffle
