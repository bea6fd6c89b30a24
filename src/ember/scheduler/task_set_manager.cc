#include "ember/scheduler/task_set_manager.h"

#include <fmt/format.h>

#include <algorithm>

namespace ember::scheduler {

TaskSetManager::TaskSetManager(TaskSetSpec spec, const TaskSetOptions* options, double now)
    : spec_(std::move(spec)),
      options_(options),
      state_(spec_.partitions.size(), State::kPending),
      failures_(spec_.partitions.size(), 0),
      copies_(spec_.partitions.size(), 0),
      last_launch_(now) {
  spec_.preferred.resize(spec_.partitions.size());
  for (size_t i = spec_.partitions.size(); i-- > 0;) AddPending(i, true);  // in partition order
  if (!by_executor_.empty()) levels_.push_back(Locality::kProcess);
  if (!by_host_.empty()) levels_.push_back(Locality::kNode);
  levels_.push_back(Locality::kAny);
}

void TaskSetManager::AddPending(size_t index, bool front) {
  auto add = [&](std::deque<size_t>& q) { front ? q.push_front(index) : q.push_back(index); };
  for (const auto& loc : spec_.preferred[index]) {
    if (!loc.executor_id.empty()) add(by_executor_[loc.executor_id]);
    if (!loc.host.empty()) add(by_host_[loc.host]);
  }
  if (spec_.preferred[index].empty()) add(no_preference_);
  add(all_);
}

std::optional<size_t> TaskSetManager::TakePending(std::deque<size_t>* queue) {
  while (!queue->empty()) {
    size_t i = queue->front();
    queue->pop_front();
    if (state_[i] == State::kPending) return i;
  }
  return std::nullopt;
}

bool TaskSetManager::HasPendingAt(Locality level) {
  // Entries no longer pending are dropped from the front as they are met,
  // so repeated checks cost O(1) amortised.
  auto any_pending = [&](std::map<std::string, std::deque<size_t>>& queues) {
    for (auto& [key, q] : queues) {
      while (!q.empty() && state_[q.front()] != State::kPending) q.pop_front();
      if (!q.empty()) return true;
    }
    return false;
  };
  if (level == Locality::kProcess) return any_pending(by_executor_);
  if (level == Locality::kNode) return any_pending(by_host_);
  return true;
}

Locality TaskSetManager::AllowedLevel(double now) {
  while (level_ + 1 < levels_.size()) {
    Locality l = levels_[level_];
    if (!HasPendingAt(l)) {
      ++level_;
      continue;
    }
    double wait = l == Locality::kProcess ? options_->locality_wait_process_s
                                          : options_->locality_wait_node_s;
    if (now - last_launch_ < wait) break;
    last_launch_ += wait;
    ++level_;
  }
  return levels_[level_];
}

std::optional<size_t> TaskSetManager::FindTask(const ExecutorInfo& exec, Locality level) {
  if (auto it = by_executor_.find(exec.id); it != by_executor_.end())
    if (auto i = TakePending(&it->second)) return i;
  if (level >= Locality::kNode)
    if (auto it = by_host_.find(exec.host); it != by_host_.end())
      if (auto i = TakePending(&it->second)) return i;
  // Tasks without a preference lose nothing by running anywhere: they never
  // wait for a locality level (as Spark's NO_PREF tasks).
  if (auto i = TakePending(&no_preference_)) return i;
  if (level == Locality::kAny) return TakePending(&all_);
  return std::nullopt;
}

// A copy may run on any executor, the original's included (local mode has
// only one).
std::optional<size_t> TaskSetManager::FindSpeculative() {
  for (int i : speculatable_) {
    if (state_[i] != State::kRunning || copies_[i] != 1) continue;
    speculatable_.erase(i);
    return static_cast<size_t>(i);
  }
  return std::nullopt;
}

std::optional<proto::TaskDescription> TaskSetManager::ResourceOffer(const ExecutorInfo& exec,
                                                                    Locality max_level,
                                                                    double now, int64_t task_id) {
  if (zombie_) return std::nullopt;
  Locality allowed = std::min(max_level, AllowedLevel(now));
  auto index = FindTask(exec, allowed);
  bool speculative = false;
  if (!index) {
    index = FindSpeculative();
    speculative = index.has_value();
  }
  if (!index) return std::nullopt;
  int partition = spec_.partitions[*index];
  auto task = spec_.make_task(partition);
  if (!task.ok()) {
    Abort({task.status()});
    return std::nullopt;
  }
  task->set_task_id(task_id);
  launched_ = true;
  state_[*index] = State::kRunning;
  copies_[*index]++;
  Locality launched = Locality::kAny;
  for (const auto& loc : spec_.preferred[*index]) {
    if (loc.executor_id == exec.id) launched = Locality::kProcess;
    else if (loc.host == exec.host && launched != Locality::kProcess) launched = Locality::kNode;
  }
  // A task with no preference is process-local wherever it runs, as in Spark.
  Locality reported = spec_.preferred[*index].empty() ? Locality::kProcess : launched;
  running_[task_id] = {*index, exec.id, now, task->attempt(), reported, speculative};
  if (!speculative) {
    // Launching at a level makes it the current one again, as Spark does.
    auto at = std::find(levels_.begin(), levels_.end(), launched);
    if (at != levels_.end()) level_ = static_cast<size_t>(at - levels_.begin());
    last_launch_ = now;
  }
  return std::move(task).value();
}

std::optional<TaskSetManager::Launch> TaskSetManager::LaunchOf(int64_t task_id) const {
  auto it = running_.find(task_id);
  if (it == running_.end()) return std::nullopt;
  return Launch{it->second.index, it->second.locality, it->second.speculative};
}

TaskSetManager::Ended TaskSetManager::TaskSucceeded(int64_t task_id, int64_t result_bytes, double now) {
  Ended ended;
  auto it = running_.find(task_id);
  if (it == running_.end()) return ended;
  Running r = it->second;
  running_.erase(it);
  size_t i = r.index;
  copies_[i]--;
  ended.partition = spec_.partitions[i];
  ended.seconds = now - r.start;
  if (state_[i] == State::kSucceeded) return ended;  // a slower twin
  state_[i] = State::kSucceeded;
  ++succeeded_;
  finished_seconds_.push_back(ended.seconds);
  speculatable_.erase(static_cast<int>(i));
  result_bytes_ += result_bytes;
  if (options_->max_result_bytes > 0 && result_bytes_ > options_->max_result_bytes) {
    Abort({InvalidArgument(fmt::format(
        "Job aborted: total size of serialized results of {} tasks ({} bytes) is bigger than "
        "spark.driver.maxResultSize ({} bytes)",
        succeeded_, result_bytes_, options_->max_result_bytes))});
    return ended;
  }
  ended.first_success = true;
  if (speculated_.count(static_cast<int>(i)))  // only these can have twins
    for (const auto& [tid, other] : running_)
      if (other.index == i) ended.twins.push_back(tid);
  return ended;
}

void TaskSetManager::TaskFailed(int64_t task_id, const proto::TaskResult& result) {
  auto it = running_.find(task_id);
  if (it == running_.end()) return;
  Running r = it->second;
  running_.erase(it);
  size_t i = r.index;
  copies_[i]--;
  if (state_[i] == State::kSucceeded || zombie_) return;
  int failures = ++failures_[i];
  int partition = spec_.partitions[i];
  if (failures >= options_->max_task_failures) {
    std::string msg = fmt::format(
        "Job aborted due to stage failure: Task {} in stage {}.{} failed {} time{}, most recent "
        "failure: Lost task {}.{} in stage {}.{}: {}",
        partition, spec_.stage_id, spec_.stage_attempt, failures, failures == 1 ? "" : "s",
        partition, r.attempt, spec_.stage_id, spec_.stage_attempt, result.error());
    Abort({ember::TaskFailed(msg), spec_.stage_id, partition, failures, result.error_code()});
    return;
  }
  if (spec_.barrier) {
    EndBarrierAttempt(fmt::format(
        "Stage failed because barrier task {} (partition {}, attempt {}) of stage {}.{} finished "
        "unsuccessfully.\n{}",
        task_id, partition, r.attempt, spec_.stage_id, spec_.stage_attempt, result.error()));
    return;
  }
  if (copies_[i] > 0) return;  // a speculative twin may yet succeed
  state_[i] = State::kPending;
  AddPending(i, true);  // retried before untried partitions, as in Spark
}

void TaskSetManager::TaskKilled(int64_t task_id) {
  auto it = running_.find(task_id);
  if (it == running_.end()) return;
  size_t i = it->second.index;
  running_.erase(it);
  copies_[i]--;
  if (state_[i] == State::kRunning && copies_[i] == 0 && !zombie_) {
    state_[i] = State::kPending;  // killed for no reason of its own: run it again
    AddPending(i, true);
  }
}

void TaskSetManager::EndBarrierAttempt(std::string why) {
  zombie_ = true;
  end_reason_ = why;
  barrier_failure_ = std::move(why);
}

std::vector<int64_t> TaskSetManager::ExecutorLost(const std::string& executor_id) {
  std::vector<int64_t> lost;
  for (const auto& [tid, r] : running_)
    if (r.executor_id == executor_id) lost.push_back(tid);
  if (spec_.barrier && !lost.empty() && !zombie_)
    EndBarrierAttempt(fmt::format("Stage failed because barrier task {} (partition {}) of stage {}.{} "
                                  "was lost with executor {}",
                                  lost[0], spec_.partitions[running_.at(lost[0]).index],
                                  spec_.stage_id, spec_.stage_attempt, executor_id));
  for (int64_t tid : lost) TaskKilled(tid);
  return lost;
}

void TaskSetManager::CheckSpeculation(double now) {
  if (zombie_ || spec_.barrier || !options_->speculation.enabled) return;
  std::vector<std::pair<int, double>> running;
  for (const auto& [tid, r] : running_)
    if (state_[r.index] == State::kRunning) running.emplace_back(static_cast<int>(r.index), now - r.start);
  for (int i : TasksToSpeculate(options_->speculation, static_cast<int>(spec_.partitions.size()),
                                finished_seconds_, running, speculated_)) {
    speculated_.insert(i);
    speculatable_.insert(i);
  }
}

std::vector<int64_t> TaskSetManager::RunningTaskIds() const {
  std::vector<int64_t> ids;
  for (const auto& [tid, r] : running_) ids.push_back(tid);
  return ids;
}

void TaskSetManager::Abort(JobFailure failure) {
  if (!aborted_) {
    end_reason_ = failure.status.message();
    failure_ = std::move(failure);
  }
  aborted_ = true;
  zombie_ = true;
}

}  // namespace ember::scheduler
