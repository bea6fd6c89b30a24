// The `ember` command: `ember submit [--master M] [--name N] [--conf k=v]...
// [--py-files a.py,b.zip] [--properties-file F] script.py [args]`, `ember
// shell` (the same options, plus -c CODE and --no-ipython; see
// python/ember/shell.py), `ember version` (or `ember --version`), `ember
// history [--dir D] [--port P] [--conf k=v]... [--properties-file F]` (the
// history server, python/ember/ui/history.py), and
// `ember executor ...`, the executor process the cluster modes start
// (deploy/executor_process.h; its secret comes on stdin), and the
// standalone cluster's daemons `ember master` and `ember worker URL`
// (deploy/daemon_main.h). submit, shell and history run the Python
// interpreter ($PYTHON or /usr/bin/python3) directly with execv — never
// through a shell — passing the master and settings (properties file, then
// command line) in the EMBER_CONF environment that ember.SparkConf reads.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "ember/common/crypto.h"
#include "ember/common/logging.h"
#include "ember/deploy/daemon_conf.h"
#include "ember/deploy/daemon_main.h"
#include "ember/deploy/executor_process.h"
#include "ember/deploy/spark_env.h"

namespace {

std::string PythonPath() {
  const char* p = std::getenv("PYTHON");
  return p && *p ? p : "/usr/bin/python3";
}

// Makes `import ember` work when run from a build tree: <exe>/../python.
void AddPackageToPythonPath(const char* argv0) {
  char exe[4096];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return;
  exe[n] = '\0';
  std::string dir(exe);
  dir = dir.substr(0, dir.rfind('/'));
  std::string candidate = dir.substr(0, dir.rfind('/')) + "/python";
  if (::access((candidate + "/ember/__init__.py").c_str(), R_OK) != 0) return;
  const char* old = std::getenv("PYTHONPATH");
  std::string value = candidate + (old && *old ? ":" + std::string(old) : "");
  ::setenv("PYTHONPATH", value.c_str(), 1);
}

[[noreturn]] void ExecPython(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  std::cerr << "ember: cannot run " << argv[0] << ": " << std::strerror(errno) << "\n";
  std::exit(127);
}

// EMBER_CONF: the properties file's settings first, then the command
// line's, so that the command line wins (and SparkConf.set in the program
// wins over both), as in Spark.
void ExportSettings(const std::string& properties_file, const std::string& master,
                    const std::string& name, const std::vector<std::string>& confs,
                    const std::string& py_files) {
  auto file = ember::deploy::LoadPropertiesFile(properties_file);
  if (!file.ok()) {
    std::cerr << "ember: " << file.status().message() << "\n";
    std::exit(2);
  }
  std::string lines;
  for (const auto& [key, value] : *file) lines += key + "=" + value + "\n";
  for (const auto& c : confs) {
    if (c.find('=') == std::string::npos) {
      std::cerr << "ember: --conf expects key=value, got '" << c << "'\n";
      std::exit(2);
    }
    lines += c + "\n";
  }
  if (!master.empty()) lines += "spark.master=" + master + "\n";
  if (!name.empty()) lines += "spark.app.name=" + name + "\n";
  if (!py_files.empty()) lines += "spark.submit.pyFiles=" + py_files + "\n";
  ::setenv("EMBER_CONF", lines.c_str(), 1);
}

}  // namespace

int main(int argc, char** argv) {
  ember::InitCrypto();  // before any server starts (crypto.h)
  // Logs to stderr: an executor shares its driver's stdout, which is the
  // user program's. Executors log at WARN until a task brings the driver's
  // level; the daemons at INFO, as Spark's.
  ember::InitLogging("WARN");
  CLI::App app{"ember: Spark's RDD engine in C++ with a PySpark-compatible API"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ember " EMBER_VERSION);
  std::string master, name, py_files, script, shell_code, properties_file;
  bool no_ipython = false;
  std::vector<std::string> confs, script_args;

  auto* submit = app.add_subcommand("submit", "run a Python program");
  submit->add_option("--master", master, "master URL, e.g. local[2]");
  submit->add_option("--name", name, "the application's name (spark.app.name)");
  // One value per --conf, as Spark's: the program's path after it is not another setting.
  submit->add_option("--conf", confs, "a setting key=value (repeatable)")->allow_extra_args(false);
  submit->add_option("--py-files", py_files, "comma-separated .py/.zip/.egg files for workers");
  submit->add_option("--properties-file", properties_file,
                     "settings file (default $SPARK_CONF_DIR/spark-defaults.conf, else $EMBER_CONF_DIR/...)");
  submit->add_option("script", script, "the program")->required();
  submit->add_option("args", script_args, "its arguments");
  submit->prefix_command();

  auto* shell = app.add_subcommand("shell", "interactive Python shell with `sc` ready");
  shell->add_option("--master", master, "master URL");
  shell->add_option("--name", name, "the application's name (spark.app.name)");
  shell->add_option("--conf", confs, "a setting key=value (repeatable)")->allow_extra_args(false);
  shell->add_option("--properties-file", properties_file, "settings file (default spark-defaults.conf)");
  shell->add_option("--py-files", py_files, "comma-separated .py/.zip/.egg files to import");
  shell->add_option("-c", shell_code, "run this code with `sc` defined, then exit with its status");
  shell->add_flag("--no-ipython", no_ipython, "the plain Python prompt even when IPython is installed");

  std::string history_dir, history_port;
  auto* history = app.add_subcommand("history", "Spark's history server over a directory of event logs");
  history->add_option("--dir", history_dir, "event log directory (spark.history.fs.logDirectory)");
  history->add_option("--port", history_port, "port (spark.history.ui.port, default 18080)");
  history->add_option("--conf", confs, "a setting key=value (repeatable)")->allow_extra_args(false);
  history->add_option("--properties-file", properties_file, "settings file (default spark-defaults.conf)");

  app.add_subcommand("version", "print the version");

  ember::deploy::ExecutorProcessArgs ex;
  auto* executor = app.add_subcommand("executor", "an executor process (started by the driver)");
  executor->add_option("--driver", ex.driver, "the driver's host:port")->required();
  executor->add_option("--id", ex.executor_id, "this executor's id")->required();
  executor->add_option("--host", ex.host, "address to serve blocks on");
  executor->add_option("--cores", ex.cores, "task slots");
  executor->add_option("--memory-mb", ex.memory_mb, "memory, MiB");
  executor->add_option("--work-dir", ex.work_dir, "scratch and shuffle directory")->required();
  ember::deploy::MasterArgs ma;
  auto* master_cmd = app.add_subcommand("master", "the standalone cluster's master daemon");
  master_cmd->add_option("--host", ma.host, "address to listen on (SPARK_MASTER_HOST; default 127.0.0.1)");
  master_cmd->add_option("--port,-p", ma.port, "port for workers and drivers (SPARK_MASTER_PORT; default 7077)");
  master_cmd->add_option("--webui-port", ma.webui_port, "port of /json (SPARK_MASTER_WEBUI_PORT; default 8080)");
  master_cmd->add_option("--properties-file", ma.properties_file, "settings (default $SPARK_CONF_DIR/spark-defaults.conf)");

  ember::deploy::WorkerArgs wa;
  auto* worker_cmd = app.add_subcommand("worker", "a standalone cluster's worker daemon");
  worker_cmd->add_option("master", wa.master_url, "the master, ember://host:port (spark:// too)")->required();
  worker_cmd->add_option("--host", wa.host, "address its executors listen on (SPARK_LOCAL_IP; default 127.0.0.1)");
  worker_cmd->add_option("--cores,-c", wa.cores, "cores to offer (SPARK_WORKER_CORES; default all)");
  worker_cmd->add_option("--memory,-m", wa.memory, "memory to offer, e.g. 8g (SPARK_WORKER_MEMORY; default all but 1g)");
  worker_cmd->add_option("--work-dir,-d", wa.work_dir, "executors' directories (SPARK_WORKER_DIR)");
  worker_cmd->add_option("--properties-file", wa.properties_file, "settings (default $SPARK_CONF_DIR/spark-defaults.conf)");
  CLI11_PARSE(app, argc, argv);

  if (app.got_subcommand("executor")) return ember::deploy::RunExecutorProcess(ex);
  if (ember::Status st = ember::deploy::LoadSparkEnv(); !st.ok()) {
    std::cerr << "ember: " << st.message() << "\n";
    return 2;
  }
  if (app.got_subcommand("master") || app.got_subcommand("worker")) (void)ember::SetLogLevel("INFO");
  if (app.got_subcommand("master")) return ember::deploy::RunMasterDaemon(ma);
  if (app.got_subcommand("worker")) return ember::deploy::RunWorkerDaemon(wa);
  AddPackageToPythonPath(argv[0]);
  if (app.got_subcommand("version")) {
    std::cout << "ember " EMBER_VERSION "\n";
    return 0;
  }
  if (app.got_subcommand("history")) {
    ExportSettings(properties_file, "", "", confs, "");
    std::vector<std::string> args = {PythonPath(), "-m", "ember.ui.history"};
    if (!history_dir.empty()) args.insert(args.end(), {"--dir", history_dir});
    if (!history_port.empty()) args.insert(args.end(), {"--port", history_port});
    ExecPython(args);
  }
  if (app.got_subcommand("submit")) {
    ExportSettings(properties_file, master, name, confs, py_files);
    std::vector<std::string> args = {PythonPath(), "-m", "ember.run_script", script};
    args.insert(args.end(), script_args.begin(), script_args.end());
    ExecPython(args);
  }
  ExportSettings(properties_file, master, name, confs, py_files);
  std::vector<std::string> args = {PythonPath(), "-m", "ember.shell"};
  if (no_ipython) args.push_back("--no-ipython");
  if (!shell->get_option("-c")->empty()) args.insert(args.end(), {"-c", shell_code});
  ExecPython(args);
}
