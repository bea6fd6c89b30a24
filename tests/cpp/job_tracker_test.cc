// JobTracker: jobs by group, task counts per stage, and retention of
// finished jobs (the oldest are forgotten, running ones never).
#include <gtest/gtest.h>

#include "ember/scheduler/job_tracker.h"

namespace ember::scheduler {
namespace {

TEST(JobTracker, CountsTasksAndKnowsGroups) {
  JobTracker t;
  t.JobStarted(0, "nightly");
  t.JobStarted(1, "");
  t.StageSubmitted(0, 5, 0, "ShuffleMapStage", 3);
  for (int i = 0; i < 3; ++i) t.TaskStarted(5);
  t.TaskEnded(5, true);
  t.TaskEnded(5, false);
  auto s = *t.Stage(5);
  EXPECT_EQ(s.num_tasks, 3);
  EXPECT_EQ(s.active_tasks, 1);
  EXPECT_EQ(s.completed_tasks, 1);
  EXPECT_EQ(s.failed_tasks, 1);
  EXPECT_EQ(t.ActiveStageIds(), std::vector<int>{5});
  EXPECT_EQ(t.JobIdsForGroup("nightly"), std::vector<int>{0});
  EXPECT_EQ(t.JobIdsForGroup(std::nullopt), std::vector<int>{1});
  t.StageEnded(5);
  t.JobEnded(0, true);
  EXPECT_EQ(t.ActiveJobIds(), std::vector<int>{1});
  EXPECT_EQ(t.Job(0)->status, JobStatus::kSucceeded);
  EXPECT_EQ(t.Job(0)->stage_ids, std::vector<int>{5});
  EXPECT_TRUE(t.ActiveStageIds().empty());
}

TEST(JobTracker, SumsTheMetricsOfEveryEndedTask) {
  JobTracker t;
  t.JobStarted(0, "");
  t.StageSubmitted(0, 2, 0, "ShuffleMapStage", 2);
  proto::TaskMetrics a, b;
  a.set_shuffle_records_written(600);
  a.set_input_bytes_read(10);
  b.set_shuffle_records_written(400);
  b.set_disk_bytes_spilled(7);
  t.TaskEnded(2, true, a);
  t.TaskEnded(2, false, b);  // a failed task's measurements count too, as in Spark
  t.TaskEnded(2, false);     // one lost with its executor: nothing measured
  auto m = t.Stage(2)->metrics;
  EXPECT_EQ(m.shuffle_records_written(), 1000);
  EXPECT_EQ(m.input_bytes_read(), 10);
  EXPECT_EQ(m.disk_bytes_spilled(), 7);
  EXPECT_EQ(m.output_records_written(), 0);
}

TEST(JobTracker, ForgetsTheOldestFinishedJobsButKeepsSharedStages) {
  JobTracker t(2);
  t.JobStarted(99, "");  // stays running throughout
  for (int j = 0; j < 5; ++j) {
    t.JobStarted(j, "");
    t.StageSubmitted(j, 100 + j, 0, "ResultStage", 1);
    t.StageSubmitted(j, 7, 0, "ShuffleMapStage", 1);  // a map stage every job reuses
    t.JobEnded(j, j % 2 == 0);
  }
  EXPECT_FALSE(t.Job(0));
  EXPECT_FALSE(t.Job(2));
  EXPECT_FALSE(t.Stage(102));
  EXPECT_EQ(t.Job(4)->status, JobStatus::kSucceeded);
  EXPECT_EQ(t.Job(3)->status, JobStatus::kFailed);
  EXPECT_TRUE(t.Stage(7));
  EXPECT_TRUE(t.Job(99));
}

TEST(JobTracker, ForgetsFinishedJobsWhileTooManyStagesAreKept) {
  JobTracker t(100, 4);
  t.JobStarted(99, "");  // running: kept whatever its stages
  for (int s = 0; s < 6; ++s) t.StageSubmitted(99, 200 + s, 0, "ResultStage", 1);
  for (int j = 0; j < 10; ++j) {
    t.JobStarted(j, "");
    t.StageSubmitted(j, 100 + 2 * j, 0, "ShuffleMapStage", 1);
    t.StageSubmitted(j, 101 + 2 * j, 0, "ResultStage", 1);
    t.JobEnded(j, true);
  }
  EXPECT_EQ(t.NumJobs(), 1u);  // every finished job went to bound the stages
  EXPECT_EQ(t.NumStages(), 6u);
  EXPECT_TRUE(t.Stage(205));
}

TEST(JobTracker, KeepsTheNewestFinishedJobsWithinTheStageBound) {
  JobTracker t(100, 4);
  for (int j = 0; j < 10; ++j) {
    t.JobStarted(j, "");
    t.StageSubmitted(j, 100 + 2 * j, 0, "ShuffleMapStage", 1);
    t.StageSubmitted(j, 101 + 2 * j, 0, "ResultStage", 1);
    t.JobEnded(j, true);
  }
  EXPECT_EQ(t.NumJobs(), 2u);
  EXPECT_EQ(t.NumStages(), 4u);
  EXPECT_TRUE(t.Job(9));
  EXPECT_TRUE(t.Job(8));
  EXPECT_FALSE(t.Job(7));
}

}  // namespace
}  // namespace ember::scheduler
