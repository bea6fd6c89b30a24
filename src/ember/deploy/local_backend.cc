#include "ember/deploy/local_backend.h"

namespace ember::deploy {

void LocalBackend::Attach(scheduler::PostEvent post) {
  post_ = std::move(post);
  executor_->SetBarrierSync([post = post_](proto::BarrierRequest request, auto reply) {
    post(scheduler::event::BarrierSync{std::move(request), std::move(reply)});
  });
  post_(scheduler::event::ExecutorAdded{{"driver", "localhost", executor_->slots(), "localhost:0"}});
}

void LocalBackend::LaunchTask(const std::string& executor_id, proto::TaskDescription task) {
  if (!executor_) return;  // stopped: the context is going away with its jobs
  // Tasks and results are moved, not copied: a large parallelize() or
  // collect() must not exist twice.
  executor_->Launch(std::move(task), [post = post_, executor_id](proto::TaskResult r) {
    post(scheduler::event::TaskFinished{executor_id, std::move(r)});
  });
}

}  // namespace ember::deploy
