// TaskScheduler and TaskSetManager driven synchronously: a recording
// backend, a manual clock, and the test deciding when each task ends.
// Locality (delay scheduling), executor loss, retries, speculation, the
// result-size limit, barrier sets, the order of FIFO and FAIR pools; and
// the DAG scheduler recovering from a lost executor and from fetch
// failures that arrive while lost outputs are recomputed, and running
// barrier stages.
#include <gtest/gtest.h>

#include <future>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "ember/rdd/graph.h"
#include "ember/rdd/python_node.h"
#include "ember/scheduler/dag_scheduler.h"
#include "ember/scheduler/task_scheduler.h"

namespace ember::scheduler {
namespace {

struct Launch {
  std::string executor;
  proto::TaskDescription task;
};

class RecordingBackend : public SchedulerBackend {
 public:
  void Attach(PostEvent post) override { post_ = std::move(post); }
  void LaunchTask(const std::string& executor, proto::TaskDescription task) override {
    launched.push_back({executor, task});
  }
  void KillTask(const std::string& executor, int64_t task_id) override { killed.push_back(task_id); }
  void RemoveShuffle(int) override {}
  void RemoveRdd(int) override {}
  PostEvent post_;
  std::vector<Launch> launched;
  std::vector<int64_t> killed;
};

class RecordingListener : public TaskScheduler::Listener {
 public:
  void TaskSucceeded(int stage, int attempt, int partition, proto::TaskResult&) override {
    succeeded.push_back(partition);
  }
  void FetchFailed(int, int, const proto::TaskResult&) override { ++fetch_failed; }
  void TaskSetFailed(int, int, JobFailure f) override { failures.push_back(f); }
  void TaskSetFinished(int, int) override { ++finished; }
  void BarrierTaskSetFailed(int, int, const std::string& reason) override {
    barrier_failures.push_back(reason);
  }
  std::vector<int> succeeded;
  std::vector<std::string> barrier_failures;
  std::vector<JobFailure> failures;
  int fetch_failed = 0;
  int finished = 0;
};

proto::TaskResult Outcome(const Launch& l, proto::TaskResult::State state) {
  proto::TaskResult r;
  r.set_task_id(l.task.task_id());
  r.set_state(state);
  r.set_executor_id(l.executor);
  if (state == proto::TaskResult::FAILED) r.set_error("boom");
  return r;
}

TaskSetSpec Spec(std::vector<int> partitions, std::vector<std::vector<TaskLocation>> preferred = {},
               int stage = 7) {
  TaskSetSpec s;
  s.stage_id = stage;
  s.partitions = std::move(partitions);
  s.preferred = std::move(preferred);
  s.make_task = [stage](int p) -> Result<proto::TaskDescription> {
    proto::TaskDescription t;
    t.set_stage_id(stage);
    t.set_partition(p);
    return t;
  };
  return s;
}

struct Harness {
  RecordingBackend backend;
  RecordingListener listener;
  ManualClock clock;
  JobTracker tracker;
  TaskSetOptions options;
  std::unique_ptr<TaskScheduler> ts;
  std::set<size_t> finished;  // indices into backend.launched
  explicit Harness(TaskSetOptions o = {}, Pools pools = Pools()) : options(o) {
    ts = std::make_unique<TaskScheduler>(&backend, &clock, options, &listener, &tracker, nullptr,
                                         std::move(pools));
  }
  void Finish(size_t i, proto::TaskResult::State state = proto::TaskResult::SUCCESS) {
    const Launch& l = backend.launched.at(i);
    finished.insert(i);
    ts->TaskFinished(l.executor, Outcome(l, state));
  }
  // Tasks launched and not finished, by stage.
  std::map<int, int> Running() const {
    std::map<int, int> running;
    for (size_t i = 0; i < backend.launched.size(); ++i)
      if (!finished.count(i)) ++running[backend.launched[i].task.stage_id()];
    return running;
  }
  // Finishes the oldest running task of `stage`.
  void FinishOneOf(int stage) {
    for (size_t i = 0; i < backend.launched.size(); ++i)
      if (!finished.count(i) && backend.launched[i].task.stage_id() == stage) return Finish(i);
    FAIL() << "no running task in stage " << stage;
  }
};

TEST(TaskScheduler, BarrierSetLaunchesAllTasksTogetherWithTheirAddresses) {
  Harness h;
  h.ts->ExecutorAdded({"a", "host-a", 1, "host-a:1"});
  auto spec = Spec({0, 1, 2});
  spec.barrier = true;
  h.ts->Submit(std::move(spec));
  EXPECT_TRUE(h.backend.launched.empty());  // 1 free slot for 3 tasks: none runs
  h.ts->ExecutorAdded({"b", "host-b", 2, "host-b:2"});
  ASSERT_EQ(h.backend.launched.size(), 3u);
  std::map<int, std::string> where;
  for (const auto& l : h.backend.launched) {
    EXPECT_TRUE(l.task.barrier());
    where[l.task.partition()] = l.executor == "a" ? "host-a:1" : "host-b:2";
  }
  for (const auto& l : h.backend.launched) {
    ASSERT_EQ(l.task.barrier_addresses_size(), 3);
    for (int p = 0; p < 3; ++p) EXPECT_EQ(l.task.barrier_addresses(p), where[p]);
  }
  EXPECT_EQ(h.ts->TotalSlots(), 3);
}

TEST(TaskScheduler, FailedBarrierTaskEndsTheAttemptAndReleasesItsSyncs) {
  TaskSetOptions o;
  o.max_task_failures = 4;
  Harness h(o);
  h.ts->ExecutorAdded({"a", "host-a", 2, "host-a:1"});
  auto spec = Spec({0, 1});
  spec.barrier = true;
  h.ts->Submit(std::move(spec));
  ASSERT_EQ(h.backend.launched.size(), 2u);
  std::vector<proto::BarrierReply> replies;
  proto::BarrierRequest req;
  req.set_stage_id(7);
  req.set_num_tasks(2);
  req.set_kind("barrier");
  req.set_partition(h.backend.launched[1].task.partition());
  h.ts->BarrierSync(req, [&](proto::BarrierReply r) { replies.push_back(r); });
  EXPECT_TRUE(replies.empty());  // waits for the other task
  h.Finish(0, proto::TaskResult::FAILED);
  ASSERT_EQ(h.listener.barrier_failures.size(), 1u);
  EXPECT_NE(h.listener.barrier_failures[0].find("finished unsuccessfully"), std::string::npos);
  EXPECT_TRUE(h.listener.failures.empty());  // below maxFailures: the stage decides, not the set
  EXPECT_EQ(h.backend.killed, std::vector<int64_t>{h.backend.launched[1].task.task_id()});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_NE(replies[0].error().find("boom"), std::string::npos);
  h.Finish(1, proto::TaskResult::KILLED);
  EXPECT_EQ(h.backend.launched.size(), 2u);  // nothing relaunched within the attempt
  h.ts->BarrierSync(req, [&](proto::BarrierReply r) { replies.push_back(r); });
  ASSERT_EQ(replies.size(), 2u);  // the attempt is over: answered at once
  EXPECT_NE(replies[1].error().find("no longer running"), std::string::npos);
}

TEST(TaskScheduler, LostBarrierTaskEndsTheAttemptAndIsNeverSpeculated) {
  TaskSetOptions o;
  o.max_task_failures = 4;
  o.speculation.enabled = true;
  o.speculation.min_runtime_s = 0;
  Harness h(o);
  h.ts->ExecutorAdded({"a", "host-a", 1, "host-a:1"});
  h.ts->ExecutorAdded({"b", "host-b", 4, "host-b:2"});
  auto spec = Spec({0, 1, 2, 3});
  spec.barrier = true;
  h.ts->Submit(std::move(spec));
  ASSERT_EQ(h.backend.launched.size(), 4u);
  for (size_t i = 0; i < 3; ++i) h.Finish(i);  // 3 of 4 quickly, one straggles: still no copy
  h.clock.Advance(100);
  h.ts->Tick();
  EXPECT_EQ(h.backend.launched.size(), 4u);
  std::string straggler_executor = h.backend.launched[3].executor;
  h.ts->ExecutorLost(straggler_executor);
  ASSERT_EQ(h.listener.barrier_failures.size(), 1u);
  EXPECT_NE(h.listener.barrier_failures[0].find("was lost with executor " + straggler_executor),
            std::string::npos);
  EXPECT_EQ(h.backend.launched.size(), 4u);  // not run again within the attempt
}

TEST(TaskScheduler, WaitsForTheCachedExecutorThenRelaxes) {
  Harness h;
  h.ts->ExecutorAdded({"a", "host-a", 1});
  h.ts->ExecutorAdded({"b", "host-b", 1});
  std::vector<TaskLocation> on_a = {{"a", "host-a"}};
  h.ts->Submit(Spec({0, 1}, {on_a, on_a}));
  ASSERT_EQ(h.backend.launched.size(), 1u);  // b is free, but both want a
  EXPECT_EQ(h.backend.launched[0].executor, "a");
  h.clock.Advance(2.9);
  h.ts->Tick();
  EXPECT_EQ(h.backend.launched.size(), 1u);
  h.clock.Advance(0.2);  // the process-local wait is over; now the node-local one
  h.ts->Tick();
  EXPECT_EQ(h.backend.launched.size(), 1u);
  h.clock.Advance(3);
  h.ts->Tick();
  ASSERT_EQ(h.backend.launched.size(), 2u);
  EXPECT_EQ(h.backend.launched[1].executor, "b");
  EXPECT_EQ(h.backend.launched[1].task.partition(), 1);
}

TEST(TaskScheduler, FreedPreferredSlotWinsBeforeTheWaitEnds) {
  Harness h;
  h.ts->ExecutorAdded({"a", "host-a", 1});
  h.ts->ExecutorAdded({"b", "host-b", 1});
  std::vector<TaskLocation> on_a = {{"a", "host-a"}};
  h.ts->Submit(Spec({0, 1}, {on_a, on_a}));
  h.clock.Advance(1);
  h.Finish(0);
  ASSERT_EQ(h.backend.launched.size(), 2u);
  EXPECT_EQ(h.backend.launched[1].executor, "a");
}

TEST(TaskScheduler, NodeLocalBeforeAnyAndNoPreferenceRunsAnywhere) {
  TaskSetOptions o;
  o.locality_wait_node_s = 5;
  Harness h(o);
  h.ts->ExecutorAdded({"a1", "host-a", 1});
  h.ts->ExecutorAdded({"b", "host-b", 1});
  h.ts->ExecutorAdded({"a2", "host-a", 1});
  std::vector<TaskLocation> host_a = {{"", "host-a"}};
  h.ts->Submit(Spec({0, 1, 2}, {host_a, host_a, host_a}));
  ASSERT_EQ(h.backend.launched.size(), 2u);  // both host-a executors, not b
  for (const auto& l : h.backend.launched) EXPECT_NE(l.executor, "b");
  h.clock.Advance(5.1);
  h.ts->Tick();
  ASSERT_EQ(h.backend.launched.size(), 3u);
  EXPECT_EQ(h.backend.launched[2].executor, "b");

  Harness free;
  free.ts->ExecutorAdded({"a", "host-a", 2});
  free.ts->Submit(Spec({0, 1}));
  EXPECT_EQ(free.backend.launched.size(), 2u);
}

TEST(TaskScheduler, LostExecutorsTasksRunElsewhereWithoutCountingAsFailures) {
  TaskSetOptions o;
  o.max_task_failures = 1;  // a single counted failure would abort
  Harness h(o);
  h.ts->ExecutorAdded({"a", "host-a", 1});
  h.ts->Submit(Spec({0}));
  ASSERT_EQ(h.backend.launched.size(), 1u);
  h.ts->ExecutorLost("a");
  h.ts->ExecutorAdded({"b", "host-b", 1});
  ASSERT_EQ(h.backend.launched.size(), 2u);
  EXPECT_EQ(h.backend.launched[1].executor, "b");
  h.Finish(0);  // the lost executor's late report is ignored
  EXPECT_TRUE(h.listener.succeeded.empty());
  h.Finish(1);
  EXPECT_EQ(h.listener.succeeded, std::vector<int>{0});
  EXPECT_EQ(h.listener.finished, 1);
  EXPECT_TRUE(h.listener.failures.empty());
}

TEST(TaskScheduler, RetriesUntilMaxFailuresThenAbortsOnce) {
  TaskSetOptions o;
  o.max_task_failures = 2;
  Harness h(o);
  h.ts->ExecutorAdded({"a", "host-a", 1});
  h.ts->Submit(Spec({3}));
  h.Finish(0, proto::TaskResult::FAILED);
  ASSERT_EQ(h.backend.launched.size(), 2u);
  h.Finish(1, proto::TaskResult::FAILED);
  ASSERT_EQ(h.listener.failures.size(), 1u);
  EXPECT_EQ(h.listener.failures[0].partition, 3);
  EXPECT_EQ(h.listener.failures[0].attempts, 2);
  EXPECT_NE(h.listener.failures[0].status.message().find("failed 2 times"), std::string::npos);
  EXPECT_EQ(h.backend.launched.size(), 2u);
}

TEST(TaskScheduler, SpeculativeCopyWinsAndTheOriginalIsKilled) {
  TaskSetOptions o;
  o.speculation.enabled = true;
  o.speculation.quantile = 0.5;
  Harness h(o);
  h.ts->ExecutorAdded({"a", "host-a", 2});
  h.ts->ExecutorAdded({"b", "host-b", 1});
  h.ts->Submit(Spec({0, 1}));
  ASSERT_EQ(h.backend.launched.size(), 2u);
  h.clock.Advance(1);
  h.Finish(0);  // one task took 1 s
  h.clock.Advance(2);  // the other has run 3 s > 1.5 x 1 s
  h.ts->Tick();
  ASSERT_EQ(h.backend.launched.size(), 3u);
  EXPECT_EQ(h.backend.launched[2].task.partition(), h.backend.launched[1].task.partition());
  h.Finish(2);
  EXPECT_EQ(h.backend.killed, std::vector<int64_t>{h.backend.launched[1].task.task_id()});
  h.Finish(1, proto::TaskResult::KILLED);
  EXPECT_EQ(h.listener.succeeded.size(), 2u);
  EXPECT_EQ(h.listener.finished, 1);
}

TEST(TaskScheduler, ResultsOverTheLimitAbortTheSet) {
  TaskSetOptions o;
  o.max_result_bytes = 10;
  Harness h(o);
  h.ts->ExecutorAdded({"a", "host-a", 2});
  h.ts->Submit(Spec({0, 1}));
  for (int i = 0; i < 2; ++i) {
    auto r = Outcome(h.backend.launched[i], proto::TaskResult::SUCCESS);
    r.add_frames()->set_data(std::string(6, 'x'));
    h.ts->TaskFinished("a", r);
  }
  ASSERT_EQ(h.listener.failures.size(), 1u);
  EXPECT_NE(h.listener.failures[0].status.message().find("spark.driver.maxResultSize"),
            std::string::npos);
}

TEST(TaskScheduler, EarlierJobsTaskSetsGoFirst) {
  Harness h;
  auto later = Spec({0, 1}, {}, /*stage=*/1);
  later.priority = 5;
  auto earlier = Spec({0, 1}, {}, /*stage=*/9);
  earlier.priority = 2;
  h.ts->Submit(later);
  h.ts->Submit(earlier);
  h.ts->ExecutorAdded({"a", "host-a", 2});
  ASSERT_EQ(h.backend.launched.size(), 2u);
  EXPECT_EQ(h.backend.launched[0].task.stage_id(), 9);
  EXPECT_EQ(h.backend.launched[1].task.stage_id(), 9);
  h.Finish(0);  // the earlier set has nothing left: the later one gets the slot
  ASSERT_EQ(h.backend.launched.size(), 3u);
  EXPECT_EQ(h.backend.launched[2].task.stage_id(), 1);
}

// A task set of job `job`'s stage `stage` in `pool`, with `tasks` tasks.
TaskSetSpec InPool(const std::string& pool, int job, int stage, int tasks = 20) {
  std::vector<int> partitions;
  for (int p = 0; p < tasks; ++p) partitions.push_back(p);
  auto spec = Spec(partitions, {}, stage);
  spec.priority = job;
  spec.pool = pool;
  return spec;
}

TEST(TaskScheduler, FifoModeIgnoresPools) {
  Harness h(TaskSetOptions(), Pools(SchedulingMode::kFifo, {{"b", {SchedulingMode::kFifo, 100, 5}}}));
  h.ts->ExecutorAdded({"a", "host-a", 2});
  h.ts->Submit(InPool("a", 0, 0));
  h.ts->Submit(InPool("b", 1, 1));
  for (int i = 0; i < 4; ++i) h.FinishOneOf(0);  // every freed slot goes to the older job
  EXPECT_EQ(h.Running(), (std::map<int, int>{{0, 2}}));
}

TEST(TaskScheduler, FairPoolsShareFreedSlotsByWeight) {
  Harness h(TaskSetOptions(), Pools(SchedulingMode::kFair, {{"heavy", {SchedulingMode::kFifo, 2, 0}}}));
  h.ts->ExecutorAdded({"a", "host-a", 3});
  h.ts->Submit(InPool("heavy", 0, 0));  // takes every slot: there is no preemption
  h.ts->Submit(InPool("light", 1, 1));
  EXPECT_EQ(h.Running(), (std::map<int, int>{{0, 3}}));
  h.FinishOneOf(0);  // heavy runs 2 of weight 2, light 0 of 1: light is further below its share
  EXPECT_EQ(h.Running(), (std::map<int, int>{{0, 2}, {1, 1}}));
  for (int round = 0; round < 3; ++round) {  // from then on it stays 2 : 1
    h.FinishOneOf(0);
    EXPECT_EQ(h.Running(), (std::map<int, int>{{0, 2}, {1, 1}}));
    h.FinishOneOf(1);
    EXPECT_EQ(h.Running(), (std::map<int, int>{{0, 2}, {1, 1}}));
  }
}

TEST(TaskScheduler, PoolBelowItsMinShareGoesFirstWhateverTheWeights) {
  Harness h(TaskSetOptions(), Pools(SchedulingMode::kFair, {{"big", {SchedulingMode::kFifo, 100, 0}},
                                                          {"small", {SchedulingMode::kFifo, 1, 2}}}));
  h.ts->ExecutorAdded({"a", "host-a", 4});
  h.ts->Submit(InPool("big", 0, 0));
  h.ts->Submit(InPool("small", 1, 1));
  h.FinishOneOf(0);
  h.FinishOneOf(0);  // by weight alone big (2/100) would beat small (1/1) to this slot
  EXPECT_EQ(h.Running(), (std::map<int, int>{{0, 2}, {1, 2}}));
  h.FinishOneOf(0);  // small has its minShare: weights decide again
  EXPECT_EQ(h.Running(), (std::map<int, int>{{0, 2}, {1, 2}}));
  h.FinishOneOf(1);  // small is below its minShare again: it gets the slot back
  EXPECT_EQ(h.Running(), (std::map<int, int>{{0, 2}, {1, 2}}));
}

TEST(TaskScheduler, FairPoolsTieByName) {
  Harness h(TaskSetOptions(), Pools(SchedulingMode::kFair));
  h.ts->Submit(InPool("b", 0, 0));
  h.ts->Submit(InPool("a", 1, 1));
  h.ts->ExecutorAdded({"a", "host-a", 1});
  EXPECT_EQ(h.Running(), (std::map<int, int>{{1, 1}}));
}

TEST(TaskScheduler, PoolsAreFifoInsideUnlessConfiguredFair) {
  for (auto mode : {SchedulingMode::kFifo, SchedulingMode::kFair}) {
    Harness h(TaskSetOptions(), Pools(SchedulingMode::kFair, {{"p", {mode, 1, 0}}}));
    h.ts->ExecutorAdded({"a", "host-a", 2});
    h.ts->Submit(InPool("p", 0, 0));
    h.ts->Submit(InPool("p", 1, 1));
    h.FinishOneOf(0);
    h.FinishOneOf(0);
    auto expected = mode == SchedulingMode::kFifo ? std::map<int, int>{{0, 2}}
                                                  : std::map<int, int>{{0, 1}, {1, 1}};
    EXPECT_EQ(h.Running(), expected) << (mode == SchedulingMode::kFifo ? "FIFO" : "FAIR");
  }
  // An unconfigured pool is FIFO.
  Harness h(TaskSetOptions(), Pools(SchedulingMode::kFair));
  h.ts->ExecutorAdded({"a", "host-a", 2});
  h.ts->Submit(InPool("new", 0, 0));
  h.ts->Submit(InPool("new", 1, 1));
  h.FinishOneOf(0);
  EXPECT_EQ(h.Running(), (std::map<int, int>{{0, 2}}));
}

// The DAG scheduler on a manual loop: a map stage ran on two executors, one
// is lost while the result stage runs; only its outputs are recomputed.
TEST(DAGSchedulerSync, LostExecutorCostsOnlyItsMapOutputs) {
  rdd::Graph graph;
  proto::Node src;
  src.set_num_partitions(4);
  for (int i = 0; i < 4; ++i) (*src.mutable_parallel()->mutable_slices())[i] = "s";
  int source = *graph.Add(src);
  proto::Node sh;
  sh.set_num_partitions(2);
  sh.mutable_shuffled()->set_map_node(source);
  int shuffled = *graph.Add(sh);

  RecordingBackend backend;
  ManualClock clock;
  DAGScheduler dag(&graph, &backend, {}, &clock, EventLoop::Mode::kManual);
  dag.Post(event::ExecutorAdded{{"a", "host-a", 2}});
  dag.Post(event::ExecutorAdded{{"b", "host-b", 2}});
  JobSpec spec;
  spec.final_node = shuffled;
  spec.partitions = {0, 1};
  auto out = dag.SubmitJob(spec);
  dag.RunUntilIdle();
  ASSERT_EQ(backend.launched.size(), 4u);  // the map stage
  auto finish = [&](size_t i) {
    const Launch& l = backend.launched[i];
    auto r = Outcome(l, proto::TaskResult::SUCCESS);
    if (l.task.has_shuffle()) r.mutable_map_status()->set_executor_id(l.executor);
    else r.add_frames()->set_data("x");
    dag.Post(event::TaskFinished{l.executor, r});
    dag.RunUntilIdle();
  };
  std::map<std::string, int> maps_on;
  for (size_t i = 0; i < 4; ++i) {
    maps_on[backend.launched[i].executor]++;
    finish(i);
  }
  ASSERT_EQ(maps_on["a"], 2);
  ASSERT_EQ(backend.launched.size(), 6u);  // the result stage
  dag.Post(event::ExecutorLost{"a", "test"});
  dag.Post(event::ExecutorAdded{{"c", "host-c", 2}});
  dag.RunUntilIdle();
  // Result tasks that were on a went back to pending and run again; those
  // that read a's outputs will fetch-fail. Report every result task as a
  // fetch failure of a map that was on a.
  int lost_map = -1;
  for (size_t i = 0; i < 4; ++i)
    if (backend.launched[i].executor == "a") lost_map = backend.launched[i].task.partition();
  size_t before = backend.launched.size();
  for (size_t i = 4; i < before; ++i) {
    const Launch& l = backend.launched[i];
    if (l.executor == "a") continue;  // lost with its executor
    auto r = Outcome(l, proto::TaskResult::FETCH_FAILED);
    r.set_fetch_failed_shuffle(0);
    r.set_fetch_failed_map(lost_map);
    dag.Post(event::TaskFinished{l.executor, r});
    dag.RunUntilIdle();
  }
  // Exactly the two maps that were on a run again, then the result stage.
  std::vector<int> reruns;
  for (size_t i = before; i < backend.launched.size(); ++i)
    if (backend.launched[i].task.has_shuffle()) reruns.push_back(backend.launched[i].task.partition());
  std::sort(reruns.begin(), reruns.end());
  std::vector<int> expected;
  for (size_t i = 0; i < 4; ++i)
    if (backend.launched[i].executor == "a") expected.push_back(backend.launched[i].task.partition());
  EXPECT_EQ(reruns, expected);
  for (size_t i = before; i < backend.launched.size(); ++i)
    if (backend.launched[i].task.has_shuffle()) finish(i);
  for (size_t i = before; i < backend.launched.size(); ++i)
    if (!backend.launched[i].task.has_shuffle()) finish(i);
  ASSERT_EQ(out.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_TRUE(out.get().failure.status.ok());
}

// A DAG scheduler on a manual loop over four map outputs read by two
// reducers, with the test ending each task: what tasks report, and when.
struct SyncJob {
  rdd::Graph graph;
  RecordingBackend backend;
  ManualClock clock;
  std::unique_ptr<DAGScheduler> dag;
  std::future<JobOutput> out;

  explicit SyncJob(const std::vector<std::string>& executors, int slots = 4) {
    proto::Node src;
    src.set_num_partitions(4);
    for (int i = 0; i < 4; ++i) (*src.mutable_parallel()->mutable_slices())[i] = "s";
    int source = *graph.Add(src);
    proto::Node sh;
    sh.set_num_partitions(2);
    sh.mutable_shuffled()->set_map_node(source);
    int shuffled = *graph.Add(sh);
    dag = std::make_unique<DAGScheduler>(&graph, &backend, SchedulerOptions{}, &clock,
                                         EventLoop::Mode::kManual);
    for (const auto& e : executors) dag->Post(event::ExecutorAdded{{e, "host-" + e, slots}});
    JobSpec spec;
    spec.final_node = shuffled;
    spec.partitions = {0, 1};
    out = dag->SubmitJob(spec);
    dag->RunUntilIdle();
  }
  const Launch& at(size_t i) const { return backend.launched.at(i); }
  void Report(proto::TaskResult r, const Launch& l) {
    dag->Post(event::TaskFinished{l.executor, std::move(r)});
    dag->RunUntilIdle();
  }
  void Finish(size_t i) {
    const Launch& l = at(i);
    auto r = Outcome(l, proto::TaskResult::SUCCESS);
    if (l.task.has_shuffle()) r.mutable_map_status()->set_executor_id(l.executor);
    else r.add_frames()->set_data("x");
    Report(r, l);
  }
  // Task i could not read map output `map`, written by map task `map_task`.
  void FetchFail(size_t i, int map, int64_t map_task) {
    auto r = Outcome(at(i), proto::TaskResult::FETCH_FAILED);
    r.set_fetch_failed_shuffle(0);
    r.set_fetch_failed_map(map);
    r.set_fetch_failed_map_task(map_task);
    Report(r, at(i));
  }
  void Lose(const std::string& executor) {
    dag->Post(event::ExecutorLost{executor, "test"});
    dag->RunUntilIdle();
  }
  // Launches from `from` on: (is a map task, partition) -> index.
  std::map<std::pair<bool, int>, size_t> LaunchedSince(size_t from) const {
    std::map<std::pair<bool, int>, size_t> found;
    for (size_t i = from; i < backend.launched.size(); ++i)
      found[{at(i).task.has_shuffle(), at(i).task.partition()}] = i;
    return found;
  }
  int MapRuns() const {
    int n = 0;
    for (const auto& l : backend.launched) n += l.task.has_shuffle();
    return n;
  }
  bool Done() { return out.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }
};

// Executor a is lost while the result stage runs; its outputs are being
// recomputed on b when a reducer of the old attempt reports that it could
// not read a's copy of map 0. The copy b wrote since must stay (and b's
// other outputs with it): the failure was about the old one.
TEST(DAGSchedulerSync, LateFetchFailureAboutAReplacedOutputLosesNothing) {
  SyncJob job({"a", "b"});
  ASSERT_EQ(job.backend.launched.size(), 4u);
  std::set<int> on_a;
  int64_t old_map0_task = -1;
  for (size_t i = 0; i < 4; ++i) {
    if (job.at(i).executor == "a") on_a.insert(job.at(i).task.partition());
    if (job.at(i).task.partition() == 0) old_map0_task = job.at(i).task.task_id();
    job.Finish(i);
  }
  ASSERT_TRUE(on_a.count(0));
  ASSERT_EQ(job.backend.launched.size(), 6u);  // the result stage, one reducer on each
  size_t reducer_on_b = job.at(4).executor == "b" ? 4 : 5;

  job.Lose("a");
  auto relaunched = job.LaunchedSince(6);
  ASSERT_EQ(relaunched.size(), 1u);  // the reducer that was on a
  job.FetchFail(relaunched.begin()->second, 0, -1);  // a's outputs were known lost when it started
  auto maps = job.LaunchedSince(7);
  ASSERT_EQ(maps.size(), on_a.size());  // a's outputs, recomputed on b
  job.Finish(maps.at({true, 0}));
  job.FetchFail(reducer_on_b, 0, old_map0_task);  // late, about a's copy of map 0
  for (const auto& [key, i] : maps)
    if (key.second != 0) job.Finish(i);

  auto reducers = job.LaunchedSince(7 + maps.size());
  ASSERT_EQ(reducers.size(), 2u);  // the result stage's next attempt, and no map task
  for (const auto& [key, i] : reducers) {
    ASSERT_FALSE(key.first);
    job.Finish(i);
  }
  ASSERT_TRUE(job.Done());
  EXPECT_TRUE(job.out.get().failure.status.ok());
  EXPECT_EQ(job.MapRuns(), 4 + static_cast<int>(on_a.size()));
}

// While the map stage reruns a lost executor's outputs, a reducer of the
// old attempt finds another output unreadable (its executor's disk is
// bad). That output must run again too, in the task set that follows.
TEST(DAGSchedulerSync, OutputLostWhileItsMapStageRerunsIsRunAgain) {
  SyncJob job({"a", "b", "c"});
  ASSERT_EQ(job.backend.launched.size(), 4u);
  std::map<int, std::string> writer;
  std::map<int, int64_t> task_of;
  for (size_t i = 0; i < 4; ++i) {
    writer[job.at(i).task.partition()] = job.at(i).executor;
    task_of[job.at(i).task.partition()] = job.at(i).task.task_id();
    job.Finish(i);
  }
  ASSERT_EQ(job.backend.launched.size(), 6u);
  size_t reducer_off_a = job.at(4).executor != "a" ? 4 : 5;
  std::set<int> on_a, elsewhere;
  for (const auto& [p, e] : writer) (e == "a" ? on_a : elsewhere).insert(p);
  ASSERT_FALSE(on_a.empty());
  ASSERT_FALSE(elsewhere.empty());
  int bad = *elsewhere.begin();  // an output not on a

  job.Lose("a");
  auto relaunched = job.LaunchedSince(6);
  ASSERT_EQ(relaunched.size(), 1u);
  job.FetchFail(relaunched.begin()->second, *on_a.begin(), -1);
  auto maps = job.LaunchedSince(7);
  ASSERT_EQ(maps.size(), on_a.size());  // a's outputs rerun ...
  job.FetchFail(reducer_off_a, bad, task_of[bad]);  // ... when `bad` is found unreadable
  for (const auto& [key, i] : maps) job.Finish(i);

  // The rerun of `bad` (and of any output of its executor) follows.
  size_t next = 7 + maps.size();
  for (int round = 0; round < 3 && !job.Done(); ++round) {
    auto more = job.LaunchedSince(next);
    ASSERT_FALSE(more.empty()) << "nothing runs and the job is not done";
    next = job.backend.launched.size();
    for (const auto& [key, i] : more) job.Finish(i);
  }
  ASSERT_TRUE(job.Done());
  EXPECT_TRUE(job.out.get().failure.status.ok());
  std::map<int, int> runs;
  for (const auto& l : job.backend.launched)
    if (l.task.has_shuffle()) runs[l.task.partition()]++;
  EXPECT_EQ(runs[bad], 2);
  for (int p : on_a) EXPECT_EQ(runs[p], 2);
}

// A barrier map stage of 3 tasks under the DAG scheduler: it waits for
// slots (re-checked on ticks), launches all 3 at once, and when one fails
// the attempt's others are killed and the whole stage runs again.
struct BarrierJob {
  rdd::Graph graph;
  RecordingBackend backend;
  ManualClock clock;
  std::unique_ptr<DAGScheduler> dag;
  std::future<JobOutput> out;

  explicit BarrierJob(SchedulerOptions o) {
    proto::Node src;
    src.set_num_partitions(3);
    for (int i = 0; i < 3; ++i) (*src.mutable_parallel()->mutable_slices())[i] = "s";
    int source = *graph.Add(src);
    int barrier = *graph.Add(*rdd::MakePythonNode(graph, source, "cmd", {}, /*barrier=*/true));
    proto::Node sh;
    sh.set_num_partitions(1);
    sh.mutable_shuffled()->set_map_node(barrier);
    int shuffled = *graph.Add(sh);
    o.barrier_slots_check_interval_s = 1;
    o.barrier_slots_check_max_failures = 3;
    dag = std::make_unique<DAGScheduler>(&graph, &backend, o, &clock, EventLoop::Mode::kManual);
    dag->Post(event::ExecutorAdded{{"a", "host-a", 2, "host-a:1"}});
    JobSpec spec;
    spec.final_node = shuffled;
    spec.partitions = {0};
    out = dag->SubmitJob(spec);
    dag->RunUntilIdle();
  }
  void Tick(double seconds) {
    clock.Advance(seconds);
    dag->Post(event::Tick{});
    dag->RunUntilIdle();
  }
  void End(size_t i, proto::TaskResult::State state) {
    const Launch& l = backend.launched.at(i);
    auto r = Outcome(l, state);
    if (l.task.has_shuffle()) r.mutable_map_status()->set_executor_id(l.executor);
    else r.add_frames()->set_data("x");
    dag->Post(event::TaskFinished{l.executor, r});
    dag->RunUntilIdle();
  }
};

TEST(DAGSchedulerSync, BarrierStageWaitsForSlotsThenRerunsWholeAfterAFailure) {
  SchedulerOptions o;
  o.tasks.max_task_failures = 4;
  BarrierJob job(o);
  EXPECT_TRUE(job.backend.launched.empty());  // 3 tasks, 2 slots
  job.Tick(1.1);
  EXPECT_TRUE(job.backend.launched.empty());  // checked again: still too few
  job.dag->Post(event::ExecutorAdded{{"b", "host-b", 1, "host-b:1"}});
  job.Tick(1.1);
  ASSERT_EQ(job.backend.launched.size(), 3u);
  for (const auto& l : job.backend.launched) {
    EXPECT_TRUE(l.task.barrier());
    EXPECT_EQ(l.task.stage_attempt(), 0);
  }
  job.End(0, proto::TaskResult::SUCCESS);
  job.End(1, proto::TaskResult::FAILED);
  EXPECT_EQ(job.backend.killed, std::vector<int64_t>{job.backend.launched[2].task.task_id()});
  EXPECT_EQ(job.backend.launched.size(), 3u);  // the new attempt waits for the killed task's slot
  job.End(2, proto::TaskResult::KILLED);
  ASSERT_EQ(job.backend.launched.size(), 6u);  // all 3 again, partition 0 too
  std::set<int> partitions;
  for (size_t i = 3; i < 6; ++i) {
    EXPECT_EQ(job.backend.launched[i].task.stage_attempt(), 1);
    partitions.insert(job.backend.launched[i].task.partition());
  }
  EXPECT_EQ(partitions, (std::set<int>{0, 1, 2}));
  for (size_t i = 3; i < 6; ++i) job.End(i, proto::TaskResult::SUCCESS);
  ASSERT_EQ(job.backend.launched.size(), 7u);  // the result stage
  EXPECT_FALSE(job.backend.launched[6].task.barrier());
  job.End(6, proto::TaskResult::SUCCESS);
  ASSERT_EQ(job.out.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_TRUE(job.out.get().failure.status.ok());
}

TEST(DAGSchedulerSync, BarrierStageWithTooFewSlotsFailsAfterItsChecks) {
  BarrierJob job({});
  job.Tick(1.1);
  EXPECT_NE(job.out.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  job.Tick(1.1);  // the third failed check
  ASSERT_EQ(job.out.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  std::string error = job.out.get().failure.status.message();
  EXPECT_NE(error.find("[SPARK-24819]"), std::string::npos) << error;
  EXPECT_NE(error.find("needs 3 slots; the application has 2"), std::string::npos) << error;
  EXPECT_NE(error.find("checked 3 times"), std::string::npos) << error;
  EXPECT_TRUE(job.backend.launched.empty());
}

}  // namespace
}  // namespace ember::scheduler
