// Expanding a user's input path string into the files to read, on any
// file system (file_system.h).
//
// Contract (PySpark/Hadoop behaviour): `spec` is one path or several joined
// by commas (commas inside {..} belong to a glob); each is a file, a
// directory (its files, not recursing; a visible subdirectory is an IOError
// "Not a file: /x/sub", as in Hadoop), or a glob pattern (*, ?, [..], {a,b})
// matched component by component against directory listings (fnmatch(3)
// after expanding braces), a matched directory giving its files. Names starting
// with '_' or '.' are skipped everywhere (a path naming one outright counts
// as missing). Paths come back absolute and normalised (relative ones are
// resolved against the working directory; URIs keep their scheme), sorted by path within each
// comma item, in item order. A path that matches nothing is a NotFound
// error naming it ("Input path does not exist: /x"); a pattern matching
// nothing says "Input Pattern /x/*.txt matches 0 files". A directory with
// no files gives an empty list (not an error). A "file://" or "file:"
// prefix is accepted and removed. Each file carries its file system's
// block size, for splitting.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ember/common/status.h"
#include "ember/io/local_file_system.h"

namespace ember::io {

struct FileInfo {
  std::string path;
  int64_t size = 0;
  int64_t block_size = kLocalBlockSize;
};

Result<std::vector<FileInfo>> ListInputFiles(const std::string& spec);

}  // namespace ember::io
