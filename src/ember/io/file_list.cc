#include "ember/io/file_list.h"

#include <dirent.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace ember::io {

namespace {

// Hadoop's hiddenFileFilter: job outputs keep _SUCCESS, _temporary, .crc
// files beside the data.
bool Hidden(const std::string& name) {
  if (name == "." || name == "..") return false;
  return !name.empty() && (name[0] == '_' || name[0] == '.');
}

std::string BaseName(const std::string& path) {
  size_t end = path.find_last_not_of('/');
  if (end == std::string::npos) return "";
  size_t slash = path.rfind('/', end);
  return path.substr(slash == std::string::npos ? 0 : slash + 1, end - (slash == std::string::npos ? 0 : slash + 1) + 1);
}

bool IsPattern(const std::string& s) { return s.find_first_of("*?[{") != std::string::npos; }

// Commas inside {a,b} belong to the glob, as in Hadoop's path lists.
std::vector<std::string> SplitPathList(const std::string& spec) {
  std::vector<std::string> items(1);
  int depth = 0;
  for (char c : spec) {
    if (c == '{') ++depth;
    if (c == '}' && depth > 0) --depth;
    if (c == ',' && depth == 0) items.emplace_back();
    else items.back().push_back(c);
  }
  return items;
}

// Absolute and lexically normalised, so executors with another working
// directory open the same files the driver listed.
std::string Absolute(const std::string& path) {
  std::string full = path;
  if (full.empty() || full[0] != '/') {
    char cwd[4096];
    if (::getcwd(cwd, sizeof cwd) != nullptr) full = std::string(cwd) + "/" + full;
  }
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < full.size()) {
    size_t j = full.find('/', i);
    if (j == std::string::npos) j = full.size();
    std::string part = full.substr(i, j - i);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out;
  for (const auto& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

// A directory's visible entries; a visible subdirectory is an error, as
// in Hadoop's non-recursive FileInputFormat.
Status ListDirectory(const std::string& dir, std::vector<FileInfo>* out) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return ErrnoError("list directory", dir, errno);
  std::vector<std::string> names;
  errno = 0;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != ".." && !Hidden(name)) names.push_back(std::move(name));
  }
  int err = errno;
  ::closedir(d);
  if (err != 0) return ErrnoError("list directory", dir, err);
  std::sort(names.begin(), names.end());  // errors then name the same entry every time
  for (const auto& name : names) {
    std::string child = dir + (dir.back() == '/' ? "" : "/") + name;
    struct stat cs;
    if (::stat(child.c_str(), &cs) != 0) return ErrnoError("stat", child, errno);
    if (S_ISDIR(cs.st_mode)) return IOError("Not a file: " + child);
    out->push_back({child, static_cast<int64_t>(cs.st_size)});
  }
  return Status::OK();
}

// An existing path: the file itself, or the files of a directory.
Status AddPath(const std::string& path, const struct stat& st, std::vector<FileInfo>* out) {
  if (S_ISDIR(st.st_mode)) return ListDirectory(path, out);
  out->push_back({path, static_cast<int64_t>(st.st_size)});
  return Status::OK();
}

Status AddLiteral(const std::string& path, std::vector<FileInfo>* out) {
  struct stat st;
  // Hadoop filters even a path named outright, reporting it as missing.
  if (Hidden(BaseName(path))) return NotFound("Input path does not exist: " + path);
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return NotFound("Input path does not exist: " + path);
    return ErrnoError("stat", path, errno);
  }
  return AddPath(path, st, out);
}

Status AddPattern(const std::string& pattern, std::vector<FileInfo>* out) {
  glob_t g{};
  int rc = ::glob(pattern.c_str(), GLOB_BRACE, nullptr, &g);
  std::vector<std::string> matches;
  if (rc == 0) matches.assign(g.gl_pathv, g.gl_pathv + g.gl_pathc);
  ::globfree(&g);
  if (rc != 0 && rc != GLOB_NOMATCH) return IOError("cannot expand input pattern " + pattern);
  std::erase_if(matches, [](const std::string& m) { return Hidden(BaseName(m)); });
  if (matches.empty()) return NotFound("Input Pattern " + pattern + " matches 0 files");
  for (const auto& m : matches) {
    struct stat st;
    if (::stat(m.c_str(), &st) != 0) return ErrnoError("stat", m, errno);
    EMBER_RETURN_IF_ERROR(AddPath(m, st, out));
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<FileInfo>> ListInputFiles(const std::string& spec) {
  std::vector<FileInfo> all;
  for (std::string item : SplitPathList(spec)) {
    if (item.rfind("file://", 0) == 0) item.erase(0, 7);
    else if (item.rfind("file:", 0) == 0) item.erase(0, 5);
    if (item.empty()) return InvalidArgument("empty path in input path list '" + spec + "'");
    item = Absolute(item);
    std::vector<FileInfo> files;
    EMBER_RETURN_IF_ERROR(IsPattern(item) ? AddPattern(item, &files) : AddLiteral(item, &files));
    std::sort(files.begin(), files.end(), [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
    all.insert(all.end(), files.begin(), files.end());
  }
  return all;
}

}  // namespace ember::io
