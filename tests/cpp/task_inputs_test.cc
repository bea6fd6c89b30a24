// LocalizeTaskInputs against a real FileServer on loopback: a task's
// broadcasts and the job's added files are fetched and its properties
// point at the local copies; a missing input fails it and changes nothing.
#include "ember/exec/task_inputs.h"

#include <gtest/gtest.h>

#include <fstream>

#include "ember/common/file_util.h"
#include "ember/deploy/file_server.h"
#include "net_test_util.h"

namespace ember::exec {
namespace {

using net::testing::kGenerous;
using net::testing::kSecret;

class TaskInputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = *MakeTempDir("/tmp", "ember-task-inputs-test-");
    root_ = dir_ + "/app";
    ASSERT_TRUE(MakeDirs(root_ + "/broadcast").ok());
    ASSERT_TRUE(MakeDirs(root_ + "/files/conf").ok());
    std::ofstream(root_ + "/broadcast/broadcast_3") << "three";
    std::ofstream(root_ + "/broadcast/broadcast_4") << "four";
    std::ofstream(root_ + "/files/lookup.txt") << "42";
    std::ofstream(root_ + "/files/conf/a.ini") << "x=1";
    auto server = deploy::FileServer::Start(root_, "127.0.0.1", 0, {kSecret});
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    auto cache = FileCache::Create(dir_ + "/executor", {"127.0.0.1", server_->port(), {kSecret}, kGenerous});
    ASSERT_TRUE(cache.ok()) << cache.status().ToString();
    cache_ = std::move(cache).value();
  }
  void TearDown() override {
    server_.reset();
    RemoveTree(dir_);
  }

  // A task whose lineage has two Python nodes using `broadcasts` between
  // them, and a source node, in a job that added `file_names`.
  static proto::TaskDescription Task(std::vector<int64_t> first, std::vector<int64_t> second,
                                     const std::string& file_names) {
    proto::TaskDescription task;
    task.add_nodes()->mutable_parallel();
    for (const auto& ids : {first, second}) {
      auto* python = task.add_nodes()->mutable_python();
      python->mutable_broadcast_ids()->Add(ids.begin(), ids.end());
    }
    (*task.mutable_properties())[kFilesDirProperty] = "/driver/app/files";
    if (!file_names.empty()) (*task.mutable_properties())[kFileNamesProperty] = file_names;
    (*task.mutable_properties())["team"] = "data";
    return task;
  }

  std::string dir_, root_;
  std::unique_ptr<deploy::FileServer> server_;
  std::unique_ptr<FileCache> cache_;
};

TEST_F(TaskInputsTest, FetchesWhatTheTaskUsesAndPointsItThere) {
  proto::TaskDescription task = Task({3}, {3, 4}, "lookup.txt/conf");
  ASSERT_TRUE(LocalizeTaskInputs(*cache_, &task).ok());
  const auto& properties = task.properties();
  EXPECT_EQ(properties.at(kFilesDirProperty), dir_ + "/executor/files");
  EXPECT_EQ(properties.at(kBroadcastDirProperty), dir_ + "/executor/broadcast");
  EXPECT_EQ(properties.at(kFileNamesProperty), "lookup.txt/conf");
  EXPECT_EQ(properties.at("team"), "data");
  EXPECT_TRUE(PathExists(dir_ + "/executor/broadcast/broadcast_3"));
  EXPECT_TRUE(PathExists(dir_ + "/executor/broadcast/broadcast_4"));
  EXPECT_TRUE(PathExists(dir_ + "/executor/files/lookup.txt"));
  EXPECT_TRUE(PathExists(dir_ + "/executor/files/conf/a.ini"));
  EXPECT_EQ(server_->files_served(), 4u);

  proto::TaskDescription next = Task({4}, {}, "lookup.txt/conf");  // the next task: all local already
  ASSERT_TRUE(LocalizeTaskInputs(*cache_, &next).ok());
  EXPECT_EQ(server_->files_served(), 4u);
}

TEST_F(TaskInputsTest, NoAddedFilesStillGivesSparkFilesALocalRoot) {
  proto::TaskDescription task = Task({}, {}, "");
  ASSERT_TRUE(LocalizeTaskInputs(*cache_, &task).ok());
  EXPECT_EQ(task.properties().at(kFilesDirProperty), dir_ + "/executor/files");
  EXPECT_TRUE(PathExists(dir_ + "/executor/files"));
  EXPECT_EQ(server_->files_served(), 0u);
}

TEST_F(TaskInputsTest, AMissingInputFailsTheTaskAndChangesNothing) {
  proto::TaskDescription task = Task({3, 8}, {}, "lookup.txt");
  Status st = LocalizeTaskInputs(*cache_, &task);
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_NE(st.message().find("broadcast/broadcast_8"), std::string::npos) << st.message();
  EXPECT_EQ(task.properties().at(kFilesDirProperty), "/driver/app/files");
  EXPECT_EQ(task.properties().count(kBroadcastDirProperty), 0u);

  proto::TaskDescription missing_file = Task({}, {}, "lookup.txt/gone.txt");
  st = LocalizeTaskInputs(*cache_, &missing_file);
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_NE(st.message().find("files/gone.txt"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace ember::exec
