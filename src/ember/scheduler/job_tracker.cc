#include "ember/scheduler/job_tracker.h"

#include <algorithm>

#include "ember/exec/task_metrics.h"

namespace ember::scheduler {

void JobTracker::JobStarted(int job_id, const std::string& group) {
  std::lock_guard<std::mutex> lock(mu_);
  jobs_[job_id] = JobInfo{job_id, group, {}, JobStatus::kRunning};
}

void JobTracker::StageSubmitted(int job_id, int stage_id, int attempt, const std::string& name,
                                int num_tasks) {
  std::lock_guard<std::mutex> lock(mu_);
  auto job = jobs_.find(job_id);
  if (job != jobs_.end()) {
    auto& ids = job->second.stage_ids;
    if (std::find(ids.begin(), ids.end(), stage_id) == ids.end()) ids.push_back(stage_id);
  }
  StageInfo& s = stages_[stage_id];
  s.stage_id = stage_id;
  s.attempt = attempt;
  s.name = name;
  s.num_tasks = num_tasks;
  s.active = true;
}

void JobTracker::TaskStarted(int stage_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stages_.find(stage_id);
  if (it != stages_.end()) it->second.active_tasks++;
}

void JobTracker::TaskEnded(int stage_id, bool succeeded, const proto::TaskMetrics& metrics) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stages_.find(stage_id);
  if (it == stages_.end()) return;
  StageInfo& s = it->second;
  if (s.active_tasks > 0) s.active_tasks--;
  (succeeded ? s.completed_tasks : s.failed_tasks)++;
  exec::AddTaskMetrics(metrics, &s.metrics);
}

void JobTracker::StageEnded(int stage_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stages_.find(stage_id);
  if (it != stages_.end()) it->second.active = false;
}

void JobTracker::JobEnded(int job_id, bool succeeded) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return;
  it->second.status = succeeded ? JobStatus::kSucceeded : JobStatus::kFailed;
  finished_.push_back(job_id);
  Forget();
}

void JobTracker::Forget() {
  while (finished_.size() > retained_jobs_ || (stages_.size() > retained_stages_ && !finished_.empty())) {
    int old = finished_.front();
    finished_.pop_front();
    auto it = jobs_.find(old);
    if (it == jobs_.end()) continue;
    for (int s : it->second.stage_ids) {
      bool shared = false;  // a map stage reused by a job still kept
      for (const auto& [id, j] : jobs_)
        if (id != old && std::find(j.stage_ids.begin(), j.stage_ids.end(), s) != j.stage_ids.end())
          shared = true;
      if (!shared) stages_.erase(s);
    }
    jobs_.erase(it);
  }
}

std::vector<int> JobTracker::JobIdsForGroup(const std::optional<std::string>& group) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int> out;
  for (const auto& [id, j] : jobs_)
    if (j.group == group.value_or("")) out.push_back(id);
  return out;
}

std::vector<int> JobTracker::ActiveJobIds() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int> out;
  for (const auto& [id, j] : jobs_)
    if (j.status == JobStatus::kRunning) out.push_back(id);
  return out;
}

std::vector<int> JobTracker::ActiveStageIds() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int> out;
  for (const auto& [id, s] : stages_)
    if (s.active) out.push_back(id);
  return out;
}

std::optional<JobInfo> JobTracker::Job(int job_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second;
}

std::optional<StageInfo> JobTracker::Stage(int stage_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stages_.find(stage_id);
  if (it == stages_.end()) return std::nullopt;
  return it->second;
}

size_t JobTracker::NumJobs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_.size();
}

size_t JobTracker::NumStages() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stages_.size();
}

}  // namespace ember::scheduler
