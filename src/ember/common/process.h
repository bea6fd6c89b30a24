// Starting child processes without a shell.
//
// Contract: SpawnChild runs argv[0] (a path) with exactly `argv` and `env`
// through posix_spawn — no shell, so no argument is ever interpreted —
// with its stdin (and, when asked, its stdout) connected to pipes whose
// other ends the caller gets and owns; everything else is inherited. The
// pipe ends are close-on-exec in the parent, so later children do not
// inherit them. DescribeWaitStatus turns a waitpid status into "exited
// with code 3" / "killed by signal 9 (Killed)".
#pragma once

#include <string>
#include <vector>

#include "ember/common/status.h"

namespace ember {

struct ChildProcess {
  int pid = -1;
  int stdin_fd = -1;   // write end of the child's stdin
  int stdout_fd = -1;  // read end of its stdout, when piped
};

Result<ChildProcess> SpawnChild(const std::vector<std::string>& argv,
                                const std::vector<std::string>& env, bool pipe_stdout);

std::string DescribeWaitStatus(int status);

// The current environment as "KEY=value" strings.
std::vector<std::string> CurrentEnvironment();

}  // namespace ember
