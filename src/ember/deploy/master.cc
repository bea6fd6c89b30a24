#include "ember/deploy/master.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "ember.pb.h"
#include "ember/common/time_util.h"
#include "ember/deploy/executor_placement.h"
#include "ember/net/http_server.h"
#include "ember/net/server.h"
#include "ember/net/tcp_stream.h"

namespace ember::deploy {

namespace {

int IdNumber(const std::string& id) {
  try {
    return std::stoi(id);
  } catch (...) {
    return -1;
  }
}

using ExecKey = std::pair<std::string, std::string>;  // app id, executor id

}  // namespace

class Master::Impl {
 public:
  explicit Impl(MasterOptions options) : o_(std::move(options)) {}
  ~Impl() { Stop(); }

  Status Start() {
    net::ServerOptions so;
    server_ = std::make_unique<net::Server>(so);
    EMBER_RETURN_IF_ERROR(server_->Start(o_.host, o_.port, o_.credentials, [this](auto c) { Serve(std::move(c)); }));
    EMBER_RETURN_IF_ERROR(http_.Start(o_.host, o_.webui_port, [this](const std::string& path) {
      if (path == "/json" || path == "/json/") return net::HttpResponse{200, "application/json", StatusJson()};
      if (path == "/") return net::HttpResponse{200, "text/plain", "ember master " + url() + "; state: /json\n"};
      return net::HttpResponse{404, "text/plain", "not found\n"};
    }));
    monitor_ = std::thread([this] { Monitor(); });
    return Status::OK();
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      stopping_ = true;
    }
    cv_.notify_all();
    if (monitor_.joinable()) monitor_.join();
    http_.Stop();
    if (server_) server_->Stop();
  }

  uint16_t port() const { return server_->port(); }
  uint16_t webui_port() const { return http_.port(); }
  std::string url() const { return "ember://" + net::HostPortText(o_.host, port()); }
  std::string StatusJson() const;

 private:
  struct WorkerInfo {
    std::string id, host;
    int cores = 0, memory_mb = 0;
    std::shared_ptr<net::Connection> conn;
    double last_heartbeat = 0;
    int64_t last_heartbeat_ms = 0;
    bool alive = false;
  };
  struct ExecInfo {
    std::string worker_id;
    int cores = 0, memory_mb = 0;
    double orphan_since = 0;  // > 0: its application has not (re-)registered yet
  };
  struct AppInfo {
    proto::RegisterApplication desc;
    std::shared_ptr<net::Connection> conn;
    int next_executor_id = 0;
    int64_t start_ms = 0, end_ms = 0;
    std::string state = "RUNNING";
  };

  void Serve(std::shared_ptr<net::Connection> conn);
  void ServeWorker(const std::shared_ptr<net::Connection>& conn, const proto::RegisterWorker& r);
  void ServeApp(const std::shared_ptr<net::Connection>& conn, proto::RegisterApplication r);
  void RegisterWorkerLocked(const std::shared_ptr<net::Connection>& conn, const proto::RegisterWorker& r);
  void OnExecutorExited(const proto::ExecutorExited& e);
  void OnExecutorLost(const std::string& app_id, const std::string& exec_id);
  void LoseWorkerLocked(const std::string& id, const std::string& reason);
  void FinishAppLocked(const std::string& id);  // its driver is gone: kill its executors
  void KillLocked(const ExecKey& key);
  void TellRemovedLocked(const ExecKey& key, const std::string& why);  // to its application
  void ScheduleLocked();
  void Monitor();
  void Send(const std::shared_ptr<net::Connection>& conn, const proto::DeployMessage& m);
  int UsedCores(const std::string& worker_id, int* memory_mb) const;

  const MasterOptions o_;
  std::unique_ptr<net::Server> server_;
  net::HttpServer http_;
  std::thread monitor_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  int next_app_ = 0;
  std::map<std::string, WorkerInfo> workers_;  // dead ones too, for /json
  std::map<std::string, AppInfo> apps_;        // running applications
  std::vector<AppInfo> completed_;
  std::map<ExecKey, ExecInfo> executors_;      // running on live workers
};

// Sends under mu_: deploy messages are a few bytes, so a peer that stopped
// reading is declared lost by its heartbeat long before its socket buffer
// could fill. A failed send is noticed by that peer's session thread.
void Master::Impl::Send(const std::shared_ptr<net::Connection>& conn, const proto::DeployMessage& m) {
  if (conn) (void)conn->Send(m);
}

void Master::Impl::Serve(std::shared_ptr<net::Connection> conn) {
  proto::DeployMessage msg;
  auto got = conn->Receive(&msg);
  if (got.ok() && *got && msg.has_register_worker()) return ServeWorker(conn, msg.register_worker());
  if (got.ok() && *got && msg.has_register_application())
    return ServeApp(conn, std::move(*msg.mutable_register_application()));
  spdlog::warn("connection from {} registered neither a worker nor an application; closed", conn->peer());
  conn->Close();
}

void Master::Impl::ServeWorker(const std::shared_ptr<net::Connection>& conn, const proto::RegisterWorker& r) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    RegisterWorkerLocked(conn, r);
  }
  std::string why = "its connection closed";
  proto::DeployMessage msg, ack;
  ack.mutable_heartbeat_ack();
  for (;;) {
    auto more = conn->Receive(&msg);
    if (!more.ok()) why = "its connection failed: " + more.status().message();
    if (!more.ok() || !*more) break;
    if (msg.has_heartbeat()) {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = workers_.find(r.worker_id());
      if (it == workers_.end() || it->second.conn != conn) break;
      it->second.last_heartbeat = SteadySeconds();
      it->second.last_heartbeat_ms = EpochMillis();
      Send(conn, ack);
    } else if (msg.has_executor_exited()) {
      OnExecutorExited(msg.executor_exited());
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = workers_.find(r.worker_id());
  if (it != workers_.end() && it->second.conn == conn) LoseWorkerLocked(r.worker_id(), why);
}

void Master::Impl::RegisterWorkerLocked(const std::shared_ptr<net::Connection>& conn,
                                        const proto::RegisterWorker& r) {
  WorkerInfo& w = workers_[r.worker_id()];
  bool again = w.conn != nullptr;
  if (w.conn) w.conn->Close();  // an older link of the same worker
  w = WorkerInfo{r.worker_id(), r.host(), r.cores(), r.memory_mb(), conn, SteadySeconds(), EpochMillis(), true};
  proto::DeployMessage reply;  // first: the worker reads nothing else before it
  reply.set_worker_registered(url());
  Send(conn, reply);
  std::set<ExecKey> reported;
  for (const auto& s : r.executors()) {
    ExecKey key{s.app_id(), s.executor_id()};
    reported.insert(key);
    auto app = apps_.find(s.app_id());
    bool known = executors_.count(key) > 0;
    bool claimed = app != apps_.end() && std::find(app->second.desc.live_executors().begin(),
                                                    app->second.desc.live_executors().end(),
                                                    s.executor_id()) != app->second.desc.live_executors().end();
    if (app != apps_.end() && !known && !claimed) {
      // Removed while the worker was away (its link was down): stale.
      proto::DeployMessage kill;
      *kill.mutable_kill_executor() = s;
      Send(conn, kill);
      continue;
    }
    ExecInfo& e = executors_[key];
    e = ExecInfo{r.worker_id(), s.cores(), s.memory_mb(), app == apps_.end() ? SteadySeconds() : 0};
  }
  // Executors placed on this worker that it no longer runs: gone with it.
  for (auto it = executors_.begin(); it != executors_.end();) {
    if (it->second.worker_id != r.worker_id() || reported.count(it->first)) {
      ++it;
      continue;
    }
    TellRemovedLocked(it->first, "its worker " + r.worker_id() + " no longer runs it");
    it = executors_.erase(it);
  }
  spdlog::info("worker {} {}registered from {} ({} cores, {} MiB, {} executors running)", r.worker_id(),
               again ? "re-" : "", conn->peer(), r.cores(), r.memory_mb(), r.executors_size());
  ScheduleLocked();
}

void Master::Impl::ServeApp(const std::shared_ptr<net::Connection>& conn, proto::RegisterApplication r) {
  std::string id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!o_.authenticated && r.secret().empty()) {
      spdlog::warn("refused application '{}' from {}: no executor secret on a cluster without authentication",
                   r.name(), conn->peer());
      conn->Close();
      return;
    }
    if (o_.authenticated) r.clear_secret();  // executors prove the cluster's secret
    id = r.app_id();
    if (id.empty()) {
      char seq[8];
      std::snprintf(seq, sizeof seq, "%04d", next_app_++);
      id = "app-" + UtcTimestamp() + "-" + seq;
      r.set_app_id(id);
    }
    AppInfo& app = apps_[id];
    if (app.conn) app.conn->Close();
    app.desc = r;
    app.conn = conn;
    app.next_executor_id = std::max(app.next_executor_id, r.next_executor_id());
    if (app.start_ms == 0) app.start_ms = EpochMillis();
    // Executors reported by workers before it came back: kept if it still uses them.
    std::set<std::string> live(r.live_executors().begin(), r.live_executors().end());
    std::vector<ExecKey> unused;
    for (auto& [key, e] : executors_) {
      if (key.first != id || e.orphan_since == 0) continue;
      e.orphan_since = 0;
      if (!live.count(key.second)) unused.push_back(key);
      app.next_executor_id = std::max(app.next_executor_id, IdNumber(key.second) + 1);
    }
    for (const auto& key : unused) KillLocked(key);
    proto::DeployMessage reply;
    reply.set_application_registered(id);
    Send(conn, reply);
    spdlog::info("application {} ('{}') {}registered from {}", id, r.name(),
                 r.live_executors_size() || r.next_executor_id() ? "re-" : "", conn->peer());
    ScheduleLocked();
  }
  proto::DeployMessage msg;
  for (;;) {
    auto more = conn->Receive(&msg);
    if (!more.ok() || !*more) break;
    if (msg.has_executor_lost()) OnExecutorLost(id, msg.executor_lost());
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = apps_.find(id);
  if (it != apps_.end() && it->second.conn == conn) FinishAppLocked(id);
}

void Master::Impl::OnExecutorExited(const proto::ExecutorExited& x) {
  std::lock_guard<std::mutex> lock(mu_);
  if (executors_.erase({x.app_id(), x.executor_id()}) == 0) return;  // removed already
  auto app = apps_.find(x.app_id());
  if (app == apps_.end()) return;
  proto::DeployMessage m;
  *m.mutable_executor_removed() = x;
  Send(app->second.conn, m);
  spdlog::info("executor {}/{} exited: {}", x.app_id(), x.executor_id(), x.message());
  ScheduleLocked();
}

void Master::Impl::OnExecutorLost(const std::string& app_id, const std::string& exec_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = executors_.find({app_id, exec_id});
  if (it == executors_.end()) return;
  KillLocked(it->first);
  ScheduleLocked();
}

void Master::Impl::TellRemovedLocked(const ExecKey& key, const std::string& why) {
  auto app = apps_.find(key.first);
  if (app == apps_.end()) return;
  proto::DeployMessage m;
  m.mutable_executor_removed()->set_executor_id(key.second);
  m.mutable_executor_removed()->set_message(why);
  Send(app->second.conn, m);
}

void Master::Impl::KillLocked(const ExecKey& key) {
  auto it = executors_.find(key);
  if (it == executors_.end()) return;
  auto w = workers_.find(it->second.worker_id);
  if (w != workers_.end() && w->second.alive) {
    proto::DeployMessage m;
    auto* s = m.mutable_kill_executor();
    s->set_app_id(key.first);
    s->set_executor_id(key.second);
    Send(w->second.conn, m);
  }
  executors_.erase(it);
}

void Master::Impl::LoseWorkerLocked(const std::string& id, const std::string& reason) {
  WorkerInfo& w = workers_[id];
  if (!w.alive) return;
  w.alive = false;
  if (w.conn) w.conn->Close();
  w.conn.reset();
  spdlog::warn("worker {} is lost: {}", id, reason);
  for (auto it = executors_.begin(); it != executors_.end();) {
    if (it->second.worker_id != id) {
      ++it;
      continue;
    }
    TellRemovedLocked(it->first, "worker " + id + " lost: " + reason);
    it = executors_.erase(it);
  }
  ScheduleLocked();
}

void Master::Impl::FinishAppLocked(const std::string& id) {
  auto it = apps_.find(id);
  if (it == apps_.end()) return;
  for (auto e = executors_.begin(); e != executors_.end();) {
    auto key = (e++)->first;
    if (key.first == id) KillLocked(key);
  }
  AppInfo app = std::move(it->second);
  apps_.erase(it);
  if (app.conn) app.conn->Close();
  app.conn.reset();
  app.state = "FINISHED";
  app.end_ms = EpochMillis();
  spdlog::info("application {} finished", id);
  completed_.push_back(std::move(app));
  if (completed_.size() > 200) completed_.erase(completed_.begin());
}

int Master::Impl::UsedCores(const std::string& worker_id, int* memory_mb) const {
  int cores = 0;
  *memory_mb = 0;
  for (const auto& [key, e] : executors_) {
    if (e.worker_id != worker_id) continue;
    cores += e.cores;
    *memory_mb += e.memory_mb;
  }
  return cores;
}

void Master::Impl::ScheduleLocked() {
  for (auto& [id, app] : apps_) {
    int granted = 0;
    for (const auto& [key, e] : executors_) granted += key.first == id ? e.cores : 0;
    int wanted = (app.desc.cores_max() > 0 ? app.desc.cores_max() : INT_MAX / 2) - granted;
    if (wanted <= 0) continue;
    std::vector<WorkerOffer> offers;
    for (const auto& [wid, w] : workers_) {
      if (!w.alive) continue;
      int used_mb = 0;
      int used = UsedCores(wid, &used_mb);
      offers.push_back({wid, w.cores - used, w.memory_mb - used_mb});
    }
    int memory = app.desc.executor_memory_mb();
    for (const auto& p : PlaceExecutors(wanted, app.desc.executor_cores(), memory, o_.spread_out, offers)) {
      const WorkerInfo& w = workers_[p.worker_id];
      std::string exec_id = std::to_string(app.next_executor_id++);
      executors_[{id, exec_id}] = ExecInfo{p.worker_id, p.cores, memory, 0};
      proto::DeployMessage launch;
      auto* l = launch.mutable_launch_executor();
      l->mutable_slot()->set_app_id(id);
      l->mutable_slot()->set_executor_id(exec_id);
      l->mutable_slot()->set_cores(p.cores);
      l->mutable_slot()->set_memory_mb(memory);
      l->set_driver_address(app.desc.driver_address());
      l->set_secret(app.desc.secret());
      Send(w.conn, launch);
      proto::DeployMessage added;
      auto* a = added.mutable_executor_added();
      a->set_executor_id(exec_id);
      a->set_worker_id(p.worker_id);
      a->set_host(w.host);
      a->set_cores(p.cores);
      Send(app.conn, added);
      spdlog::info("launching executor {}/{} on worker {} ({} cores, {} MiB)", id, exec_id, p.worker_id,
                   p.cores, memory);
    }
  }
}

void Master::Impl::Monitor() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    double now = SteadySeconds();
    std::vector<std::string> silent;
    for (auto& [id, w] : workers_)
      if (w.alive && now - w.last_heartbeat > o_.worker_timeout_s) silent.push_back(id);
    for (const auto& id : silent)
      LoseWorkerLocked(id, "no heartbeat for " + std::to_string(static_cast<int>(o_.worker_timeout_s)) +
                               " s (spark.worker.timeout)");
    std::vector<ExecKey> orphans;
    for (auto& [key, e] : executors_)
      if (e.orphan_since > 0 && now - e.orphan_since > o_.worker_timeout_s) orphans.push_back(key);
    for (const auto& key : orphans) {
      spdlog::warn("killing executor {}/{}: its application did not come back", key.first, key.second);
      KillLocked(key);
    }
    cv_.wait_for(lock, std::chrono::milliseconds(250));
  }
  for (auto& [id, app] : apps_)
    if (app.conn) app.conn->Close();
  for (auto& [id, w] : workers_)
    if (w.conn) w.conn->Close();
}

std::string Master::Impl::StatusJson() const {
  using nlohmann::json;
  std::lock_guard<std::mutex> lock(mu_);
  json workers = json::array();
  int cores = 0, cores_used = 0, memory = 0, memory_used = 0, alive = 0;
  for (const auto& [id, w] : workers_) {
    int used_mb = 0;
    int used = UsedCores(id, &used_mb);
    if (w.alive) {
      ++alive;
      cores += w.cores;
      cores_used += used;
      memory += w.memory_mb;
      memory_used += used_mb;
    }
    workers.push_back({{"id", id}, {"host", w.host}, {"port", 0}, {"cores", w.cores}, {"coresused", used},
                       {"coresfree", w.cores - used}, {"memory", w.memory_mb}, {"memoryused", used_mb},
                       {"memoryfree", w.memory_mb - used_mb}, {"state", w.alive ? "ALIVE" : "DEAD"},
                       {"lastheartbeat", w.last_heartbeat_ms}});
  }
  auto app_json = [&](const AppInfo& a) {
    int app_cores = 0;
    json execs = json::array();
    for (const auto& [key, e] : executors_) {
      if (key.first != a.desc.app_id()) continue;
      app_cores += e.cores;
      execs.push_back({{"id", key.second}, {"worker", e.worker_id}, {"cores", e.cores}});
    }
    int64_t end = a.end_ms ? a.end_ms : EpochMillis();
    return json{{"id", a.desc.app_id()}, {"name", a.desc.name()}, {"user", a.desc.user()},
                {"cores", app_cores}, {"memoryperexecutor", a.desc.executor_memory_mb()},
                {"starttime", a.start_ms}, {"duration", end - a.start_ms}, {"state", a.state},
                {"executors", execs}};
  };
  json active = json::array(), completed = json::array();
  for (const auto& [id, a] : apps_) active.push_back(app_json(a));
  for (const auto& a : completed_) completed.push_back(app_json(a));
  json out = {{"url", url()}, {"workers", workers}, {"aliveworkers", alive}, {"cores", cores},
              {"coresused", cores_used}, {"memory", memory}, {"memoryused", memory_used},
              {"activeapps", active}, {"completedapps", completed}, {"status", "ALIVE"}};
  return out.dump(2);
}

Result<std::unique_ptr<Master>> Master::Start(MasterOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  EMBER_RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<Master>(new Master(std::move(impl)));
}

Master::Master(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Master::~Master() = default;
void Master::Stop() { impl_->Stop(); }
uint16_t Master::port() const { return impl_->port(); }
uint16_t Master::webui_port() const { return impl_->webui_port(); }
std::string Master::url() const { return impl_->url(); }
std::string Master::StatusJson() const { return impl_->StatusJson(); }

}  // namespace ember::deploy
