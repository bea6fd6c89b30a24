// JobTracker: what the status tracker reports about jobs and stages.
//
// Contract: the DAG scheduler reports job and stage events from its event
// loop; readers on any thread get consistent copies. A job belongs to the
// job group named by its "spark.jobGroup.id" property (none: ""). Finished
// jobs and their stages are kept, the oldest finished job forgotten (with
// the stages no kept job shares) while more than `retained_jobs` finished
// jobs are kept or more than `retained_stages` stages are
// (spark.ui.retainedJobs, spark.ui.retainedStages): memory stays bounded
// however many jobs a long-lived context runs. A stage's metrics are the sums of its
// ended tasks' metrics (every attempt's, failed ones too, as Spark sums
// them), field by field.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ember.pb.h"

namespace ember::scheduler {

enum class JobStatus { kRunning, kSucceeded, kFailed };

struct JobInfo {
  int job_id = 0;
  std::string group;
  std::vector<int> stage_ids;
  JobStatus status = JobStatus::kRunning;
};

struct StageInfo {
  int stage_id = 0;
  int attempt = 0;
  std::string name;
  int num_tasks = 0;
  int active_tasks = 0;
  int completed_tasks = 0;
  int failed_tasks = 0;
  bool active = false;
  proto::TaskMetrics metrics;
};

class JobTracker {
 public:
  explicit JobTracker(size_t retained_jobs = 1000, size_t retained_stages = 1000)
      : retained_jobs_(retained_jobs), retained_stages_(retained_stages) {}

  void JobStarted(int job_id, const std::string& group);
  void StageSubmitted(int job_id, int stage_id, int attempt, const std::string& name, int num_tasks);
  void TaskStarted(int stage_id);
  void TaskEnded(int stage_id, bool succeeded, const proto::TaskMetrics& metrics = {});
  void StageEnded(int stage_id);
  void JobEnded(int job_id, bool succeeded);

  std::vector<int> JobIdsForGroup(const std::optional<std::string>& group) const;
  std::vector<int> ActiveJobIds() const;
  std::vector<int> ActiveStageIds() const;
  std::optional<JobInfo> Job(int job_id) const;
  std::optional<StageInfo> Stage(int stage_id) const;
  // How many jobs and stages are remembered (bounded by `retained` jobs).
  size_t NumJobs() const;
  size_t NumStages() const;

 private:
  void Forget();

  const size_t retained_jobs_, retained_stages_;
  mutable std::mutex mu_;
  std::map<int, JobInfo> jobs_;
  std::map<int, StageInfo> stages_;
  std::deque<int> finished_;  // job ids, oldest first
};

}  // namespace ember::scheduler
