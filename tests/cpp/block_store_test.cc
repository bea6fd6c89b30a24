// Block store and caching streams: what fits stays in memory, eviction
// spares the inserting RDD's own blocks, disk levels catch what memory
// cannot hold, and a stream read only partly stores nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ember/common/file_util.h"
#include "ember/exec/cached_stream.h"
#include "ember/storage/block_store.h"

namespace ember {
namespace {

using storage::BlockId;
using storage::BlockStore;
using storage::Frames;
using storage::Level;

constexpr Level kMemory{true, false};
constexpr Level kMemoryAndDisk{true, true};
constexpr Level kDisk{false, true};

Frames Batches(int n, size_t size, char fill) {
  Frames out;
  for (int i = 0; i < n; ++i) out.push_back({FrameType::kPickleBatch, std::string(size, fill)});
  return out;
}

std::vector<std::string> ReadAll(FrameStream& s) {
  std::vector<std::string> out;
  Frame f;
  while (*s.Next(&f)) out.push_back(f.data);
  return out;
}

class BlockStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = *MakeTempDir("/tmp", "ember-blocks-test-"); }
  void TearDown() override { RemoveTree(dir_); }
  std::string dir_;
};

TEST_F(BlockStoreTest, LeastRecentlyUsedBlockOfAnotherRddIsEvicted) {
  BlockStore store(dir_ + "/b", 300);
  store.PutMemory({1, 0}, kMemory, Batches(1, 100, 'a'), 100);
  store.PutMemory({2, 0}, kMemoryAndDisk, Batches(1, 100, 'b'), 100);
  store.PutMemory({3, 0}, kMemory, Batches(1, 100, 'c'), 100);
  ASSERT_TRUE(store.Get({1, 0}));  // rdd 1 is now the most recently used
  store.PutMemory({4, 0}, kMemory, Batches(1, 150, 'd'), 150);
  // rdd 2 (least recent) went to disk, rdd 3 was dropped to make room
  EXPECT_TRUE(store.Get({1, 0})->memory);
  EXPECT_TRUE(store.OnDisk({2, 0}));
  EXPECT_FALSE(store.Get({3, 0}));
  EXPECT_TRUE(store.Get({4, 0})->memory);
  EXPECT_EQ(store.memory_used(), 250u);
  auto disk = exec::OpenStoredBlock(&store, {}, *store.Get({2, 0}));
  ASSERT_TRUE(disk.ok());
  EXPECT_EQ(ReadAll(**disk), std::vector<std::string>{std::string(100, 'b')});
}

TEST_F(BlockStoreTest, ScanLargerThanMemoryKeepsItsFirstPartitions) {
  BlockStore store(dir_ + "/b", 250);
  for (int p = 0; p < 5; ++p) store.PutMemory({7, p}, kMemory, Batches(1, 100, 'x'), 100);
  EXPECT_TRUE(store.Get({7, 0}));
  EXPECT_TRUE(store.Get({7, 1}));
  for (int p = 2; p < 5; ++p) EXPECT_FALSE(store.Get({7, p})) << p;
  // with disk allowed, what does not fit goes there
  for (int p = 0; p < 5; ++p) store.PutMemory({8, p}, kMemoryAndDisk, Batches(1, 100, 'y'), 100);
  for (int p = 0; p < 5; ++p) EXPECT_TRUE(store.Get({8, p})) << p;
}

TEST_F(BlockStoreTest, RemoveRddDropsMemoryAndDiskBlocks) {
  BlockStore store(dir_ + "/b", 1000);
  store.PutMemory({5, 0}, kMemory, Batches(2, 10, 'm'), 20);
  store.PutMemory({5, 1}, kMemoryAndDisk, Batches(2, 600, 'n'), 1200);  // too big: disk
  store.PutMemory({6, 0}, kMemory, Batches(1, 10, 'o'), 10);
  ASSERT_TRUE(store.OnDisk({5, 1}));
  std::string file = store.Get({5, 1})->disk_path;
  store.RemoveRdd(5);
  EXPECT_FALSE(store.Get({5, 0}));
  EXPECT_FALSE(store.Get({5, 1}));
  EXPECT_FALSE(PathExists(file));
  EXPECT_TRUE(store.Get({6, 0}));
  EXPECT_EQ(store.memory_used(), 10u);
}

// A stream that serves the frames given to it.
std::unique_ptr<FrameStream> Source(Frames frames) {
  return std::make_unique<VectorStream>(std::move(frames));
}

TEST_F(BlockStoreTest, CachingStreamStoresWhatPassedThrough) {
  BlockStore store(dir_ + "/b", 1 << 20);
  Frames frames = Batches(3, 1000, 'z');
  for (Level level : {kMemory, kDisk}) {
    BlockId id{level.use_memory ? 1 : 2, 0};
    exec::CachingStream s(Source(frames), &store, id, level);
    EXPECT_EQ(ReadAll(s).size(), 3u);
    auto stored = store.Get(id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->memory != nullptr, level.use_memory);
    auto back = exec::OpenStoredBlock(&store, id, *stored);
    EXPECT_EQ(ReadAll(**back), std::vector<std::string>(3, std::string(1000, 'z')));
  }
}

TEST_F(BlockStoreTest, OversizedPartitionMovesToDiskMidStream) {
  BlockStore store(dir_ + "/b", 2500);
  exec::CachingStream s(Source(Batches(5, 1000, 'q')), &store, {3, 0}, kMemoryAndDisk);
  EXPECT_EQ(ReadAll(s).size(), 5u);
  ASSERT_TRUE(store.OnDisk({3, 0}));
  EXPECT_EQ(ReadAll(**exec::OpenStoredBlock(&store, {}, *store.Get({3, 0}))).size(), 5u);
  // memory only: not stored at all, and the data still flowed
  exec::CachingStream m(Source(Batches(5, 1000, 'q')), &store, {4, 0}, kMemory);
  EXPECT_EQ(ReadAll(m).size(), 5u);
  EXPECT_FALSE(store.Get({4, 0}));
}

TEST_F(BlockStoreTest, PartlyReadStreamStoresNothingAndLeavesNoFile) {
  BlockStore store(dir_ + "/b", 1 << 20);
  {
    exec::CachingStream s(Source(Batches(4, 100, 'p')), &store, {9, 0}, kDisk);
    Frame f;
    ASSERT_TRUE(*s.Next(&f));
  }
  EXPECT_FALSE(store.Get({9, 0}));
  auto names = [&] {
    std::vector<std::string> out;
    if (!PathExists(dir_ + "/b")) return out;
    for (const auto& e : std::filesystem::directory_iterator(dir_ + "/b")) out.push_back(e.path());
    return out;
  };
  EXPECT_TRUE(names().empty());
}

}  // namespace
}  // namespace ember
