// What a job is to the scheduler: the spec a caller submits, and how it
// ended.
//
// Contract: plain data. `partitions` are partitions of `final_node`;
// `results` of a JobOutput are indexed like them. A failed job carries its
// Status and, when a task failed, the stage, partition and attempt count.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ember/common/status.h"
#include "ember.pb.h"

namespace ember::scheduler {

struct JobSpec {
  int final_node = 0;
  std::vector<int> partitions;
  std::map<std::string, std::string> properties;
  // Sets the sink of each result-stage task (default: results to driver).
  std::function<void(proto::TaskDescription*)> configure_sink;
};

struct JobFailure {
  Status status;        // ok() when the job succeeded
  int stage = -1;       // where it failed, when a task failed
  int partition = -1;
  int attempts = 0;
  int task_error_code = 0;  // StatusCode of the last task failure
};

struct JobOutput {
  JobFailure failure;
  std::vector<std::vector<proto::Frame>> results;  // indexed like spec.partitions
};

// The value of a job property, "" when unset.
inline std::string Property(const JobSpec& spec, const std::string& key) {
  auto it = spec.properties.find(key);
  return it == spec.properties.end() ? "" : it->second;
}

}  // namespace ember::scheduler
