#include "ember/deploy/local_backend.h"

namespace ember::deploy {

void LocalBackend::LaunchTask(const proto::TaskDescription& task, Done done) {
  proto::TaskDescription copy;
  copy.ParseFromString(task.SerializeAsString());
  // Results are moved, not copied: a large collect() must not exist twice.
  executor_->Launch(std::move(copy), std::move(done));
}

}  // namespace ember::deploy
