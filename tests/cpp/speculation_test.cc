// Which stragglers get a speculative copy.
#include <gtest/gtest.h>

#include "ember/scheduler/speculation.h"

namespace ember::scheduler {
namespace {

TEST(Speculation, OnlySlowTasksAfterTheQuantileFinished) {
  SpeculationOptions o;
  o.enabled = true;
  // 3 of 4 done in ~1 s: a task running 2 s is a straggler, one at 1.2 s is not
  EXPECT_EQ(TasksToSpeculate(o, 4, {1.0, 0.9, 1.1}, {{3, 2.0}}, {}), std::vector<int>{3});
  EXPECT_TRUE(TasksToSpeculate(o, 4, {1.0, 0.9, 1.1}, {{3, 1.2}}, {}).empty());
  // only 2 of 4 done: too early to judge
  EXPECT_TRUE(TasksToSpeculate(o, 4, {1.0, 0.9}, {{2, 9.0}, {3, 9.0}}, {}).empty());
  // one copy per task, and tiny tasks wait for the minimum runtime
  EXPECT_TRUE(TasksToSpeculate(o, 4, {1.0, 0.9, 1.1}, {{3, 5.0}}, {3}).empty());
  EXPECT_TRUE(TasksToSpeculate(o, 4, {0.001, 0.001, 0.001}, {{3, 0.05}}, {}).empty());
  o.enabled = false;
  EXPECT_TRUE(TasksToSpeculate(o, 4, {1.0, 0.9, 1.1}, {{3, 20.0}}, {}).empty());
}

}  // namespace
}  // namespace ember::scheduler
