#include "ember/deploy/master_url.h"

#include <regex>
#include <thread>

namespace ember::deploy {

namespace {
// A number the regex matched; too many digits for an int is an error.
bool ToInt(const std::string& digits, int* out) {
  if (digits.size() > 6) return false;
  *out = std::stoi(digits);
  return true;
}
}  // namespace

Result<MasterSpec> ParseMasterUrl(const std::string& master) {
  static const std::regex kLocal(R"(local(\[(\*|[0-9]+)(,([0-9]+))?\])?)");
  static const std::regex kLocalCluster(R"(local-cluster\[\s*([0-9]+)\s*,\s*([0-9]+)\s*,\s*([0-9]+)\s*\])");
  std::smatch m;
  Status bad = InvalidArgument("Could not parse Master URL: '" + master + "'");
  MasterSpec spec;
  if (std::regex_match(master, m, kLocalCluster)) {
    spec.local_cluster = true;
    if (!ToInt(m[1], &spec.executors) || !ToInt(m[2], &spec.executor_cores) ||
        !ToInt(m[3], &spec.executor_memory_mb))
      return bad;
    if (spec.executors < 1 || spec.executors > 64 || spec.executor_cores < 1 ||
        spec.executor_memory_mb < 1)
      return bad;
    spec.slots = spec.executors * spec.executor_cores;
    spec.max_task_failures = 4;
    return spec;
  }
  static const std::regex kStandalone(R"((ember|spark)://(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+)(:([0-9]+))?)");
  if (std::regex_match(master, m, kStandalone)) {
    spec.standalone = true;
    spec.master_host = m[2];
    if (spec.master_host.front() == '[') spec.master_host = spec.master_host.substr(1, spec.master_host.size() - 2);
    if (m[4].matched && (!ToInt(m[4], &spec.master_port) || spec.master_port < 1 || spec.master_port > 65535))
      return bad;
    spec.max_task_failures = 4;
    return spec;
  }
  if (!std::regex_match(master, m, kLocal)) return bad;
  if (m[2].matched) {
    if (m[2] == "*") {
      spec.slots = std::max(1u, std::thread::hardware_concurrency());
    } else {
      if (!ToInt(m[2], &spec.slots) || spec.slots < 1) return bad;
    }
  }
  if (m[4].matched) {
    if (!ToInt(m[4], &spec.max_task_failures) || spec.max_task_failures < 1) return bad;
  }
  return spec;
}

}  // namespace ember::deploy
