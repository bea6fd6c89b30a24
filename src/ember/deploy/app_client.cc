#include "ember/deploy/app_client.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "ember/net/client.h"
#include "ember/net/tcp_stream.h"
#include "ember/net/watchdog.h"

namespace ember::deploy {

class AppClient::Impl {
 public:
  Impl(std::string host, uint16_t port, net::Credentials credentials, proto::RegisterApplication desc,
       AppClientCallbacks callbacks)
      : host_(std::move(host)), port_(port), credentials_(std::move(credentials)), desc_(std::move(desc)),
        callbacks_(std::move(callbacks)) {}
  ~Impl() { Stop(); }

  Status Start() {
    EMBER_ASSIGN_OR_RETURN(auto conn, Register());
    conn_ = conn;
    thread_ = std::thread([this, conn] { Run(conn); });
    return Status::OK();
  }

  void Unregister() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      if (conn_) conn_->Close();
    }
    cv_.notify_all();
  }

  void Stop() {
    Unregister();
    if (thread_.joinable()) thread_.join();
  }

  void ExecutorLost(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    proto::DeployMessage m;
    m.set_executor_lost(id);
    if (conn_) (void)conn_->Send(m);  // lost with the link: the master learns on re-registration
  }

  const std::string& app_id() const { return desc_.app_id(); }

 private:
  std::string MasterText() const { return "ember://" + net::HostPortText(host_, port_); }

  // Connects and registers (again, with the app id, when desc_ has one).
  Result<std::shared_ptr<net::Connection>> Register() {
    auto conn = net::Connect(host_, port_, credentials_, std::chrono::seconds(10));
    if (!conn.ok()) {
      std::string why = conn.status().message();
      if (why.find("authentication failed") != std::string::npos && why.find("spark.ssl") == std::string::npos)
        why += " (a cluster with spark.authenticate needs the application to set spark.authenticate=true "
               "and the cluster's spark.authenticate.secret)";
      return IOError("cannot register with the master " + MasterText() + ": " + why);
    }
    proto::DeployMessage msg;
    *msg.mutable_register_application() = desc_;
    if (!desc_.app_id().empty() && callbacks_.snapshot) {
      std::vector<std::string> live;
      int next = 0;
      callbacks_.snapshot(&live, &next);
      auto* r = msg.mutable_register_application();
      r->clear_live_executors();
      for (auto& id : live) r->add_live_executors(id);
      r->set_next_executor_id(next);
    }
    EMBER_RETURN_IF_ERROR((*conn)->Send(msg));
    auto guard = watchdog_.Watch(*conn, std::chrono::seconds(10));  // a master that never answers
    auto got = (*conn)->Receive(&msg);
    if (!got.ok() || !*got || !msg.has_application_registered())
      return IOError("the master " + MasterText() + " refused the application" +
                     (got.ok() ? std::string() : ": " + got.status().message()));
    if (desc_.app_id().empty()) desc_.set_app_id(msg.application_registered());  // before the thread starts
    return *conn;
  }

  void Run(std::shared_ptr<net::Connection> conn) {
    for (;;) {
      Serve(conn);
      std::unique_lock<std::mutex> lock(mu_);
      conn_.reset();
      if (stopping_) return;
      spdlog::warn("application {} lost the master {}; registering again", desc_.app_id(), MasterText());
      for (;;) {
        if (cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) return;
        lock.unlock();
        auto again = Register();
        lock.lock();
        if (stopping_) {
          if (again.ok()) (*again)->Close();
          return;
        }
        if (again.ok()) {
          conn = conn_ = *again;
          spdlog::info("application {} registered again with {}", desc_.app_id(), MasterText());
          break;
        }
      }
    }
  }

  void Serve(const std::shared_ptr<net::Connection>& conn) {
    proto::DeployMessage msg;
    for (;;) {
      auto more = conn->Receive(&msg);
      if (!more.ok() || !*more) return;
      if (msg.has_executor_added() && callbacks_.executor_added) {
        callbacks_.executor_added(msg.executor_added());
      } else if (msg.has_executor_removed() && callbacks_.executor_removed) {
        callbacks_.executor_removed(msg.executor_removed().executor_id(), msg.executor_removed().message());
      }
    }
  }

  const std::string host_;
  const uint16_t port_;
  const net::Credentials credentials_;
  proto::RegisterApplication desc_;  // app_id set once registered
  const AppClientCallbacks callbacks_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::shared_ptr<net::Connection> conn_;
  net::Watchdog watchdog_;
  std::thread thread_;
};

Result<std::unique_ptr<AppClient>> AppClient::Start(const std::string& master_host, uint16_t master_port,
                                                    net::Credentials credentials, proto::RegisterApplication desc,
                                                    AppClientCallbacks callbacks) {
  auto impl = std::make_unique<AppClient::Impl>(master_host, master_port, std::move(credentials), std::move(desc),
                                                std::move(callbacks));
  EMBER_RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<AppClient>(new AppClient(std::move(impl)));
}

AppClient::AppClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AppClient::~AppClient() = default;
void AppClient::Stop() { impl_->Stop(); }
void AppClient::ExecutorLost(const std::string& id) { impl_->ExecutorLost(id); }
void AppClient::Unregister() { impl_->Unregister(); }
const std::string& AppClient::app_id() const { return impl_->app_id(); }

}  // namespace ember::deploy
