#include "ember/deploy/spark_env.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "ember/common/process.h"
#include "ember/deploy/daemon_conf.h"

namespace ember::deploy {

namespace {

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) != 0;) {
    if (n > 0) out.append(buf, static_cast<size_t>(n));
    else if (errno != EINTR) break;
  }
  return out;
}

// "KEY=value\0" entries: each one that differs from this process's goes in.
void Apply(const std::string& env0) {
  for (size_t begin = 0, end; begin < env0.size(); begin = end + 1) {
    end = env0.find('\0', begin);
    if (end == std::string::npos) end = env0.size();
    std::string entry = env0.substr(begin, end - begin);
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    std::string key = entry.substr(0, eq), value = entry.substr(eq + 1);
    const char* old = std::getenv(key.c_str());
    if (!old || value != old) ::setenv(key.c_str(), value.c_str(), 1);
  }
}

}  // namespace

Status LoadSparkEnv() {
  if (std::getenv("SPARK_ENV_LOADED")) return Status::OK();
  std::string path = ConfDirFile("spark-env.sh");
  if (path.empty()) return Status::OK();
  // $1 is the file: the command text is constant, whatever the path holds.
  EMBER_ASSIGN_OR_RETURN(ChildProcess child,
                         SpawnChild({"/bin/sh", "-c", "set -a; . \"$1\" 1>&2 && exec env -0", "sh", path},
                                    ChildEnvironment(), /*pipe_stdout=*/true));
  ::close(child.stdin_fd);
  std::string env0 = ReadAll(child.stdout_fd);
  ::close(child.stdout_fd);
  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return InvalidArgument(path + " failed: " + DescribeWaitStatus(status));
  Apply(env0);
  ::setenv("SPARK_ENV_LOADED", "1", 1);
  return Status::OK();
}

}  // namespace ember::deploy
