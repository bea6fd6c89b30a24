#include "ember/scheduler/task_scheduler.h"

#include <fmt/format.h>

#include <algorithm>

#include "ember/common/time_util.h"

namespace ember::scheduler {

TaskScheduler::TaskScheduler(SchedulerBackend* backend, const Clock* clock, TaskSetOptions options,
                             Listener* listener, JobTracker* tracker, ListenerBus* bus, Pools pools)
    : backend_(backend),
      clock_(clock),
      options_(options),
      listener_(listener),
      tracker_(tracker),
      bus_(bus),
      pools_(std::move(pools)),
      barrier_(options.barrier_sync_timeout_s) {}

void TaskScheduler::Submit(TaskSetSpec spec) {
  auto set = std::make_unique<TaskSetManager>(std::move(spec), &options_, clock_->Now());
  auto at = std::upper_bound(sets_.begin(), sets_.end(), set, [](const auto& a, const auto& b) {
    return std::pair(a->priority(), a->stage_id()) < std::pair(b->priority(), b->stage_id());
  });
  sets_.insert(at, std::move(set));
  ReviveOffers();
}

void TaskScheduler::ReviveOffers() {
  if (offering_) {  // a listener called back into us mid-offer: go round again
    offer_again_ = true;
    return;
  }
  offering_ = true;
  do {
    offer_again_ = false;
    double now = clock_->Now();
    std::vector<TaskSetManager*> sets;
    for (auto& s : sets_) sets.push_back(s.get());
    for (TaskSetManager* set : pools_.Order(std::move(sets))) OfferTo(set, now);
  } while (offer_again_);
  offering_ = false;
}

void TaskScheduler::OfferTo(TaskSetManager* set, double now) {
  if (set->barrier()) return OfferBarrier(set, now);
  for (Locality level : {Locality::kProcess, Locality::kNode, Locality::kAny}) {
    for (bool launched = true; launched && !set->zombie();) {
      launched = false;
      for (auto& [id, exec] : executors_) {
        if (exec.free <= 0) continue;
        auto task = set->ResourceOffer(exec.info, level, now, next_task_);
        if (!task) continue;
        Launch(set, &exec, std::move(*task));
        launched = true;
      }
    }
  }
  ReportFailure(set);
}

void TaskScheduler::Launch(TaskSetManager* set, Executor* exec, proto::TaskDescription task) {
  next_task_++;
  Start(set, exec, std::move(task));
}

void TaskScheduler::Start(TaskSetManager* set, Executor* exec, proto::TaskDescription task) {
  static const char* const kLocality[] = {"PROCESS_LOCAL", "NODE_LOCAL", "ANY"};
  exec->free--;
  Launched& l = tasks_[task.task_id()];
  l.set = set;
  l.executor_id = exec->info.id;
  l.shuffle_map = task.has_shuffle();
  listener::TaskInfo& info = l.info;
  info.task_id = task.task_id();
  info.partition = task.partition();
  info.attempt = task.attempt();
  info.launch_time = EpochMillis();
  info.executor_id = exec->info.id;
  info.host = exec->info.host;
  if (auto launch = set->LaunchOf(task.task_id())) {
    info.index = static_cast<int>(launch->index);
    info.locality = kLocality[static_cast<int>(launch->locality)];
    info.speculative = launch->speculative;
  }
  tracker_->TaskStarted(set->stage_id());
  if (bus_) bus_->Post(listener::TaskStart{set->stage_id(), set->stage_attempt(), info});
  backend_->LaunchTask(exec->info.id, std::move(task));
}

void TaskScheduler::ReportEnd(const Launched& launched, const proto::TaskResult* result,
                              const std::string& lost_reason) {
  bool success = result && result->state() == proto::TaskResult::SUCCESS;
  tracker_->TaskEnded(launched.set->stage_id(), success,
                      result ? result->metrics() : proto::TaskMetrics());
  if (!bus_) return;
  using Kind = listener::TaskEndKind;
  listener::TaskEnd end;
  end.stage_id = launched.set->stage_id();
  end.stage_attempt = launched.set->stage_attempt();
  end.shuffle_map = launched.shuffle_map;
  end.info = launched.info;
  end.info.finish_time = EpochMillis();
  if (!result) {
    end.reason = Kind::kExecutorLost;
    end.error = lost_reason;
  } else {
    switch (result->state()) {
      case proto::TaskResult::SUCCESS: end.reason = Kind::kSuccess; break;
      case proto::TaskResult::KILLED: end.reason = Kind::kKilled; break;
      case proto::TaskResult::FETCH_FAILED: end.reason = Kind::kFetchFailed; break;
      default: end.reason = Kind::kException;
    }
    end.error = result->error();
    end.fetch_shuffle = result->fetch_failed_shuffle();
    end.fetch_map = result->fetch_failed_map();
    end.metrics = result->metrics();
  }
  end.info.killed = end.reason == Kind::kKilled;
  end.info.failed = end.reason != Kind::kSuccess && !end.info.killed;
  bus_->Post(std::move(end));
}

// All of the set's tasks, or none: a barrier task waits for its peers, so
// one that ran without them would wait for slots they cannot get.
void TaskScheduler::OfferBarrier(TaskSetManager* set, double now) {
  if (set->zombie() || !set->NothingLaunched()) return;
  size_t free = 0;
  for (const auto& [id, exec] : executors_) free += static_cast<size_t>(std::max(0, exec.free));
  if (free < set->num_tasks()) return;
  std::vector<std::pair<Executor*, proto::TaskDescription>> taken;
  for (auto& [id, exec] : executors_) {
    for (int slot = 0; slot < exec.free && !set->zombie(); ++slot) {
      auto task = set->ResourceOffer(exec.info, Locality::kAny, now, next_task_);
      if (!task) break;
      next_task_++;
      taken.emplace_back(&exec, std::move(*task));
    }
  }
  if (set->zombie()) {  // a task could not be built: the set aborted, nothing runs
    for (auto& [exec, task] : taken) set->TaskKilled(task.task_id());
    ReportFailure(set);
    return;
  }
  std::sort(taken.begin(), taken.end(),
            [](const auto& a, const auto& b) { return a.second.partition() < b.second.partition(); });
  std::vector<std::string> addresses;
  for (const auto& [exec, task] : taken) addresses.push_back(exec->info.address);
  for (auto& [exec, task] : taken) {
    task.set_barrier(true);
    task.mutable_barrier_addresses()->Add(addresses.begin(), addresses.end());
    Start(set, exec, std::move(task));
  }
}

void TaskScheduler::KillRunning(TaskSetManager* set) {
  for (int64_t tid : set->RunningTaskIds()) backend_->KillTask(tasks_.at(tid).executor_id, tid);
}

void TaskScheduler::ReportFailure(TaskSetManager* set) {
  if (auto failure = set->TakeFailure()) {
    if (set->barrier()) KillRunning(set);
    listener_->TaskSetFailed(set->stage_id(), set->stage_attempt(), std::move(*failure));
  }
}

void TaskScheduler::ReportBarrierFailure(TaskSetManager* set) {
  if (auto why = set->TakeBarrierFailure()) {
    KillRunning(set);
    listener_->BarrierTaskSetFailed(set->stage_id(), set->stage_attempt(), *why);
  }
}

int TaskScheduler::TotalSlots() const {
  int slots = 0;
  for (const auto& [id, exec] : executors_) slots += exec.info.slots;
  return slots;
}

void TaskScheduler::BarrierSync(const proto::BarrierRequest& request, BarrierCoordinator::Reply reply) {
  for (const auto& set : sets_) {
    if (set->stage_id() != request.stage_id() || set->stage_attempt() != request.stage_attempt() ||
        !set->barrier())
      continue;
    if (set->zombie()) break;
    barrier_.Request(request, clock_->Now(), std::move(reply));
    return;
  }
  proto::BarrierReply r;
  r.set_request_id(request.request_id());
  r.set_error(fmt::format("barrier stage {}.{} is no longer running", request.stage_id(),
                          request.stage_attempt()));
  reply(std::move(r));
}

void TaskScheduler::TaskFinished(const std::string& executor_id, proto::TaskResult result) {
  auto it = tasks_.find(result.task_id());
  if (it == tasks_.end()) return;  // its executor was declared lost meanwhile
  TaskSetManager* set = it->second.set;
  ReportEnd(it->second, &result, "");
  tasks_.erase(it);
  if (auto e = executors_.find(executor_id); e != executors_.end()) e->second.free++;
  switch (result.state()) {
    case proto::TaskResult::SUCCESS: {
      int64_t bytes = 0;
      for (const auto& f : result.frames()) bytes += static_cast<int64_t>(f.data().size());
      auto ended = set->TaskSucceeded(result.task_id(), bytes, clock_->Now());
      for (int64_t twin : ended.twins) backend_->KillTask(tasks_.at(twin).executor_id, twin);
      ReportFailure(set);
      if (ended.first_success) {
        listener_->TaskSucceeded(set->stage_id(), set->stage_attempt(), ended.partition, result);
        if (set->AllSucceeded()) listener_->TaskSetFinished(set->stage_id(), set->stage_attempt());
      }
      break;
    }
    case proto::TaskResult::FETCH_FAILED:
      // The stage must wait for its parent's lost outputs: this attempt is over.
      set->MakeZombie();
      set->TaskKilled(result.task_id());
      if (set->barrier()) KillRunning(set);
      listener_->FetchFailed(set->stage_id(), set->stage_attempt(), result);
      break;
    case proto::TaskResult::KILLED:
      set->TaskKilled(result.task_id());
      break;
    default:
      set->TaskFailed(result.task_id(), result);
      ReportFailure(set);
      ReportBarrierFailure(set);
      break;
  }
  ReviveOffers();
  Reap();
}

void TaskScheduler::StopStage(int stage_id, bool kill) {
  for (auto& set : sets_) {
    if (set->stage_id() != stage_id) continue;
    bool was_zombie = set->zombie();
    set->MakeZombie();
    // A barrier set's tasks cannot finish without the whole attempt: they
    // go when it stops (a zombie one's went when it became one).
    if (set->barrier() ? was_zombie : !kill) continue;
    for (int64_t tid : set->RunningTaskIds()) backend_->KillTask(tasks_.at(tid).executor_id, tid);
  }
}

bool TaskScheduler::HasRunningTasks(int stage_id) const {
  for (const auto& set : sets_)
    if (set->stage_id() == stage_id && set->HasRunning()) return true;
  return false;
}

void TaskScheduler::ExecutorAdded(const ExecutorInfo& info) {
  executors_[info.id] = {info, info.slots};
  ReviveOffers();
  Reap();
}

void TaskScheduler::ExecutorLost(const std::string& executor_id, const std::string& reason) {
  executors_.erase(executor_id);
  std::vector<TaskSetManager*> sets;
  for (auto& set : sets_) sets.push_back(set.get());
  for (TaskSetManager* set : sets) {
    for (int64_t tid : set->ExecutorLost(executor_id)) {
      if (auto it = tasks_.find(tid); it != tasks_.end()) {
        ReportEnd(it->second, nullptr,
                  "executor " + executor_id + " was lost" + (reason.empty() ? "" : ": " + reason));
        tasks_.erase(it);
      }
    }
  }
  for (TaskSetManager* set : sets) ReportBarrierFailure(set);  // may submit new sets
  ReviveOffers();
  Reap();
}

void TaskScheduler::Tick() {
  double now = clock_->Now();
  for (auto& set : sets_) set->CheckSpeculation(now);
  barrier_.CheckTimeouts(now);
  ReviveOffers();
  Reap();
}

// Only at the end of calls the DAG scheduler does not make from its
// listener methods, so no caller up the stack still holds a set.
void TaskScheduler::Reap() {
  if (!barrier_.idle()) {  // syncs of attempts that stopped will never complete
    std::map<std::pair<int, int>, const TaskSetManager*> live;
    for (const auto& s : sets_)
      if (s->barrier() && !s->zombie()) live[{s->stage_id(), s->stage_attempt()}] = s.get();
    std::map<std::pair<int, int>, std::string> ended;
    for (const auto& s : sets_)
      if (s->barrier() && s->zombie()) ended[{s->stage_id(), s->stage_attempt()}] = s->end_reason();
    barrier_.AttemptsEnded([&](int stage, int attempt) { return live.count({stage, attempt}) > 0; },
                           [&](int stage, int attempt) {
                             auto it = ended.find({stage, attempt});
                             std::string why = it == ended.end() ? "" : it->second;
                             return fmt::format("barrier stage {}.{} stopped before every task reached "
                                                "the sync{}{}",
                                                stage, attempt, why.empty() ? "" : ": ", why);
                           });
  }
  sets_.erase(std::remove_if(sets_.begin(), sets_.end(),
                             [](const auto& s) {
                               return (s->zombie() || s->AllSucceeded()) && !s->HasRunning();
                             }),
              sets_.end());
}

}  // namespace ember::scheduler
