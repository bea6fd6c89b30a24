// FileCache: an executor's local copies of what the driver's FileServer
// (deploy/file_server.h) serves — broadcasts and added files — each
// fetched over the network once.
//
// Contract:
// - Fetch(name) takes a name relative to the driver's application
//   directory ("broadcast/broadcast_3", "files/lookup.txt", "files/conf")
//   and returns LocalPath(name), where the copy is. The first call for a
//   name fetches it (a directory with its whole tree) over one
//   authenticated connection; later calls return at once; concurrent calls
//   for one name wait for that one fetch and share its outcome. A failed
//   fetch leaves nothing behind, and the next call for the name tries again;
//   so does the next call for a name whose copy has vanished (a wiped work
//   directory; a directory's tree is not checked).
// - A copy is written under a temporary name beside its place and renamed
//   into it once complete (a directory once its whole tree is there), so a
//   path Fetch returned — or LocalPath looked at by anyone — never shows a
//   half-fetched copy. Files keep the driver copy's permission bits.
// - Versioning: a name stands for one content for the application's whole
//   life, so the cache keys by name alone. A broadcast file is written once
//   and never rewritten (unpersist/destroy are generations in Python, a new
//   broadcast a new id); an added file cannot be replaced (addFile refuses a
//   second source under a name and does not copy the same source twice).
//   A FileCache serves one application: its root is a fresh directory only
//   it writes to. Names fetched must not contain one another ("files/conf"
//   and "files/conf/a.ini").
// - Remove(name) deletes a fetched copy the driver dropped (a destroyed or
//   collected broadcast) and forgets it, so a long-lived application's
//   executors keep no more copies than the driver keeps; a fetch still
//   under way is left alone. A later Fetch of the name fetches again.
// - Errors name the file and the driver's address, never the secret.
//   Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "ember/common/status.h"
#include "ember/net/connection.h"
#include "ember.pb.h"

namespace ember::exec {

// Where the driver's FileServer listens, and the credentials it wants.
struct FileServerEndpoint {
  std::string host;
  uint16_t port = 0;
  net::Credentials credentials;
  std::chrono::milliseconds connect_timeout{30000};
};

class FileCache {
 public:
  // Creates `root` (and its parents) if missing.
  static Result<std::unique_ptr<FileCache>> Create(std::string root, FileServerEndpoint driver);

  Result<std::string> Fetch(const std::string& name);
  std::string LocalPath(const std::string& name) const { return root_ + "/" + name; }
  void Remove(const std::string& name);

 private:
  FileCache(std::string root, FileServerEndpoint driver)
      : root_(std::move(root)), driver_(std::move(driver)) {}
  Status FetchOnce(const std::string& name);
  Status Download(net::Connection& connection, const std::string& name, const std::string& target);
  Status ReceiveTree(net::Connection& connection, const std::string& name, const std::string& target,
                     const proto::FileTree& tree);
  Status ReceiveFile(net::Connection& connection, const std::string& name, const std::string& target,
                     int64_t size, uint32_t mode);
  std::string Describe(const std::string& name) const;

  const std::string root_;
  const FileServerEndpoint driver_;
  std::mutex mu_;
  // By name: the fetch under way or done. A failed one is removed.
  std::map<std::string, std::shared_future<Status>> fetches_;
};

}  // namespace ember::exec
