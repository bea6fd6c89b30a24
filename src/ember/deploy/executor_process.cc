#include "ember/deploy/executor_process.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "ember/deploy/executor_bootstrap.h"
#include "ember/deploy/executor_conf.h"
#include "ember/exec/block_service.h"
#include "ember/exec/file_cache.h"
#include "ember/exec/task_inputs.h"
#include "ember/net/client.h"

namespace ember::deploy {

namespace {

// Exits the process as soon as stdin reaches its end: the driver that
// holds the other end of the pipe is gone. The Python daemon watches its
// own stdin the same way, so the workers follow.
void ExitWhenStdinCloses() {
  std::thread([] {
    char buf[256];
    while (::read(0, buf, sizeof buf) > 0) {
    }
    ::_exit(0);
  }).detach();
}

class Heartbeats {
 public:
  Heartbeats(std::shared_ptr<net::Connection> conn, double interval_s)
      : thread_([this, conn, interval_s] {
          proto::RpcMessage beat;
          beat.mutable_heartbeat();
          std::unique_lock<std::mutex> lock(mu_);
          while (!cv_.wait_for(lock, std::chrono::duration<double>(interval_s), [this] { return done_; }))
            if (!conn->Send(beat).ok()) return;
        }) {}
  ~Heartbeats() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;  // last: starts after the members it uses exist
};

// Barrier syncs of this executor's tasks: sent to the driver on the
// executor's connection, answered by request id.
class BarrierReplies {
 public:
  using Reply = std::function<void(proto::BarrierReply)>;
  explicit BarrierReplies(std::shared_ptr<net::Connection> conn) : conn_(std::move(conn)) {}

  void Send(proto::BarrierRequest request, Reply reply) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      request.set_request_id(next_id_);
      waiting_[next_id_++] = std::move(reply);
    }
    proto::RpcMessage msg;
    *msg.mutable_barrier_request() = std::move(request);
    (void)conn_->Send(msg);  // a lost driver ends the process; the task is killed
  }
  void Deliver(proto::BarrierReply reply) {
    Reply answer;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = waiting_.find(reply.request_id());
      if (it == waiting_.end()) return;
      answer = std::move(it->second);
      waiting_.erase(it);
    }
    answer(std::move(reply));
  }

 private:
  std::shared_ptr<net::Connection> conn_;
  std::mutex mu_;
  int64_t next_id_ = 0;
  std::map<int64_t, Reply> waiting_;
};

Status Run(const ExecutorProcessArgs& args, const net::Credentials& credentials) {
  auto colon = args.driver.rfind(':');
  if (colon == std::string::npos) return InvalidArgument("--driver must be host:port, got " + args.driver);
  std::string driver_host = args.driver.substr(0, colon);
  int driver_port = std::atoi(args.driver.c_str() + colon + 1);
  if (driver_port <= 0 || driver_port > 65535) return InvalidArgument("--driver has no valid port: " + args.driver);
  EMBER_ASSIGN_OR_RETURN(auto blocks, exec::BlockService::Start(args.host, credentials, args.work_dir));
  EMBER_ASSIGN_OR_RETURN(auto conn, net::Connect(driver_host, static_cast<uint16_t>(driver_port), credentials,
                                                 std::chrono::seconds(30)));
  proto::RpcMessage msg;
  auto* reg = msg.mutable_register_executor();
  reg->set_executor_id(args.executor_id);
  reg->set_host(args.host);
  reg->set_block_port(blocks->port());
  reg->set_cores(args.cores);
  reg->set_pid(::getpid());
  EMBER_RETURN_IF_ERROR(conn->Send(msg));
  EMBER_ASSIGN_OR_RETURN(bool got, conn->Receive(&msg));
  if (!got || !msg.has_registered()) return IOError("the driver did not accept the registration");
  Conf conf(msg.registered().conf().begin(), msg.registered().conf().end());
  ApplyHadoopConf(conf);
  EMBER_ASSIGN_OR_RETURN(auto options,
                         ExecutorOptionsFromConf(conf, args.executor_id, args.cores,
                                                 static_cast<int64_t>(args.memory_mb) << 20, args.work_dir));
  options.credentials = credentials;  // fetches from other executors authenticate too
  EMBER_ASSIGN_OR_RETURN(auto files, exec::FileCache::Create(args.work_dir + "/fetched",
                                                             {driver_host, static_cast<uint16_t>(
                                                                               msg.registered().file_port()),
                                                              credentials}));
  exec::FileCache* cache = files.get();
  options.prepare_task = [cache](proto::TaskDescription* t) { return exec::LocalizeTaskInputs(*cache, t); };
  EMBER_ASSIGN_OR_RETURN(double interval, GetSeconds(conf, "spark.executor.heartbeatInterval"));
  EMBER_ASSIGN_OR_RETURN(auto executor, exec::Executor::Start(std::move(options)));
  blocks->ServeCachedBlocks(executor->block_store());
  BarrierReplies barriers(conn);
  executor->SetBarrierSync([&barriers](proto::BarrierRequest request, auto reply) {
    barriers.Send(std::move(request), std::move(reply));
  });
  Heartbeats heartbeats(conn, interval);
  for (;;) {
    auto more = conn->Receive(&msg);
    if (!more.ok() || !*more) break;  // the driver stopped us, or is gone
    if (msg.has_launch_task()) {
      executor->Launch(std::move(*msg.mutable_launch_task()), [conn](proto::TaskResult r) {
        proto::RpcMessage out;
        *out.mutable_task_result() = std::move(r);
        (void)conn->Send(out);  // a lost driver ends the receive loop
      });
    } else if (msg.has_kill_task()) {
      executor->KillTask(msg.kill_task());
    } else if (msg.has_remove_shuffle()) {
      executor->RemoveShuffle(msg.remove_shuffle());
    } else if (msg.has_remove_rdd()) {
      executor->RemoveRdd(msg.remove_rdd());
    } else if (msg.has_remove_broadcast()) {
      cache->Remove(exec::BroadcastName(msg.remove_broadcast()));
    } else if (msg.has_barrier_reply()) {
      barriers.Deliver(std::move(*msg.mutable_barrier_reply()));
    }
  }
  blocks->Stop();    // serves from the executor's block store: stop it first
  executor.reset();  // waits for running tasks (a stop kills them first)
  conn->Close();
  return Status::OK();
}

}  // namespace

int RunExecutorProcess(const ExecutorProcessArgs& args) {
  auto credentials = ReadBootstrap(std::cin);
  if (!credentials.ok()) {
    std::cerr << "ember executor " << args.executor_id << ": " << credentials.status().message() << "\n";
    return 2;
  }
  ExitWhenStdinCloses();
  Status st = Run(args, *credentials);
  if (!st.ok()) {
    std::cerr << "ember executor " << args.executor_id << ": " << st.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace ember::deploy
