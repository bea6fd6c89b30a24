// The driver's barrier coordinator: when syncs complete, what their callers
// get, and that every caller is answered once (failed attempts, timeouts,
// misuse).
#include <gtest/gtest.h>

#include <map>

#include "ember/scheduler/barrier_coordinator.h"

namespace ember::scheduler {
namespace {

struct Calls {
  std::map<int64_t, proto::BarrierReply> replies;  // by request id
  BarrierCoordinator::Reply For(int64_t id) {
    return [this, id](proto::BarrierReply r) {
      EXPECT_EQ(r.request_id(), id);
      EXPECT_TRUE(replies.emplace(id, std::move(r)).second) << "answered twice: " << id;
    };
  }
};

proto::BarrierRequest Req(int64_t id, int partition, int call, std::string kind = "allGather",
                          std::string message = "", int num_tasks = 3, int attempt = 0) {
  proto::BarrierRequest r;
  r.set_request_id(id);
  r.set_stage_id(7);
  r.set_stage_attempt(attempt);
  r.set_partition(partition);
  r.set_num_tasks(num_tasks);
  r.set_call(call);
  r.set_kind(std::move(kind));
  r.set_message(std::move(message));
  return r;
}

TEST(BarrierCoordinator, CompletesWhenEveryTaskCameAndOrdersByPartition) {
  BarrierCoordinator c(60);
  Calls calls;
  c.Request(Req(1, 2, 0, "allGather", "two"), 0, calls.For(1));
  c.Request(Req(2, 0, 0, "allGather", "zero"), 0, calls.For(2));
  EXPECT_TRUE(calls.replies.empty());
  c.Request(Req(3, 1, 0, "allGather", "one"), 0, calls.For(3));
  ASSERT_EQ(calls.replies.size(), 3u);
  for (auto& [id, r] : calls.replies) {
    EXPECT_EQ(r.error(), "");
    EXPECT_EQ(std::vector<std::string>(r.messages().begin(), r.messages().end()),
              (std::vector<std::string>{"zero", "one", "two"}));
  }
  EXPECT_TRUE(c.idle());
  // The next sync starts afresh.
  c.Request(Req(4, 0, 1), 0, calls.For(4));
  EXPECT_FALSE(c.idle());
}

TEST(BarrierCoordinator, AttemptsAreSeparate) {
  BarrierCoordinator c(60);
  Calls calls;
  c.Request(Req(1, 0, 0, "barrier", "", 2, /*attempt=*/0), 0, calls.For(1));
  c.Request(Req(2, 1, 0, "barrier", "", 2, /*attempt=*/1), 0, calls.For(2));
  EXPECT_TRUE(calls.replies.empty());
}

TEST(BarrierCoordinator, EndedAttemptReleasesItsWaitersWithTheReason) {
  BarrierCoordinator c(60);
  Calls calls;
  c.Request(Req(1, 0, 0), 0, calls.For(1));
  c.Request(Req(2, 1, 0), 0, calls.For(2));
  c.AttemptsEnded([](int, int) { return true; }, [](int, int) { return "unused"; });
  EXPECT_TRUE(calls.replies.empty());
  c.AttemptsEnded([](int stage, int attempt) { return !(stage == 7 && attempt == 0); },
                  [](int, int) { return std::string("task 2 failed"); });
  ASSERT_EQ(calls.replies.size(), 2u);
  for (auto& [id, r] : calls.replies) EXPECT_EQ(r.error(), "task 2 failed");
  EXPECT_TRUE(c.idle());
}

TEST(BarrierCoordinator, TimeoutFailsTheIncompleteSync) {
  BarrierCoordinator c(10);
  Calls calls;
  c.Request(Req(1, 0, 0), 100, calls.For(1));
  c.CheckTimeouts(109.9);
  EXPECT_TRUE(calls.replies.empty());
  c.CheckTimeouts(110);
  ASSERT_EQ(calls.replies.size(), 1u);
  EXPECT_NE(calls.replies[1].error().find("didn't get all barrier sync requests for barrier epoch 0"),
            std::string::npos);
}

TEST(BarrierCoordinator, DifferentKindsFailEveryCaller) {
  BarrierCoordinator c(60);
  Calls calls;
  c.Request(Req(1, 0, 0, "barrier"), 0, calls.For(1));
  c.Request(Req(2, 1, 0, "allGather"), 0, calls.For(2));
  ASSERT_EQ(calls.replies.size(), 2u);
  for (auto& [id, r] : calls.replies)
    EXPECT_NE(r.error().find("Different barrier sync types found"), std::string::npos);
  EXPECT_TRUE(c.idle());
}

TEST(BarrierCoordinator, OutOfStepOrRepeatedCallsFail) {
  BarrierCoordinator c(60);
  Calls calls;
  c.Request(Req(1, 0, 0), 0, calls.For(1));
  c.Request(Req(2, 1, 1), 0, calls.For(2));  // a sync ahead of the others
  ASSERT_EQ(calls.replies.size(), 2u);
  EXPECT_NE(calls.replies[2].error().find("out of step"), std::string::npos);
  c.Request(Req(3, 0, 0), 0, calls.For(3));
  c.Request(Req(4, 0, 0), 0, calls.For(4));  // the same partition twice
  EXPECT_NE(calls.replies[4].error().find("twice"), std::string::npos);
  EXPECT_EQ(calls.replies.size(), 4u);
}

}  // namespace
}  // namespace ember::scheduler
