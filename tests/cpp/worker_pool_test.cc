// WorkerPool with the real Python daemon: workers authenticate, are reused,
// and a killed worker is reported with its signal; a wrong secret is refused;
// idle workers are stopped after their timeout and beyond the idle limit.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "ember/common/file_util.h"
#include "ember/exec/worker_pool.h"

namespace ember::exec {
namespace {

WorkerPoolOptions Options(const std::string& dir) {
  WorkerPoolOptions o;
  const char* py = std::getenv("EMBER_PYTHON");
  const char* path = std::getenv("EMBER_PYTHONPATH");
  o.python = py ? py : EMBER_TEST_PYTHON;
  o.pythonpath = path ? path : EMBER_TEST_PYTHONPATH;
  o.work_dir = dir;
  o.secret = RandomHex(16);
  return o;
}

TEST(WorkerPool, ReusesWorkersAndReportsHowOneDied) {
  std::string dir = *MakeTempDir("/tmp", "ember-pool-test-");
  {
    auto pool = WorkerPool::Start(Options(dir));
    ASSERT_TRUE(pool.ok()) << pool.status().ToString();
    auto w = (*pool)->Acquire();
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    EXPECT_GT(w->pid, 0);
    (*pool)->Release(*w);
    auto again = (*pool)->Acquire();
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->pid, w->pid);  // an idle worker is reused

    ::kill(again->pid, SIGKILL);
    EXPECT_EQ((*pool)->DescribeExit(again->pid, 5000), "killed by signal 9 (SIGKILL)");
    ::close(again->fd);

    auto fresh = (*pool)->Acquire();
    ASSERT_TRUE(fresh.ok());
    EXPECT_NE(fresh->pid, again->pid);
    (*pool)->Discard(*fresh);
  }
  EXPECT_FALSE(PathExists(dir));  // the daemon removes its work dir when it stops
}

TEST(WorkerPool, StartsANewDaemonWhenItsDaemonDied) {
  std::string dir = *MakeTempDir("/tmp", "ember-pool-test-");
  {
    auto pool = WorkerPool::Start(Options(dir));
    ASSERT_TRUE(pool.ok()) << pool.status().ToString();
    auto w = (*pool)->Acquire();
    auto busy = (*pool)->Acquire();  // a task's worker when the daemon dies
    ASSERT_TRUE(w.ok() && busy.ok());
    int old_daemon = (*pool)->daemon_pid();
    ::kill(old_daemon, SIGKILL);
    // Its workers die with it (PDEATHSIG) and the pool hears that it is gone.
    EXPECT_EQ((*pool)->DescribeExit(w->pid, 5000), "the worker daemon died");
    ::close(w->fd);
    (*pool)->Release(*busy);  // its task ended: the dead worker is not pooled

    auto fresh = (*pool)->Acquire();
    ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
    EXPECT_NE(fresh->pid, busy->pid);
    EXPECT_NE((*pool)->daemon_pid(), old_daemon);
    ::kill(fresh->pid, SIGKILL);  // the new daemon reports its workers' exits
    EXPECT_EQ((*pool)->DescribeExit(fresh->pid, 5000), "killed by signal 9 (SIGKILL)");
    ::close(fresh->fd);
  }
  EXPECT_FALSE(PathExists(dir));
}

TEST(WorkerPool, DiscardedWorkersLeaveNothingBehind) {
  // A long-lived executor discards a worker for every failed or cancelled
  // task: their exit reports must not pile up.
  std::string dir = *MakeTempDir("/tmp", "ember-pool-test-");
  {
    auto pool = WorkerPool::Start(Options(dir));
    ASSERT_TRUE(pool.ok()) << pool.status().ToString();
    std::vector<int> pids;
    for (int i = 0; i < 20; ++i) {
      auto w = (*pool)->Acquire();
      ASSERT_TRUE(w.ok()) << w.status().ToString();
      pids.push_back(w->pid);
      (*pool)->Discard(*w);
    }
    for (int pid : pids) {  // every one is really gone (reaped by the daemon)
      for (int i = 0; i < 500 && ::kill(pid, 0) == 0; ++i) ::usleep(10000);
      EXPECT_NE(::kill(pid, 0), 0) << pid;
    }
    // their reports arrive after the kill: wait until the pool forgot them all
    for (int i = 0; i < 500 && (*pool)->TrackedExits() > 0; ++i) ::usleep(10000);
    EXPECT_EQ((*pool)->TrackedExits(), 0u);
    auto w = (*pool)->Acquire();  // and the pool still works
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    (*pool)->Release(*w);
  }
  RemoveTree(dir);
}

// Waits (up to 10 s) until the process is gone, reaped by its daemon.
bool Gone(int pid) {
  for (int i = 0; i < 1000 && ::kill(pid, 0) == 0; ++i) ::usleep(10000);
  return ::kill(pid, 0) != 0;
}

TEST(WorkerPool, StopsAWorkerIdleForItsTimeoutButNeverOneInUse) {
  std::string dir = *MakeTempDir("/tmp", "ember-pool-test-");
  {
    auto o = Options(dir);
    o.idle_timeout = std::chrono::milliseconds(200);
    auto pool = WorkerPool::Start(o);
    ASSERT_TRUE(pool.ok()) << pool.status().ToString();
    auto idle = (*pool)->Acquire();
    auto busy = (*pool)->Acquire();
    ASSERT_TRUE(idle.ok() && busy.ok());
    (*pool)->Release(*idle);
    EXPECT_TRUE(Gone(idle->pid)) << idle->pid;
    EXPECT_EQ((*pool)->IdleWorkers(), 0u);
    // the busy one outlived the timeout: a worker in use is never stopped
    EXPECT_EQ(::kill(busy->pid, 0), 0);
    (*pool)->Release(*busy);
    EXPECT_TRUE(Gone(busy->pid)) << busy->pid;
    for (int i = 0; i < 1000 && (*pool)->TrackedExits() > 0; ++i) ::usleep(10000);
    EXPECT_EQ((*pool)->TrackedExits(), 0u);  // a stopped worker's exit is not kept
    auto fresh = (*pool)->Acquire();  // the next task gets a new worker
    ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
    EXPECT_NE(fresh->pid, idle->pid);
    EXPECT_NE(fresh->pid, busy->pid);
    (*pool)->Release(*fresh);
  }
  EXPECT_FALSE(PathExists(dir));
}

TEST(WorkerPool, KeepsAtMostMaxIdleWorkersTheMostRecentlyUsed) {
  std::string dir = *MakeTempDir("/tmp", "ember-pool-test-");
  {
    auto o = Options(dir);
    o.max_idle = 2;
    auto pool = WorkerPool::Start(o);
    ASSERT_TRUE(pool.ok()) << pool.status().ToString();
    std::vector<WorkerConn> workers;
    for (int i = 0; i < 3; ++i) {
      auto w = (*pool)->Acquire();
      ASSERT_TRUE(w.ok()) << w.status().ToString();
      workers.push_back(*w);
    }
    for (const WorkerConn& w : workers) (*pool)->Release(w);
    EXPECT_EQ((*pool)->IdleWorkers(), 2u);
    EXPECT_TRUE(Gone(workers[0].pid));  // released first: least recently used
    EXPECT_EQ(::kill(workers[1].pid, 0), 0);
    EXPECT_EQ(::kill(workers[2].pid, 0), 0);
    auto again = (*pool)->Acquire();
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->pid, workers[2].pid);  // the most recently used first
    (*pool)->Release(*again);
  }
  EXPECT_FALSE(PathExists(dir));
}

TEST(WorkerPool, MissingInterpreterIsAClearError) {
  std::string dir = *MakeTempDir("/tmp", "ember-pool-test-");
  auto o = Options(dir);
  o.python = "/nonexistent/python3";
  auto pool = WorkerPool::Start(o);
  ASSERT_FALSE(pool.ok());
  EXPECT_NE(pool.status().message().find("/nonexistent/python3"), std::string::npos);
  RemoveTree(dir);
}

TEST(WorkerPool, ADaemonThatCannotStartFailsTheFirstAcquire) {
  // Start() does not wait for the daemon; the first Acquire() does, and
  // says the daemon failed to start instead of hanging.
  std::string dir = *MakeTempDir("/tmp", "ember-pool-test-");
  auto o = Options(dir);
  o.python = "/bin/false";  // runs, exits at once, never says READY
  auto pool = WorkerPool::Start(o);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  auto w = (*pool)->Acquire();
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("Python worker daemon failed to start (/bin/false"), std::string::npos)
      << w.status().ToString();
  pool->reset();
  RemoveTree(dir);
}

}  // namespace
}  // namespace ember::exec
