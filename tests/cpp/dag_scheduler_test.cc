// DAG scheduler with a fake backend: stages are cut at shuffles and run in
// order, map outputs are reused, failed tasks are retried up to the limit,
// and a fetch failure re-runs only the lost map output.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "ember/rdd/graph.h"
#include "ember/scheduler/dag_scheduler.h"

namespace ember::scheduler {
namespace {

// Runs each task on a thread of one executor "exec-a" (2 slots); `decide`
// picks the outcome of each attempt.
class FakeBackend : public SchedulerBackend {
 public:
  using Decide = std::function<proto::TaskResult::State(const proto::TaskDescription&)>;
  // The blocks digest a map task reports: by default it depends only on
  // the partition, i.e. the map is deterministic.
  using Checksum = std::function<uint64_t(const proto::TaskDescription&)>;
  explicit FakeBackend(Decide decide, Checksum checksum = [](const proto::TaskDescription& t) {
    return static_cast<uint64_t>(t.partition());
  }) : decide_(std::move(decide)), checksum_(std::move(checksum)) {}
  ~FakeBackend() override {
    for (auto& t : threads_) t.join();
  }
  void Attach(PostEvent post) override {
    post_ = std::move(post);
    post_(event::ExecutorAdded{{"exec-a", "host-a", 2}});
  }
  void KillTask(const std::string&, int64_t) override {}
  void RemoveShuffle(int shuffle_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    removed.push_back(shuffle_id);
  }
  void RemoveRdd(int) override {}
  std::vector<int> Removed() {
    std::lock_guard<std::mutex> lock(mu_);
    return removed;
  }
  void LaunchTask(const std::string& executor, proto::TaskDescription task) override {
    std::lock_guard<std::mutex> lock(mu_);
    launched.push_back(task);
    threads_.emplace_back([this, task, executor] {
      proto::TaskResult r;
      r.set_task_id(task.task_id());
      r.set_executor_id(executor);
      r.set_state(decide_(task));
      if (r.state() == proto::TaskResult::FAILED) r.set_error("boom");
      if (r.state() == proto::TaskResult::FETCH_FAILED) {
        r.set_fetch_failed_shuffle(0);
        r.set_fetch_failed_map(1);
      }
      if (task.has_shuffle()) {
        r.mutable_map_status()->set_executor_id(executor);
        for (int b = 0; b < task.shuffle().num_buckets(); ++b) r.mutable_map_status()->add_block_sizes(10);
        r.mutable_map_status()->set_blocks_digest(checksum_(task));
      }
      if (task.has_result()) {
        auto* f = r.add_frames();
        f->set_type(1);
        f->set_data("part" + std::to_string(task.partition()));
      }
      post_(event::TaskFinished{executor, r});
    });
  }
  std::vector<proto::TaskDescription> Launched() {
    std::lock_guard<std::mutex> lock(mu_);
    return launched;
  }

 private:
  Decide decide_;
  Checksum checksum_;
  PostEvent post_;
  std::mutex mu_;
  std::vector<proto::TaskDescription> launched;
  std::vector<int> removed;
  std::vector<std::thread> threads_;
};

SchedulerOptions Options(int max_task_failures, int max_stage_attempts) {
  SchedulerOptions o;
  o.tasks.max_task_failures = max_task_failures;
  o.max_stage_attempts = max_stage_attempts;
  return o;
}

struct Fixture {
  rdd::Graph graph;
  int source = 0, map_node = 0, shuffled = 0, reduce = 0;
  Fixture() {
    proto::Node src;
    src.set_num_partitions(3);
    for (int i = 0; i < 3; ++i) (*src.mutable_parallel()->mutable_slices())[i] = "s";
    source = *graph.Add(src);
    proto::Node py;
    py.set_num_partitions(3);
    py.mutable_python()->set_parent(source);
    map_node = *graph.Add(py);
    proto::Node sh;
    sh.set_num_partitions(2);
    sh.mutable_shuffled()->set_map_node(map_node);
    shuffled = *graph.Add(sh);
    proto::Node red;
    red.set_num_partitions(2);
    red.mutable_python()->set_parent(shuffled);
    reduce = *graph.Add(red);
  }
};

int CountStage(const std::vector<proto::TaskDescription>& ts, bool map) {
  int n = 0;
  for (const auto& t : ts) n += t.has_shuffle() == map;
  return n;
}

TEST(DAGScheduler, RunsMapStageThenResultStageAndReusesOutputs) {
  Fixture fx;
  FakeBackend backend([](const proto::TaskDescription&) { return proto::TaskResult::SUCCESS; });
  DAGScheduler dag(&fx.graph, &backend, {});
  JobSpec spec;
  spec.final_node = fx.reduce;
  spec.partitions = {0, 1};
  JobOutput out = dag.RunJob(spec);
  ASSERT_TRUE(out.failure.status.ok()) << out.failure.status.ToString();
  ASSERT_EQ(out.results.size(), 2u);
  EXPECT_EQ(out.results[1][0].data(), "part1");
  auto launched = backend.Launched();
  EXPECT_EQ(CountStage(launched, true), 3);
  EXPECT_EQ(CountStage(launched, false), 2);
  // Every reduce task got the locations of all 3 map outputs.
  for (const auto& t : launched) {
    for (const auto& n : t.nodes()) {
      if (n.has_shuffled()) {
        EXPECT_EQ(n.shuffled().map_ids_size(), 3);
      }
    }
  }

  // A second job over the same shuffle runs no map task.
  out = dag.RunJob(spec);
  ASSERT_TRUE(out.failure.status.ok());
  EXPECT_EQ(CountStage(backend.Launched(), true), 3);
}

TEST(DAGScheduler, RemovedShuffleLosesItsOutputsAndFiles) {
  Fixture fx;
  FakeBackend backend([](const proto::TaskDescription&) { return proto::TaskResult::SUCCESS; });
  DAGScheduler dag(&fx.graph, &backend, {});
  JobSpec spec;
  spec.final_node = fx.reduce;
  spec.partitions = {0, 1};
  ASSERT_TRUE(dag.RunJob(spec).failure.status.ok());
  dag.RemoveShuffle(0);
  // Events run in order: this job is handled after the removal, so it must
  // compute the map outputs again.
  ASSERT_TRUE(dag.RunJob(spec).failure.status.ok());
  EXPECT_EQ(CountStage(backend.Launched(), true), 6);
  EXPECT_EQ(backend.Removed(), std::vector<int>{0});
}

TEST(DAGScheduler, RetriesThenAbortsWithTaskAndStage) {
  Fixture fx;
  std::atomic<int> attempts{0};
  FakeBackend backend([&](const proto::TaskDescription& t) {
    if (t.has_result() && t.partition() == 1) {
      ++attempts;
      return proto::TaskResult::FAILED;
    }
    return proto::TaskResult::SUCCESS;
  });
  DAGScheduler dag(&fx.graph, &backend, Options(/*max_task_failures=*/4, 4));
  JobSpec spec;
  spec.final_node = fx.reduce;
  spec.partitions = {0, 1};
  JobOutput out = dag.RunJob(spec);
  ASSERT_FALSE(out.failure.status.ok());
  EXPECT_EQ(attempts.load(), 4);
  EXPECT_EQ(out.failure.partition, 1);
  EXPECT_EQ(out.failure.attempts, 4);
  EXPECT_NE(out.failure.status.message().find("Task 1 in stage"), std::string::npos);
  EXPECT_NE(out.failure.status.message().find("failed 4 times"), std::string::npos);
  EXPECT_NE(out.failure.status.message().find("boom"), std::string::npos);
}

TEST(DAGScheduler, TaskThatFailsOnceSucceedsOnRetry) {
  Fixture fx;
  std::atomic<int> failures{0};
  FakeBackend backend([&](const proto::TaskDescription& t) {
    if (t.has_shuffle() && t.partition() == 2 && t.attempt() == 0) {
      ++failures;
      return proto::TaskResult::FAILED;
    }
    return proto::TaskResult::SUCCESS;
  });
  DAGScheduler dag(&fx.graph, &backend, Options(2, 4));
  JobSpec spec;
  spec.final_node = fx.reduce;
  spec.partitions = {0, 1};
  JobOutput out = dag.RunJob(spec);
  ASSERT_TRUE(out.failure.status.ok()) << out.failure.status.ToString();
  EXPECT_EQ(failures.load(), 1);
  EXPECT_EQ(CountStage(backend.Launched(), true), 4);
}

TEST(DAGScheduler, FetchFailureRerunsOnlyTheLostMapOutput) {
  Fixture fx;
  std::atomic<bool> failed_once{false};
  FakeBackend backend([&](const proto::TaskDescription& t) {
    if (t.has_result() && t.partition() == 0 && !failed_once.exchange(true))
      return proto::TaskResult::FETCH_FAILED;  // map output 1 of shuffle 0 is gone
    return proto::TaskResult::SUCCESS;
  });
  DAGScheduler dag(&fx.graph, &backend, Options(1, 4));
  JobSpec spec;
  spec.final_node = fx.reduce;
  spec.partitions = {0, 1};
  JobOutput out = dag.RunJob(spec);
  ASSERT_TRUE(out.failure.status.ok()) << out.failure.status.ToString();
  auto launched = backend.Launched();
  std::map<int, int> map_runs;
  for (const auto& t : launched)
    if (t.has_shuffle()) map_runs[t.partition()]++;
  EXPECT_EQ(map_runs[0], 1);
  EXPECT_EQ(map_runs[1], 2);
  EXPECT_EQ(map_runs[2], 1);
}

TEST(DAGScheduler, RecomputedOutputThatDiffersRerunsEveryReader) {
  for (bool deterministic : {true, false}) {
    Fixture fx;
    std::atomic<bool> failed_once{false};
    FakeBackend backend(
        [&](const proto::TaskDescription& t) {
          if (t.has_result() && t.partition() == 0 && !failed_once.exchange(true)) {
            // let partition 1 finish with the first output of map 1
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            return proto::TaskResult::FETCH_FAILED;
          }
          return proto::TaskResult::SUCCESS;
        },
        [&](const proto::TaskDescription& t) {
          return static_cast<uint64_t>(t.partition() + (deterministic ? 0 : 100 * t.attempt()));
        });
    DAGScheduler dag(&fx.graph, &backend, Options(1, 4));
    JobSpec spec;
    spec.final_node = fx.reduce;
    spec.partitions = {0, 1};
    JobOutput out = dag.RunJob(spec);
    ASSERT_TRUE(out.failure.status.ok()) << out.failure.status.ToString();
    std::map<int, int> reduce_runs;
    for (const auto& t : backend.Launched())
      if (t.has_result()) reduce_runs[t.partition()]++;
    EXPECT_EQ(reduce_runs[0], 2);
    // partition 1 read the lost output: it runs again only if that changed
    EXPECT_EQ(reduce_runs[1], deterministic ? 1 : 2) << deterministic;
  }
}

TEST(DAGScheduler, MapOutputThatStaysLostAbortsAfterStageAttempts) {
  Fixture fx;
  FakeBackend backend([&](const proto::TaskDescription& t) {
    return t.has_result() ? proto::TaskResult::FETCH_FAILED : proto::TaskResult::SUCCESS;
  });
  DAGScheduler dag(&fx.graph, &backend, Options(1, 3));
  JobSpec spec;
  spec.final_node = fx.reduce;
  spec.partitions = {0, 1};
  JobOutput out = dag.RunJob(spec);
  ASSERT_FALSE(out.failure.status.ok());
  EXPECT_EQ(out.failure.status.code(), StatusCode::kFetchFailed);
  EXPECT_NE(out.failure.status.message().find("after 3 attempts"), std::string::npos);
}

}  // namespace
}  // namespace ember::scheduler

namespace ember::scheduler {
namespace {

// A failed save removes its output when RunJob returns: a result task
// still running then could write after the removal. So a failed job
// returns only once its running result tasks have ended.
TEST(DAGScheduler, FailedJobReturnsAfterItsRunningResultTasksEnd) {
  Fixture fx;
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  FakeBackend backend([&](const proto::TaskDescription& t) {
    if (t.has_result() && t.partition() == 1) return proto::TaskResult::FAILED;
    if (t.has_result() && t.partition() == 0) {  // a straggler, held until released
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return release; });
    }
    return proto::TaskResult::SUCCESS;
  });
  DAGScheduler dag(&fx.graph, &backend, Options(/*max_task_failures=*/1, 4));
  JobSpec spec;
  spec.final_node = fx.reduce;
  spec.partitions = {0, 1};
  auto future = dag.SubmitJob(spec);
  // The job has failed (partition 1) while partition 0 still runs...
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (dag.tracker().ActiveJobIds().size() > 0 || dag.tracker().Job(0) == std::nullopt) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the job never failed";
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // ...yet RunJob has not returned: the straggler has not ended.
  EXPECT_EQ(future.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  JobOutput out = future.get();
  EXPECT_FALSE(out.failure.status.ok());
  EXPECT_EQ(out.failure.partition, 1);
}

// Collects the bus's events as parsed JSON, in delivery order.
struct EventRecorder {
  std::mutex mu;
  std::vector<nlohmann::json> events;
  explicit EventRecorder(ListenerBus* bus) {
    bus->AddListener([this](const ListenerEvent&, const std::string& line) {
      std::lock_guard<std::mutex> lock(mu);
      events.push_back(nlohmann::json::parse(line));
    });
  }
  // Positions of the events named `name` ("SparkListener" left out).
  std::vector<size_t> Find(const std::string& name) {
    std::vector<size_t> at;
    for (size_t i = 0; i < events.size(); ++i)
      if (events[i]["Event"] == "SparkListener" + name) at.push_back(i);
    return at;
  }
};

TEST(DAGScheduler, PostsJobStageAndTaskEventsInSparksOrder) {
  Fixture fx;
  ListenerBus bus;
  EventRecorder rec(&bus);
  // Result partition 1 fails its first attempt.
  FakeBackend backend([](const proto::TaskDescription& t) {
    return t.has_result() && t.partition() == 1 && t.attempt() == 0 ? proto::TaskResult::FAILED
                                                                     : proto::TaskResult::SUCCESS;
  });
  SchedulerOptions options = Options(2, 4);
  options.listener_bus = &bus;
  {
    DAGScheduler dag(&fx.graph, &backend, options);
    JobSpec spec;
    spec.final_node = fx.reduce;
    spec.partitions = {0, 1};
    spec.properties["callSite.short"] = "collect at job.py:7";
    ASSERT_TRUE(dag.RunJob(spec).failure.status.ok());
  }
  bus.WaitUntilEmpty();
  auto& ev = rec.events;
  EXPECT_EQ(rec.Find("ExecutorAdded").size(), 1u);
  ASSERT_EQ(rec.Find("JobStart").size(), 1u);
  const auto& start = ev[rec.Find("JobStart")[0]];
  EXPECT_EQ(start["Stage IDs"], nlohmann::json::array({0, 1}));  // the result stage, its map stage
  EXPECT_EQ(start["Properties"]["callSite.short"], "collect at job.py:7");
  auto submitted = rec.Find("StageSubmitted"), completed = rec.Find("StageCompleted");
  ASSERT_EQ(submitted.size(), 2u);
  ASSERT_EQ(completed.size(), 2u);
  EXPECT_LT(rec.Find("JobStart")[0], submitted[0]);
  const auto& map_stage = ev[submitted[0]]["Stage Info"];
  EXPECT_EQ(map_stage["Stage ID"], 1);
  EXPECT_EQ(map_stage["Stage Name"], "collect at job.py:7");
  EXPECT_EQ(map_stage["Number of Tasks"], 3);
  EXPECT_EQ(map_stage["RDD Info"][0]["RDD ID"], fx.map_node);
  EXPECT_EQ(map_stage["RDD Info"][0]["Name"], "PythonRDD");
  EXPECT_EQ(map_stage["RDD Info"][0]["Parent IDs"], nlohmann::json::array({fx.source}));
  EXPECT_EQ(map_stage["RDD Info"][1]["Name"], "ParallelCollectionRDD");
  EXPECT_EQ(ev[submitted[1]]["Stage Info"]["Parent IDs"], nlohmann::json::array({1}));
  EXPECT_LT(completed[0], submitted[1]);  // the map stage ended before the result stage began
  EXPECT_EQ(ev[completed[0]]["Stage Info"]["Stage ID"], 1);
  EXPECT_TRUE(ev[completed[0]]["Stage Info"].contains("Completion Time"));
  EXPECT_FALSE(ev[completed[1]]["Stage Info"].contains("Failure Reason"));
  EXPECT_EQ(rec.Find("TaskStart").size(), 6u);  // 3 map tasks, 2 result tasks and a retry
  auto ends = rec.Find("TaskEnd");
  ASSERT_EQ(ends.size(), 6u);
  int failures = 0;
  for (size_t i : ends) {
    const auto& e = ev[i];
    EXPECT_EQ(e["Task Type"], e["Stage ID"] == 1 ? "ShuffleMapTask" : "ResultTask");
    EXPECT_EQ(e["Task Info"]["Executor ID"], "exec-a");
    EXPECT_EQ(e["Task Info"]["Host"], "host-a");
    if (e["Task End Reason"]["Reason"] == "ExceptionFailure") {
      ++failures;
      EXPECT_EQ(e["Task End Reason"]["Description"], "boom");
      EXPECT_EQ(e["Task Info"]["Failed"], true);
      EXPECT_EQ(e["Task Info"]["Partition ID"], 1);
    }
  }
  EXPECT_EQ(failures, 1);
  ASSERT_EQ(rec.Find("JobEnd").size(), 1u);
  EXPECT_EQ(rec.Find("JobEnd")[0], ev.size() - 1);
  EXPECT_EQ(ev.back()["Job Result"]["Result"], "JobSucceeded");
}

TEST(DAGScheduler, PostsTheFailureOfAFailedJobAndItsStage) {
  Fixture fx;
  ListenerBus bus;
  EventRecorder rec(&bus);
  FakeBackend backend([](const proto::TaskDescription& t) {
    return t.has_result() ? proto::TaskResult::FAILED : proto::TaskResult::SUCCESS;
  });
  SchedulerOptions options = Options(1, 4);
  options.listener_bus = &bus;
  {
    DAGScheduler dag(&fx.graph, &backend, options);
    JobSpec spec;
    spec.final_node = fx.reduce;
    spec.partitions = {0, 1};
    ASSERT_FALSE(dag.RunJob(spec).failure.status.ok());
  }
  bus.WaitUntilEmpty();
  auto completed = rec.Find("StageCompleted");
  ASSERT_EQ(completed.size(), 2u);
  const auto& failed_stage = rec.events[completed[1]]["Stage Info"];
  EXPECT_EQ(failed_stage["Stage ID"], 0);
  EXPECT_NE(failed_stage["Failure Reason"].get<std::string>().find("boom"), std::string::npos);
  auto end = rec.events[rec.Find("JobEnd").at(0)];
  EXPECT_EQ(end["Job Result"]["Result"], "JobFailed");
  EXPECT_NE(end["Job Result"]["Exception"]["Message"].get<std::string>().find("boom"), std::string::npos);
}

}  // namespace
}  // namespace ember::scheduler
