#include "ember/shuffle/shuffle_files.h"

namespace ember::shuffle {

std::string ShuffleFilePrefix(int shuffle_id) { return "shuffle_" + std::to_string(shuffle_id) + "_"; }

MapOutputFiles MapOutputPaths(const std::string& dir, int shuffle_id, int map_id, int64_t task_id) {
  std::string base =
      dir + "/" + ShuffleFilePrefix(shuffle_id) + std::to_string(map_id) + "_" + std::to_string(task_id);
  return {base + ".data", base + ".index"};
}

}  // namespace ember::shuffle
