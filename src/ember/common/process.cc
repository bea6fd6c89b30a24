#include "ember/common/process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "ember/common/frame.h"

extern char** environ;

namespace ember {

Result<ChildProcess> SpawnChild(const std::vector<std::string>& argv,
                                const std::vector<std::string>& env, bool pipe_stdout,
                                std::string_view stdin_data) {
  if (stdin_data.size() > 4096) return InvalidArgument("stdin data for " + argv[0] + " exceeds 4 KiB");
  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1};
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return IOError(std::string("pipe: ") + std::strerror(errno));
  if (Status st = WriteAll(in_pipe[1], stdin_data); !st.ok()) {  // fits the empty pipe: no wait
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return st;
  }
  if (pipe_stdout && ::pipe2(out_pipe, O_CLOEXEC) != 0) {
    int err = errno;
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return IOError(std::string("pipe: ") + std::strerror(err));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  if (pipe_stdout) posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  // Asio's sockets are not close-on-exec: without this, executors would
  // hold the driver's listening socket and workers their executor's.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  std::vector<std::string> args = argv, vars = env;
  std::vector<char*> cargv, cenv;
  for (auto& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  for (auto& e : vars) cenv.push_back(e.data());
  cenv.push_back(nullptr);
  ChildProcess child;
  int rc = posix_spawn(&child.pid, cargv[0], &actions, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  if (pipe_stdout) ::close(out_pipe[1]);
  child.stdin_fd = in_pipe[1];
  child.stdout_fd = out_pipe[0];
  if (rc != 0) {
    ::close(child.stdin_fd);
    if (pipe_stdout) ::close(child.stdout_fd);
    return IOError("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  return child;
}

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return "killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")";
  }
  return "ended with status " + std::to_string(status);
}

std::vector<std::string> ChildEnvironment() {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e)
    if (std::string_view(*e).rfind("EMBER_CONF=", 0) != 0) env.emplace_back(*e);
  return env;
}

}  // namespace ember
