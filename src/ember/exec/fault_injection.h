// FaultInjector: deterministic failures for tests (DESIGN.md §4), switched
// on only by `ember.test.*` settings.
//
// Contract: each setting is a comma-separated list of colon-separated
// fields, `*` matching anything:
//   ember.test.signalWorker    = stage:partition:attempt:signal
//       once the task's Python worker has produced its first frame, send it
//       `signal` (9 kills it mid-task, 11 as a segfault, 19 stops it: a hung task)
//   ember.test.slowTask        = stage:partition:attempt:millis
//       the task waits that long before it starts (a straggler; a cancel
//       ends the wait)
//   ember.test.deleteMapOutput = shuffle:map:attempt
//   ember.test.corruptMapOutput = shuffle:map:attempt
//       after that map task wrote its output, delete its data file / flip
//       bytes in the middle of it (the task still reports success)
// Without any such setting every query is a check of an empty list.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ember/common/status.h"

namespace ember::exec {

class FaultInjector {
 public:
  static Result<FaultInjector> FromConf(const std::map<std::string, std::string>& conf);

  int WorkerSignal(int stage, int partition, int attempt) const;
  int SlowTaskMillis(int stage, int partition, int attempt) const;
  bool DeleteMapOutput(int shuffle, int map, int attempt) const;
  bool CorruptMapOutput(int shuffle, int map, int attempt) const;

 private:
  struct Rule {
    std::vector<int> key;  // -1 matches anything
    int value = 0;
  };
  static int Find(const std::vector<Rule>& rules, std::vector<int> key);

  std::vector<Rule> signal_worker_, slow_task_, delete_output_, corrupt_output_;
};

}  // namespace ember::exec
