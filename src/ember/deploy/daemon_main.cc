#include "ember/deploy/daemon_main.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include "ember/deploy/daemon_conf.h"
#include "ember/deploy/master.h"
#include "ember/deploy/master_url.h"
#include "ember/deploy/tls_settings.h"
#include "ember/deploy/worker.h"

namespace ember::deploy {

namespace {

std::string Env(const char* name, const std::string& def) {
  const char* v = std::getenv(name);
  return v && *v ? v : def;
}

// Blocks the stop signals in every thread started after it, so that
// WaitForStopSignal receives them; writes to closed pipes and sockets
// become errors instead of killing the daemon.
sigset_t BlockStopSignals() {
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

void WaitForStopSignal(const sigset_t& set) {
  int sig = 0;
  sigwait(&set, &sig);
  spdlog::info("received signal {}; stopping", sig);
}

int Fail(int code, const std::string& what, const Status& st) {
  std::cerr << "ember " << what << ": " << st.message() << "\n";
  return code;
}

Result<int> PortSetting(int given, const char* env, int def) {
  if (given >= 0) return given;
  std::string v = Env(env, std::to_string(def));
  char* end = nullptr;
  long port = std::strtol(v.c_str(), &end, 10);
  if (*end || port < 0 || port > 65535) return InvalidArgument("invalid port '" + v + "' in " + env);
  return static_cast<int>(port);
}

std::string SelfExecutable() {
  char exe[4096];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  return n > 0 ? std::string(exe, static_cast<size_t>(n)) : "";
}

}  // namespace

int RunMasterDaemon(const MasterArgs& args) {
  sigset_t stop = BlockStopSignals();
  auto conf = LoadDaemonConf(args.properties_file, "SPARK_MASTER_OPTS");
  if (!conf.ok()) return Fail(2, "master", conf.status());
  MasterOptions o;
  o.host = args.host.empty() ? Env("SPARK_MASTER_HOST", "127.0.0.1") : args.host;
  auto port = PortSetting(args.port, "SPARK_MASTER_PORT", 7077);
  auto webui = PortSetting(args.webui_port, "SPARK_MASTER_WEBUI_PORT", 8080);
  auto timeout = GetSeconds(*conf, "spark.worker.timeout");
  auto spread = GetBool(*conf, "spark.deploy.spreadOut");
  auto authenticate = GetBool(*conf, "spark.authenticate");
  for (const Status& st : {port.status(), webui.status(), timeout.status(), spread.status(), authenticate.status()})
    if (!st.ok()) return Fail(2, "master", st);
  auto secret = DaemonSecret(*conf, o.host, "master");
  if (!secret.ok()) return Fail(1, "master", secret.status());
  o.port = static_cast<uint16_t>(*port);
  o.webui_port = static_cast<uint16_t>(*webui);
  auto tls = TlsFromConf(*conf);
  if (!tls.ok()) return Fail(2, "master", tls.status());
  o.credentials = {*secret, *tls};
  o.authenticated = *authenticate;
  o.worker_timeout_s = *timeout;
  o.spread_out = *spread;
  auto master = Master::Start(o);
  if (!master.ok()) return Fail(1, "master", master.status());
  spdlog::info("ember master at {} (web UI http://{}:{}, {})", (*master)->url(), o.host, (*master)->webui_port(),
               o.authenticated ? "authenticated" : "no authentication: loopback only");
  WaitForStopSignal(stop);
  (*master)->Stop();
  return 0;
}

int RunWorkerDaemon(const WorkerArgs& args) {
  sigset_t stop = BlockStopSignals();
  auto conf = LoadDaemonConf(args.properties_file, "SPARK_WORKER_OPTS");
  if (!conf.ok()) return Fail(2, "worker", conf.status());
  auto spec = ParseMasterUrl(args.master_url);
  if (!spec.ok() || !spec->standalone)
    return Fail(2, "worker", InvalidArgument("expected the master as ember://host:port, got '" +
                                             args.master_url + "'"));
  WorkerOptions o;
  o.master_host = spec->master_host;
  o.master_port = static_cast<uint16_t>(spec->master_port);
  o.host = args.host.empty() ? Env("SPARK_LOCAL_IP", "127.0.0.1") : args.host;
  o.cores = args.cores > 0 ? args.cores : std::atoi(Env("SPARK_WORKER_CORES", "0").c_str());
  if (o.cores <= 0) o.cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Spark's default: the machine's memory less 1 GiB, at least 1 GiB.
  int64_t total = static_cast<int64_t>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGESIZE);
  std::string memory = args.memory.empty() ? Env("SPARK_WORKER_MEMORY", "") : args.memory;
  auto bytes = memory.empty() ? Result<int64_t>(std::max<int64_t>(total - (1LL << 30), 1LL << 30))
                              : ParseBytes("--memory", memory);
  if (!bytes.ok()) return Fail(2, "worker", bytes.status());
  o.memory_mb = static_cast<int>(*bytes >> 20);
  o.work_dir = args.work_dir.empty() ? Env("SPARK_WORKER_DIR", "") : args.work_dir;
  bool own_dir = o.work_dir.empty();
  if (own_dir) o.work_dir = Env("TMPDIR", "/tmp") + "/ember-worker-" + std::to_string(::getpid());
  o.executable = SelfExecutable();
  auto timeout = GetSeconds(*conf, "spark.worker.timeout");
  if (!timeout.ok()) return Fail(2, "worker", timeout.status());
  o.timeout_s = *timeout;
  auto secret = DaemonSecret(*conf, o.host, "worker");
  if (!secret.ok()) return Fail(1, "worker", secret.status());
  auto tls = TlsFromConf(*conf);
  if (!tls.ok()) return Fail(2, "worker", tls.status());
  o.credentials = {*secret, *tls};
  o.conf = *conf;
  auto worker = Worker::Start(o);
  if (!worker.ok()) return Fail(1, "worker", worker.status());
  spdlog::info("ember worker {} for {} ({} cores, {} MiB, work dir {})", (*worker)->id(), args.master_url,
               o.cores, o.memory_mb, o.work_dir);
  WaitForStopSignal(stop);
  (*worker)->Stop();
  if (own_dir) ::rmdir(o.work_dir.c_str());  // empty now
  return 0;
}

}  // namespace ember::deploy
