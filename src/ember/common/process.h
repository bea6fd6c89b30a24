// Starting child processes without a shell.
//
// Contract: SpawnChild runs argv[0] (a path) with exactly `argv` and `env`
// through posix_spawn — no shell, so no argument is ever interpreted —
// with its stdin (and, when asked, its stdout) connected to pipes whose
// other ends the caller gets and owns; no other descriptor is inherited
// (the driver's sockets, other children's pipes). `stdin_data` (at most
// 4 KiB) is in the child's stdin before it starts: written while this
// process still holds the pipe's read end, so a child that exits at once
// cannot make the write raise SIGPIPE. DescribeWaitStatus turns a waitpid
// status into "exited with code 3" / "killed by signal 9 (Killed)".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ember/common/status.h"

namespace ember {

struct ChildProcess {
  int pid = -1;
  int stdin_fd = -1;   // write end of the child's stdin
  int stdout_fd = -1;  // read end of its stdout, when piped
};

Result<ChildProcess> SpawnChild(const std::vector<std::string>& argv,
                                const std::vector<std::string>& env, bool pipe_stdout,
                                std::string_view stdin_data = {});

std::string DescribeWaitStatus(int status);

// The environment children get, as "KEY=value" strings: this process's,
// without EMBER_CONF (the settings `ember submit` passed the driver, which
// may hold spark.authenticate.secret).
std::vector<std::string> ChildEnvironment();

}  // namespace ember
