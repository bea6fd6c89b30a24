// Small file-system helpers shared by the engine layers.
//
// Contract: MakeDirs creates every missing directory of `path` (like
// mkdir -p); RemoveTree deletes a file or directory tree, ignoring what is
// already gone; MakeTempDir creates a fresh private directory under
// `parent` whose name starts with `prefix`; RemoveFilesWithPrefix deletes
// the entries of `dir` whose names start with `prefix` (not recursive);
// PreadFully reads exactly `n` bytes at `offset` or reports that it could
// not (end of file: the file is shorter than its reader expects).
// IsPlainRelativePath says whether joining `path` to a directory stays
// inside it as far as the text goes (symbolic links are the caller's
// business): not empty, not absolute, no NUL, and no empty, "." or ".."
// component.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ember/common/status.h"

namespace ember {

Status MakeDirs(const std::string& path);
Status RemoveTree(const std::string& path);
Result<std::string> MakeTempDir(const std::string& parent, const std::string& prefix);
Status RemoveFilesWithPrefix(const std::string& dir, const std::string& prefix);
bool PathExists(const std::string& path);
bool PreadFully(int fd, char* out, size_t n, uint64_t offset);
bool IsPlainRelativePath(std::string_view path);
// 2*n random hex digits from a cryptographic source.
std::string RandomHex(size_t n);

}  // namespace ember
