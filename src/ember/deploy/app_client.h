// AppClient: a driver's link to a standalone master (deploy/master.h).
//
// Contract: Start() connects (authenticated, and in TLS when `credentials`
// say so), registers the
// application described by `desc` and returns once the master accepted
// it (app_id() then names it), or fails with an error naming the master
// and what went wrong (unreachable, authentication failed, refused). From
// then on a thread of its own delivers the master's news through the
// callbacks — executor_added, executor_removed (id and why) — and,
// should the link drop (a master restart), reconnects every second and
// registers again with the same id and what `snapshot` reports (live
// executors, next executor id), without the application noticing. Callbacks
// run on that thread and must not call Stop(). ExecutorLost() asks the
// master to kill and replace an executor the driver gave up on.
// Unregister() closes the link for good without waiting (callbacks may
// call it): the master ends the application. Stop()
// closes the link — the master then ends the application and kills its
// executors — and joins the thread; the destructor calls it. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ember.pb.h"
#include "ember/common/status.h"
#include "ember/net/credentials.h"

namespace ember::deploy {

struct AppClientCallbacks {
  std::function<void(const proto::ExecutorAdded&)> executor_added;
  std::function<void(const std::string& executor_id, const std::string& message)> executor_removed;
  std::function<void(std::vector<std::string>* live, int* next_executor_id)> snapshot;
};

class AppClient {
 public:
  static Result<std::unique_ptr<AppClient>> Start(const std::string& master_host, uint16_t master_port,
                                                  net::Credentials credentials, proto::RegisterApplication desc,
                                                  AppClientCallbacks callbacks);
  ~AppClient();
  void Stop();
  void ExecutorLost(const std::string& executor_id);
  void Unregister();
  const std::string& app_id() const;

 private:
  class Impl;
  explicit AppClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ember::deploy
