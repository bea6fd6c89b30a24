// Reading one bucket's block of one map output.
//
// Contract: ReadBlock returns the batches of block `bucket`, in order, after
// verifying the block's checksum against the index. A missing data or
// index file is FetchFailed; a checksum mismatch or a malformed block is
// FetchFailed too (message says "corrupt"), because either way the map
// output must be recomputed. Messages name the file and the bucket.
#pragma once

#include <string>
#include <vector>

#include "ember/common/status.h"

namespace ember::shuffle {

Result<std::vector<std::string>> ReadBlock(const std::string& data_path,
                                           const std::string& index_path, int bucket);

}  // namespace ember::shuffle
