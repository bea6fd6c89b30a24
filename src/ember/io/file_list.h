// Expanding a user's input path string into the files to read.
//
// Contract (PySpark/Hadoop behaviour): `spec` is one path or several joined
// by commas; each is a file, a directory (its files, not recursing, skipping
// names starting with '_' or '.'), or a glob pattern (*, ?, [..]) matched
// with glob(3). Files come back sorted by path within each comma item, in
// item order. A path that matches nothing is a NotFound error naming it
// ("Input path does not exist: /x"); a pattern matching nothing says
// "Input Pattern /x/*.txt matches 0 files". A directory with no files gives
// an empty list (not an error). A "file://" prefix is accepted and removed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ember/common/status.h"

namespace ember::io {

struct FileInfo {
  std::string path;
  int64_t size = 0;
};

Result<std::vector<FileInfo>> ListInputFiles(const std::string& spec);

}  // namespace ember::io
