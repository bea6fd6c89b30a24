#include "ember/io/file_list.h"

#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>

#include "ember/io/file_system.h"
#include "ember/io/local_file_system.h"

namespace ember::io {

namespace {

// Hadoop's hiddenFileFilter: job outputs keep _SUCCESS, _temporary, .crc
// files beside the data.
bool Hidden(const std::string& name) { return !name.empty() && (name[0] == '_' || name[0] == '.'); }

std::string BaseName(const std::string& path) {
  size_t end = path.find_last_not_of('/');
  if (end == std::string::npos) return "";
  size_t slash = path.rfind('/', end);
  size_t start = slash == std::string::npos ? 0 : slash + 1;
  return path.substr(start, end - start + 1);
}

bool IsPattern(const std::string& s) { return s.find_first_of("*?[{") != std::string::npos; }

// Commas inside {a,b} belong to the glob, as in Hadoop's path lists.
std::vector<std::string> SplitOutsideBraces(const std::string& spec) {
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

// "a{b,c{d,e}}f" -> abf, acdf, acef (Hadoop's GlobExpander); unbalanced
// braces are left as they are and match literally.
std::vector<std::string> ExpandBraces(const std::string& pattern) {
  size_t open = pattern.find('{');
  if (open == std::string::npos) return {pattern};
  int depth = 0;
  size_t close = open;
  for (; close < pattern.size(); ++close) {
    if (pattern[close] == '{') ++depth;
    if (pattern[close] == '}' && --depth == 0) break;
  }
  if (close == pattern.size()) return {pattern};
  std::vector<std::string> out;
  for (const auto& alt : SplitOutsideBraces(pattern.substr(open + 1, close - open - 1)))
    for (auto& tail : ExpandBraces(pattern.substr(0, open) + alt + pattern.substr(close + 1)))
      out.push_back(std::move(tail));
  return out;
}

// Absolute and lexically normalised, so executors with another working
// directory open the same files the driver listed.
std::string NormalPath(const std::string& path, bool relative_to_cwd) {
  std::string full = path;
  if (relative_to_cwd && (full.empty() || full[0] != '/')) {
    char cwd[4096];
    if (::getcwd(cwd, sizeof cwd) != nullptr) full = std::string(cwd) + "/" + full;
  }
  std::string out;
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
  for (const auto& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

std::vector<std::string> Components(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// Paths under `root` ("" or "scheme://authority") matching the components
// of one brace-free pattern, each wildcard component matched against a
// directory listing with fnmatch(3) (a leading '.' only matched literally).
Result<std::vector<std::string>> MatchGlob(FileSystem& fs, const std::string& root,
                                           const std::vector<std::string>& parts) {
  std::vector<std::string> current = {root};
  for (size_t i = 0; i < parts.size(); ++i) {
    std::vector<std::string> next;
    for (const auto& base : current) {
      if (!IsPattern(parts[i])) {
        next.push_back(base + "/" + parts[i]);
        continue;
      }
      auto children = fs.List(base.empty() || base == root ? base + "/" : base);
      if (!children.ok() && children.status().code() == StatusCode::kNotFound) continue;
      EMBER_RETURN_IF_ERROR(children.status());
      for (const auto& child : *children) {
        if (i + 1 < parts.size() && !child.is_dir) continue;
        if (::fnmatch(parts[i].c_str(), BaseName(child.path).c_str(), FNM_PERIOD) == 0)
          next.push_back(child.path);
      }
    }
    current = std::move(next);
  }
  return current;
}

// An existing path: the file itself, or the visible files of a directory;
// a visible subdirectory is an error, as in Hadoop's non-recursive
// FileInputFormat.
FileInfo InfoOf(FileSystem& fs, const FileStatus& st) {
  return {st.path, st.size, st.block_size > 0 ? st.block_size : fs.BlockSize()};
}

Status AddPath(FileSystem& fs, const FileStatus& st, std::vector<FileInfo>* out) {
  if (!st.is_dir) {
    out->push_back(InfoOf(fs, st));
    return Status::OK();
  }
  EMBER_ASSIGN_OR_RETURN(auto children, fs.List(st.path));
  for (const auto& child : children) {
    if (Hidden(BaseName(child.path))) continue;
    if (child.is_dir) return IOError("Not a file: " + child.path);
    out->push_back(InfoOf(fs, child));
  }
  return Status::OK();
}

Status AddLiteral(FileSystem& fs, const std::string& path, std::vector<FileInfo>* out) {
  // Hadoop filters even a path named outright, reporting it as missing.
  if (Hidden(BaseName(path))) return NotFound("Input path does not exist: " + path);
  auto st = fs.Stat(path);
  if (!st.ok() && st.status().code() == StatusCode::kNotFound)
    return NotFound("Input path does not exist: " + path);
  EMBER_RETURN_IF_ERROR(st.status());
  return AddPath(fs, *st, out);
}

Status AddPattern(FileSystem& fs, const ParsedUri& uri, const std::string& pattern,
                  std::vector<FileInfo>* out) {
  std::string root = uri.scheme.empty() ? "" : uri.scheme + "://" + uri.authority;
  std::vector<std::string> matches;
  for (const auto& alt : ExpandBraces(uri.path)) {
    EMBER_ASSIGN_OR_RETURN(auto found, MatchGlob(fs, root, Components(NormalPath(alt, false))));
    for (auto& m : found) matches.push_back(std::move(m));
  }
  std::sort(matches.begin(), matches.end());
  matches.erase(std::unique(matches.begin(), matches.end()), matches.end());
  bool any = false;
  for (const auto& m : matches) {
    if (Hidden(BaseName(m))) continue;
    auto st = fs.Stat(m);
    if (!st.ok() && st.status().code() == StatusCode::kNotFound) continue;  // a literal part that is absent
    EMBER_RETURN_IF_ERROR(st.status());
    any = true;
    EMBER_RETURN_IF_ERROR(AddPath(fs, *st, out));
  }
  if (!any) return NotFound("Input Pattern " + pattern + " matches 0 files");
  return Status::OK();
}

}  // namespace

Result<std::vector<FileInfo>> ListInputFiles(const std::string& spec) {
  std::vector<FileInfo> all;
  for (const std::string& raw : SplitOutsideBraces(spec)) {
    if (raw.empty()) return InvalidArgument("empty path in input path list '" + spec + "'");
    std::string item = LocalPath(raw);
    ParsedUri uri = ParseUri(item);
    if (uri.scheme.empty()) item = uri.path = NormalPath(item, true);
    EMBER_ASSIGN_OR_RETURN(auto fs, FileSystemFor(item));
    std::vector<FileInfo> files;
    EMBER_RETURN_IF_ERROR(IsPattern(uri.path) ? AddPattern(*fs, uri, item, &files)
                                              : AddLiteral(*fs, item, &files));
    std::sort(files.begin(), files.end(), [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
    all.insert(all.end(), files.begin(), files.end());
  }
  return all;
}

}  // namespace ember::io
