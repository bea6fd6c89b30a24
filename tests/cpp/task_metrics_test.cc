// Task metrics: summing, what a Python worker's report adds (records by the
// origin of the frames it was fed), and the metrics RunTask measures for
// real tasks: a text source read to a result, written to an output file,
// a shuffle block read locally, a task that fails.
#include "ember/exec/task_metrics.h"

#include <gtest/gtest.h>

#include <fstream>

#include "ember/common/file_util.h"
#include "ember/exec/task_runner.h"
#include "ember/shuffle/shuffle_files.h"
#include "ember/shuffle/shuffle_writer.h"

namespace ember::exec {
namespace {

TEST(TaskMetrics, AddsEveryField) {
  proto::TaskMetrics a, b;
  const auto* fields = proto::TaskMetrics::descriptor();
  const auto* r = proto::TaskMetrics::GetReflection();
  for (int i = 0; i < fields->field_count(); ++i) {
    r->SetInt64(&a, fields->field(i), i + 1);
    r->SetInt64(&b, fields->field(i), 100 * (i + 1));
  }
  AddTaskMetrics(b, &a);
  for (int i = 0; i < fields->field_count(); ++i)
    EXPECT_EQ(r->GetInt64(a, fields->field(i)), 101 * (i + 1)) << fields->field(i)->name();
}

TEST(TaskMetrics, WorkerRecordsCountByTheOriginOfTheirFrames) {
  std::vector<FrameOrigin> fed = {FrameOrigin::kInput, FrameOrigin::kShuffle, FrameOrigin::kComputed,
                                  FrameOrigin::kInput};
  auto m = WorkerMetrics(R"({"records_in":[3,5,7,11],"output":"shuffle","records_out":9,"cpu_ns":1500,)"
                         R"("deserialize_ns":4000000,"deserialize_cpu_ns":70,"memory_spilled":2048,)"
                         R"("disk_spilled":512,"peak_memory":4096})",
                         fed);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->input_records_read(), 14);
  EXPECT_EQ(m->shuffle_records_read(), 5);
  EXPECT_EQ(m->shuffle_records_written(), 9);
  EXPECT_EQ(m->output_records_written(), 0);
  EXPECT_EQ(m->executor_cpu_time_ns(), 1500);
  EXPECT_EQ(m->executor_deserialize_time_ms(), 4);
  EXPECT_EQ(m->executor_deserialize_cpu_time_ns(), 70);
  EXPECT_EQ(m->memory_bytes_spilled(), 2048);
  EXPECT_EQ(m->disk_bytes_spilled(), 512);
  EXPECT_EQ(m->peak_execution_memory(), 4096);

  auto file = WorkerMetrics(R"({"records_in":[],"output":"file","records_out":4})", {});
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->output_records_written(), 4);
  EXPECT_EQ(file->shuffle_records_written(), 0);
}

TEST(TaskMetrics, MalformedWorkerReportsAreErrors) {
  EXPECT_EQ(WorkerMetrics("not json", {}).status().code(), StatusCode::kInternal);
  EXPECT_EQ(WorkerMetrics(R"({"records_in":"x"})", {}).status().code(), StatusCode::kInternal);
  EXPECT_EQ(WorkerMetrics(R"({"records_in":["x"]})", {FrameOrigin::kInput}).status().code(),
            StatusCode::kInternal);
  auto miscounted = WorkerMetrics(R"({"records_in":[1]})", {FrameOrigin::kInput, FrameOrigin::kInput});
  EXPECT_NE(miscounted.status().message().find("counted 1 input frames, 2 were sent"), std::string::npos)
      << miscounted.status().ToString();
}

TEST(TaskMetrics, ThreadCpuTimeGrowsWithWork) {
  int64_t start = ThreadCpuNanos();
  volatile uint64_t spin = 0;
  while (ThreadCpuNanos() == start) spin = spin + 1;
  EXPECT_GT(ThreadCpuNanos(), start);
}

class RunTaskMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = *MakeTempDir("/tmp", "ember-task-metrics-test-");
    std::ofstream(dir_ + "/in.txt") << "a\nbb\nccc\n";  // 9 bytes
    env_.executor_id = "exec-1";
    env_.shuffle_dir = dir_;
  }
  void TearDown() override { RemoveTree(dir_); }

  proto::TaskDescription TextTask(const std::string& path) {
    proto::TaskDescription task;
    task.set_task_id(5);
    auto* node = task.add_nodes();
    node->set_id(0);
    node->set_num_partitions(1);
    auto& split = (*node->mutable_text()->mutable_splits())[0];
    split.set_path(path);
    split.set_length(-1);
    node->mutable_text()->set_use_unicode(true);
    task.set_final_node(0);
    task.mutable_result();
    return task;
  }

  std::string dir_;
  ExecutorEnv env_;
  TaskContext ctx_;
};

TEST_F(RunTaskMetricsTest, ATextSourceIsInputAndTheResultHasItsSize) {
  auto result = RunTask(TextTask(dir_ + "/in.txt"), env_, &ctx_);
  ASSERT_EQ(result.state(), proto::TaskResult::SUCCESS) << result.error();
  const auto& m = result.metrics();
  EXPECT_EQ(m.input_bytes_read(), 9);
  EXPECT_EQ(m.output_bytes_written(), 0);
  EXPECT_EQ(m.shuffle_local_blocks_fetched(), 0);
  EXPECT_GE(m.executor_run_time_ms(), 0);
  EXPECT_GT(m.executor_cpu_time_ns(), 0);
  proto::TaskResult without = result;
  without.clear_metrics();
  EXPECT_EQ(m.result_size(), static_cast<int64_t>(without.ByteSizeLong()));
}

TEST_F(RunTaskMetricsTest, AFileOutputTaskReportsTheBytesOfItsFile) {
  auto task = TextTask(dir_ + "/in.txt");
  task.mutable_file_output()->set_attempt_dir(dir_);
  task.mutable_file_output()->set_file_name("part-00000");
  auto result = RunTask(task, env_, &ctx_);
  ASSERT_EQ(result.state(), proto::TaskResult::SUCCESS) << result.error();
  EXPECT_EQ(result.metrics().output_bytes_written(), 9);
  EXPECT_EQ(result.metrics().input_bytes_read(), 9);
}

TEST_F(RunTaskMetricsTest, LocalShuffleBlocksAreCountedWithTheirBytes) {
  {
    shuffle::ShuffleWriter writer(shuffle::MapOutputPaths(dir_, 3, 0, 77), 2, 1 << 20);
    ASSERT_TRUE(writer.Add(1, "xyz").ok());
    ASSERT_TRUE(writer.Add(1, "hello").ok());
    ASSERT_TRUE(writer.Finish().ok());
  }
  proto::TaskDescription task;
  auto* node = task.add_nodes();
  node->set_id(4);
  node->set_num_partitions(2);
  auto* shuffled = node->mutable_shuffled();
  shuffled->set_shuffle_id(3);
  shuffled->set_num_maps(1);
  shuffled->add_map_ids(0);
  shuffled->add_map_task_ids(77);
  shuffled->add_map_executors(0);
  shuffled->add_executors("exec-1");
  task.set_final_node(4);
  task.mutable_result();
  for (int bucket : {0, 1}) {
    task.set_partition(bucket);
    TaskContext ctx;
    ctx.partition = bucket;
    auto result = RunTask(task, env_, &ctx);
    ASSERT_EQ(result.state(), proto::TaskResult::SUCCESS) << result.error();
    const auto& m = result.metrics();
    EXPECT_EQ(m.shuffle_local_blocks_fetched(), bucket);  // the empty block is not fetched
    EXPECT_EQ(m.shuffle_local_bytes_read(), bucket ? 3 + 4 + 5 + 4 : 0);
    EXPECT_EQ(m.shuffle_remote_blocks_fetched(), 0);
    EXPECT_EQ(m.input_bytes_read(), 0);
    EXPECT_EQ(result.frames_size(), bucket ? 2 : 0);
  }
}

TEST_F(RunTaskMetricsTest, AFailedTaskStillReportsItsMetrics) {
  auto result = RunTask(TextTask(dir_ + "/missing.txt"), env_, &ctx_);
  ASSERT_EQ(result.state(), proto::TaskResult::FAILED);
  EXPECT_TRUE(result.has_metrics());
  EXPECT_EQ(result.metrics().input_bytes_read(), 0);
  EXPECT_GT(result.metrics().result_size(), 0);  // the error message
}

}  // namespace
}  // namespace ember::exec
