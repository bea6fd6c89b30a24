// Application directories under spark.local.dir.
//
// Contract: CreateAppDir() makes "<root>/ember-<app_id>-XXXXXX" and records
// the creating process in it (pid and start time, so a reused pid is not
// mistaken for the owner). SweepStaleAppDirs() removes the ember-* siblings
// whose owner is gone — what a driver killed with SIGKILL left behind — and
// is called whenever a new application starts under the same root.
#pragma once

#include <string>

#include "ember/common/status.h"

namespace ember::deploy {

Result<std::string> CreateAppDir(const std::string& root, const std::string& app_id);
// Returns how many directories were removed.
int SweepStaleAppDirs(const std::string& root);

}  // namespace ember::deploy
