// Clock: the scheduler's notion of time, a seam for tests.
//
// Contract: Now() is monotonic seconds from an arbitrary origin.
// SystemClock reads steady_clock; ManualClock only moves when a test
// advances it, so delay scheduling and speculation are tested without
// sleeping. Thread-safe.
#pragma once

#include "ember/common/time_util.h"

#include <atomic>

namespace ember::scheduler {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual double Now() const = 0;
};

class SystemClock : public Clock {
 public:
  double Now() const override { return SteadySeconds(); }
};

class ManualClock : public Clock {
 public:
  double Now() const override { return now_.load(); }
  void Advance(double seconds) { now_.store(now_.load() + seconds); }

 private:
  std::atomic<double> now_{1000.0};
};

}  // namespace ember::scheduler
