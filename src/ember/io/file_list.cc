#include "ember/io/file_list.h"

#include <dirent.h>
#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

namespace ember::io {

namespace {

bool Hidden(const std::string& name) { return !name.empty() && (name[0] == '_' || name[0] == '.'); }

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// Files of one existing path: the file itself, or a directory's visible files.
Status AddPath(const std::string& path, std::vector<FileInfo>* out) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoError("stat", path, errno);
  if (!S_ISDIR(st.st_mode)) {
    out->push_back({path, static_cast<int64_t>(st.st_size)});
    return Status::OK();
  }
  DIR* dir = ::opendir(path.c_str());
  if (!dir) return ErrnoError("opendir", path, errno);
  std::vector<FileInfo> files;
  while (dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (Hidden(name)) continue;
    std::string child = path + (path.back() == '/' ? "" : "/") + name;
    struct stat cst;
    if (::stat(child.c_str(), &cst) == 0 && S_ISREG(cst.st_mode))
      files.push_back({child, static_cast<int64_t>(cst.st_size)});
  }
  ::closedir(dir);
  std::sort(files.begin(), files.end(), [](auto& a, auto& b) { return a.path < b.path; });
  out->insert(out->end(), files.begin(), files.end());
  return Status::OK();
}

Status AddItem(std::string item, std::vector<FileInfo>* out) {
  if (item.rfind("file://", 0) == 0) item = item.substr(7);
  else if (item.rfind("file:", 0) == 0) item = item.substr(5);
  if (item.find_first_of("*?[") == std::string::npos) {
    struct stat st;
    if (::stat(item.c_str(), &st) != 0) {
      if (errno == ENOENT) return NotFound("Input path does not exist: " + item);
      return ErrnoError("stat", item, errno);
    }
    return AddPath(item, out);
  }
  glob_t g{};
  int rc = ::glob(item.c_str(), 0, nullptr, &g);
  if (rc == GLOB_NOMATCH || (rc == 0 && g.gl_pathc == 0)) {
    ::globfree(&g);
    return NotFound("Input Pattern " + item + " matches 0 files");
  }
  if (rc != 0) {
    ::globfree(&g);
    return IOError("cannot expand input pattern " + item);
  }
  std::vector<std::string> matches(g.gl_pathv, g.gl_pathv + g.gl_pathc);
  ::globfree(&g);
  std::sort(matches.begin(), matches.end());
  for (const auto& m : matches) EMBER_RETURN_IF_ERROR(AddPath(m, out));
  return Status::OK();
}

}  // namespace

Result<std::vector<FileInfo>> ListInputFiles(const std::string& spec) {
  std::vector<FileInfo> out;
  size_t start = 0;
  for (;;) {
    size_t comma = spec.find(',', start);
    std::string item = Trim(spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (item.empty()) return InvalidArgument("empty path in input path list '" + spec + "'");
    EMBER_RETURN_IF_ERROR(AddItem(item, &out));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace ember::io
