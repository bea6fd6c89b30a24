#include "ember/deploy/master_url.h"

#include <regex>
#include <thread>

namespace ember::deploy {

Result<MasterSpec> ParseMasterUrl(const std::string& master) {
  static const std::regex kLocal(R"(local(\[(\*|[0-9]+)(,([0-9]+))?\])?)");
  std::smatch m;
  Status bad = InvalidArgument("Could not parse Master URL: '" + master + "'");
  if (!std::regex_match(master, m, kLocal)) return bad;
  MasterSpec spec;
  if (m[2].matched) {
    if (m[2] == "*") {
      spec.slots = std::max(1u, std::thread::hardware_concurrency());
    } else {
      spec.slots = std::stoi(m[2]);
      if (spec.slots < 1) return bad;
    }
  }
  if (m[4].matched) {
    spec.max_task_failures = std::stoi(m[4]);
    if (spec.max_task_failures < 1) return bad;
  }
  return spec;
}

}  // namespace ember::deploy
