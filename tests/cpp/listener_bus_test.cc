// The listener bus delivers events in order off the posting thread and
// drops beyond its capacity; events serialise to Spark's event log JSON.
#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>

#include "ember/scheduler/event_json.h"
#include "ember/scheduler/listener_bus.h"

namespace ember::scheduler {
namespace {

using nlohmann::json;

TEST(ListenerBus, DeliversInOrderAndDropsBeyondCapacity) {
  ListenerBus bus(2);
  std::promise<void> entered, release;
  auto gate = release.get_future().share();
  std::vector<int> seen;
  std::vector<std::string> lines;
  bus.AddListener([&](const ListenerEvent& e, const std::string& line) {
    int id = std::get<listener::UnpersistRdd>(e).rdd_id;
    if (id == 0) {
      entered.set_value();
      gate.wait();
    }
    seen.push_back(id);
    lines.push_back(line);
  });
  bus.Post(listener::UnpersistRdd{0});
  entered.get_future().wait();  // the dispatch thread holds event 0: the queue is empty
  for (int id = 1; id <= 3; ++id) bus.Post(listener::UnpersistRdd{id});  // 3 is one too many
  release.set_value();
  bus.WaitUntilEmpty();
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(bus.dropped(), 1);
  EXPECT_EQ(lines[1], R"({"Event":"SparkListenerUnpersistRDD","RDD ID":1})");
  bus.Stop();
  bus.Post(listener::UnpersistRdd{4});  // ignored once stopped
  EXPECT_EQ(seen.size(), 3u);
}

TEST(ListenerBus, StopDeliversWhatWasPosted) {
  std::vector<int> seen;
  {
    ListenerBus bus;
    bus.AddListener([&](const ListenerEvent& e, const std::string&) {
      seen.push_back(std::get<listener::UnpersistRdd>(e).rdd_id);
    });
    for (int id = 0; id < 100; ++id) bus.Post(listener::UnpersistRdd{id});
  }  // destroyed: stopped
  ASSERT_EQ(seen.size(), 100u);
  EXPECT_EQ(seen.back(), 99);
}

TEST(EventJson, TaskEndCarriesTaskInfoReasonAndMetricsUnderSparksNames) {
  listener::TaskEnd end;
  end.stage_id = 3;
  end.stage_attempt = 1;
  end.shuffle_map = true;
  end.reason = listener::TaskEndKind::kException;
  end.error = "Traceback (most recent call last):\nValueError: bad \xff byte";
  end.info.task_id = 17;
  end.info.index = 2;
  end.info.partition = 5;
  end.info.launch_time = 1000;
  end.info.finish_time = 1500;
  end.info.executor_id = "1";
  end.info.host = "10.0.0.1";
  end.info.failed = true;
  end.metrics.set_executor_run_time_ms(480);
  end.metrics.set_shuffle_bytes_written(208);
  end.metrics.set_shuffle_records_written(3);
  end.metrics.set_input_records_read(10);
  json j = json::parse(ToJson(end));
  EXPECT_EQ(j["Event"], "SparkListenerTaskEnd");
  EXPECT_EQ(j["Stage ID"], 3);
  EXPECT_EQ(j["Stage Attempt ID"], 1);
  EXPECT_EQ(j["Task Type"], "ShuffleMapTask");
  EXPECT_EQ(j["Task End Reason"]["Reason"], "ExceptionFailure");
  EXPECT_EQ(j["Task End Reason"]["Class Name"], "org.apache.spark.api.python.PythonException");
  EXPECT_EQ(j["Task End Reason"]["Description"], "Traceback (most recent call last):\nValueError: bad \xEF\xBF\xBD byte");
  const json& info = j["Task Info"];
  EXPECT_EQ(info["Task ID"], 17);
  EXPECT_EQ(info["Index"], 2);
  EXPECT_EQ(info["Partition ID"], 5);
  EXPECT_EQ(info["Launch Time"], 1000);
  EXPECT_EQ(info["Finish Time"], 1500);
  EXPECT_EQ(info["Executor ID"], "1");
  EXPECT_EQ(info["Locality"], "PROCESS_LOCAL");
  EXPECT_EQ(info["Failed"], true);
  EXPECT_EQ(info["Killed"], false);
  const json& m = j["Task Metrics"];
  EXPECT_EQ(m["Executor Run Time"], 480);
  EXPECT_EQ(m["Shuffle Write Metrics"]["Shuffle Bytes Written"], 208);
  EXPECT_EQ(m["Shuffle Write Metrics"]["Shuffle Records Written"], 3);
  EXPECT_EQ(m["Input Metrics"]["Records Read"], 10);
  EXPECT_EQ(m["Shuffle Read Metrics"]["Total Records Read"], 0);
}

TEST(EventJson, JobStartListsItsStagesWithTheirRdds) {
  listener::StageInfo stage;
  stage.stage_id = 4;
  stage.name = "count at job.py:3";
  stage.num_tasks = 2;
  listener::RddInfo rdd;
  rdd.id = 7;
  rdd.name = "PythonRDD";
  rdd.parent_ids = {6};
  rdd.num_partitions = 2;
  rdd.storage.set_use_memory(true);
  stage.rdds.push_back(rdd);
  listener::JobStart start{1, 1234, {stage}, {{"spark.jobGroup.id", "g"}}};
  json j = json::parse(ToJson(start));
  EXPECT_EQ(j["Event"], "SparkListenerJobStart");
  EXPECT_EQ(j["Job ID"], 1);
  EXPECT_EQ(j["Submission Time"], 1234);
  EXPECT_EQ(j["Stage IDs"], json::array({4}));
  EXPECT_EQ(j["Properties"]["spark.jobGroup.id"], "g");
  const json& s = j["Stage Infos"][0];
  EXPECT_EQ(s["Stage Name"], "count at job.py:3");
  EXPECT_EQ(s["Number of Tasks"], 2);
  EXPECT_FALSE(s.contains("Submission Time"));  // not submitted yet
  EXPECT_FALSE(s.contains("Failure Reason"));
  EXPECT_EQ(s["RDD Info"][0]["RDD ID"], 7);
  EXPECT_EQ(s["RDD Info"][0]["Parent IDs"], json::array({6}));
  EXPECT_EQ(s["RDD Info"][0]["Storage Level"]["Use Memory"], true);
  EXPECT_EQ(s["RDD Info"][0]["Storage Level"]["Replication"], 1);
}

TEST(EventJson, JobEndAndApplicationEvents) {
  json failed = json::parse(ToJson(listener::JobEnd{2, 99, false, "Task 0 in stage 1 failed"}));
  EXPECT_EQ(failed["Job Result"]["Result"], "JobFailed");
  EXPECT_EQ(failed["Job Result"]["Exception"]["Message"], "Task 0 in stage 1 failed");
  json ok = json::parse(ToJson(listener::JobEnd{3, 99, true, ""}));
  EXPECT_EQ(ok["Job Result"], json({{"Result", "JobSucceeded"}}));
  json start = json::parse(ToJson(listener::ApplicationStart{"wc", "local-1", "ann", 5}));
  EXPECT_EQ(start, json({{"Event", "SparkListenerApplicationStart"}, {"App Name", "wc"},
                         {"App ID", "local-1"}, {"Timestamp", 5}, {"User", "ann"}}));
  EXPECT_EQ(json::parse(ToJson(listener::LogStart{}))["Spark Version"], kEventLogSparkVersion);
  json exec = json::parse(ToJson(listener::ExecutorAdded{7, "1", "h", 4}));
  EXPECT_EQ(exec["Executor Info"]["Total Cores"], 4);
  EXPECT_EQ(exec["Executor Info"]["Host"], "h");
}

}  // namespace
}  // namespace ember::scheduler
