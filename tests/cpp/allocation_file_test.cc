// The fair scheduler's allocation file: Spark's format read, defaults for
// what a pool leaves out, and errors that name the file, pool and value.
#include "ember/scheduler/allocation_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "ember/io/file_system.h"

namespace ember::scheduler {
namespace {

TEST(AllocationFile, ReadsSparksFormat) {
  auto pools = ParseAllocations(R"(<?xml version="1.0"?>
<allocations>
  <!-- <pool name="commented-out"></pool> -->
  <pool name="production">
    <schedulingMode>FAIR</schedulingMode>
    <weight>3</weight>
    <minShare>2</minShare>
  </pool>
  <pool name='test' >
    <schedulingMode> fifo </schedulingMode>
  </pool>
  <pool name="empty"/>
</allocations>)",
                                "f.xml");
  ASSERT_TRUE(pools.ok()) << pools.status().message();
  ASSERT_EQ(pools->size(), 3u);
  const PoolConfig& prod = pools->at("production");
  EXPECT_EQ(prod.mode, SchedulingMode::kFair);
  EXPECT_EQ(prod.weight, 3);
  EXPECT_EQ(prod.min_share, 2);
  for (const char* name : {"test", "empty"}) {
    const PoolConfig& p = pools->at(name);
    EXPECT_EQ(p.mode, SchedulingMode::kFifo) << name;
    EXPECT_EQ(p.weight, 1) << name;
    EXPECT_EQ(p.min_share, 0) << name;
  }
}

TEST(AllocationFile, BadContentIsAnErrorNamingFilePoolAndValue) {
  struct Case {
    const char* xml;
    const char* message;
  };
  const Case cases[] = {
      {"<pools/>", "no <allocations> element"},
      {"<allocations><pool><weight>2</weight></pool></allocations>", "without a name"},
      {"<allocations><pool name=\"a\"/><pool name=\"a\"/></allocations>", "pool 'a' is configured twice"},
      {"<allocations><pool name=\"a\"><schedulingMode>LIFO</schedulingMode></pool></allocations>",
       "pool 'a': schedulingMode must be FIFO or FAIR, not 'LIFO'"},
      {"<allocations><pool name=\"a\"><weight>0</weight></pool></allocations>",
       "pool 'a': weight must be an integer >= 1, not '0'"},
      {"<allocations><pool name=\"a\"><weight>1.5</weight></pool></allocations>", "not '1.5'"},
      {"<allocations><pool name=\"a\"><minShare>-1</minShare></pool></allocations>",
       "pool 'a': minShare must be an integer >= 0, not '-1'"},
      {"<allocations><pool name=\"a\"><weight>2</weight></allocations>", "pool 'a': no </pool>"},
  };
  for (const Case& c : cases) {
    auto pools = ParseAllocations(c.xml, "/etc/fair.xml");
    ASSERT_FALSE(pools.ok()) << c.xml;
    EXPECT_NE(pools.status().message().find("spark.scheduler.allocation.file /etc/fair.xml"),
              std::string::npos)
        << pools.status().message();
    EXPECT_NE(pools.status().message().find(c.message), std::string::npos) << pools.status().message();
  }
}

TEST(AllocationFile, LoadsAFileAndNamesOneItCannotRead) {
  std::string path = testing::TempDir() + "/allocation_file_test.xml";
  std::ofstream(path) << "<allocations><pool name=\"x\"><weight>4</weight></pool></allocations>";
  auto pools = LoadAllocationFile(path);
  ASSERT_TRUE(pools.ok()) << pools.status().message();
  EXPECT_EQ(pools->at("x").weight, 4);
  std::remove(path.c_str());
  auto missing = LoadAllocationFile(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("spark.scheduler.allocation.file " + path + ": cannot read it"),
            std::string::npos)
      << missing.status().message();
}

// The file is read through the file system its URI names: file: URIs and
// the fault-injecting faulty: scheme, whose short reads lose nothing.
TEST(AllocationFile, LoadsThroughTheFileSystemItsUriNames) {
  std::string path = testing::TempDir() + "/allocation_file_uri_test.xml";
  std::string pools_xml;
  for (int i = 0; i < 40; ++i)
    pools_xml += "<pool name=\"p" + std::to_string(i) + "\"><weight>" + std::to_string(i + 1) + "</weight></pool>";
  std::ofstream(path) << "<allocations>" << pools_xml << "</allocations>";
  io::SetHadoopConf({{"ember.test.fs.shortReads", "true"}});
  for (const std::string& uri : {"file://" + path, "faulty://" + path}) {
    auto pools = LoadAllocationFile(uri);
    ASSERT_TRUE(pools.ok()) << uri << ": " << pools.status().message();
    EXPECT_EQ(pools->size(), 40u) << uri;
    EXPECT_EQ(pools->at("p39").weight, 40) << uri;
  }
  io::SetHadoopConf({});
  std::remove(path.c_str());
  auto unknown = LoadAllocationFile("nosuchfs://x/fair.xml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find(
                "spark.scheduler.allocation.file nosuchfs://x/fair.xml: cannot read it: No FileSystem for scheme"),
            std::string::npos)
      << unknown.status().message();
}

}  // namespace
}  // namespace ember::scheduler
