#include "ember/deploy/app_dir.h"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "ember/common/file_util.h"

namespace ember::deploy {

namespace {

constexpr char kOwnerFile[] = "/owner";

// Field 22 of /proc/<pid>/stat: when the process started, in clock ticks.
std::string StartTime(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return "";
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
  }
  return field;
}

bool OwnerAlive(const std::string& dir) {
  std::ifstream in(dir + kOwnerFile);
  pid_t pid = 0;
  std::string started;
  if (!(in >> pid >> started)) return true;  // being created, or not ours: leave it
  return StartTime(pid) == started;
}

}  // namespace

Result<std::string> CreateAppDir(const std::string& root, const std::string& app_id) {
  EMBER_ASSIGN_OR_RETURN(std::string dir, MakeTempDir(root, "ember-" + app_id + "-"));
  std::ofstream out(dir + kOwnerFile);
  out << ::getpid() << " " << StartTime(::getpid()) << "\n";
  if (!out) {
    RemoveTree(dir);
    return IOError("cannot write " + dir + kOwnerFile);
  }
  return dir;
}

int SweepStaleAppDirs(const std::string& root) {
  DIR* d = ::opendir(root.c_str());
  if (!d) return 0;
  std::vector<std::string> stale;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.rfind("ember-", 0) != 0) continue;
    std::string dir = root + "/" + name;
    if (PathExists(dir + kOwnerFile) && !OwnerAlive(dir)) stale.push_back(dir);
  }
  ::closedir(d);
  for (const auto& dir : stale) RemoveTree(dir);
  return static_cast<int>(stale.size());
}

}  // namespace ember::deploy
