// Parsing the master URL into what the engine deploys.
//
// Contract: "local" = 1 slot; "local[N]", "local[*]" (all cores); and
// "local[N,F]" / "local[*,F]" = F attempts per task (local modes default to
// 1). Anything else is InvalidArgument "Could not parse Master URL: '...'".
#pragma once

#include <string>

#include "ember/common/status.h"

namespace ember::deploy {

struct MasterSpec {
  int slots = 1;
  int max_task_failures = 1;
};

Result<MasterSpec> ParseMasterUrl(const std::string& master);

}  // namespace ember::deploy
