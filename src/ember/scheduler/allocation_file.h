// The fair scheduler's allocation file (spark.scheduler.allocation.file),
// in Spark's format:
//   <allocations>
//     <pool name="production">
//       <schedulingMode>FAIR</schedulingMode> <weight>2</weight> <minShare>1</minShare>
//     </pool>
//   </allocations>
//
// Contract: every element of a pool is optional (FIFO, weight 1, minShare
// 0 when left out). Anything else is an error naming the file, the pool
// and the value at fault: no <allocations> element, a pool without a name
// or named twice, a mode other than FIFO/FAIR (any case), a weight that is
// not a positive integer, a minShare that is not a non-negative integer.
// XML comments are ignored. Pure functions, thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "ember/common/status.h"
#include "ember/scheduler/pool.h"

namespace ember::scheduler {

// The pools `xml` configures, by name; `file` is only used in errors.
Result<std::map<std::string, PoolConfig>> ParseAllocations(std::string_view xml, const std::string& file);
// ParseAllocations of the file at `path`, on any file system ember reads
// (a local path, file:, hdfs://, webhdfs://, s3a:// ...: io/file_system.h).
Result<std::map<std::string, PoolConfig>> LoadAllocationFile(const std::string& path);

}  // namespace ember::scheduler
