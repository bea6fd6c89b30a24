// Where a map output lives on the executor that wrote it: the one naming
// shared by the writer (RunTask), the readers (PartitionReader, and the
// block transfer service) and the cleaner (Executor::RemoveShuffle).
//
// Contract: map `map_id` of shuffle `shuffle_id`, written by task
// `task_id`, is <dir>/shuffle_<s>_<m>_<t>.data and .index, so the driver
// locates an output by executor id and task id alone and two attempts of
// one map never share a file. Every file of shuffle s starts with
// ShuffleFilePrefix(s), and no file of another shuffle does.
#pragma once

#include <cstdint>
#include <string>

namespace ember::shuffle {

struct MapOutputFiles {
  std::string data;
  std::string index;
};

MapOutputFiles MapOutputPaths(const std::string& dir, int shuffle_id, int map_id, int64_t task_id);
std::string ShuffleFilePrefix(int shuffle_id);

}  // namespace ember::shuffle
