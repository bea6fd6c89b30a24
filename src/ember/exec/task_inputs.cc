#include "ember/exec/task_inputs.h"

#include <sstream>
#include <string>

#include "ember/common/file_util.h"

namespace ember::exec {

namespace {
constexpr char kBroadcastDir[] = "broadcast";
constexpr char kFilesDir[] = "files";
}  // namespace

std::string BroadcastName(int64_t id) { return std::string(kBroadcastDir) + "/broadcast_" + std::to_string(id); }

Status LocalizeTaskInputs(FileCache& cache, proto::TaskDescription* task) {
  for (const auto& node : task->nodes()) {
    if (!node.has_python()) continue;
    for (int64_t id : node.python().broadcast_ids()) EMBER_RETURN_IF_ERROR(cache.Fetch(BroadcastName(id)).status());
  }
  auto& properties = *task->mutable_properties();
  if (auto names = properties.find(kFileNamesProperty); names != properties.end()) {
    std::istringstream joined(names->second);
    for (std::string name; std::getline(joined, name, '/');) {
      EMBER_RETURN_IF_ERROR(cache.Fetch(std::string(kFilesDir) + "/" + name).status());
    }
  }
  if (properties.contains(kFilesDirProperty)) {
    std::string files_dir = cache.LocalPath(kFilesDir);
    EMBER_RETURN_IF_ERROR(MakeDirs(files_dir));
    properties[kFilesDirProperty] = files_dir;
  }
  properties[kBroadcastDirProperty] = cache.LocalPath(kBroadcastDir);
  return Status::OK();
}

}  // namespace ember::exec
