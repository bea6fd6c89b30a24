// FileServer: the driver's side of moving broadcasts and added files to
// executors over the network; exec/file_cache.h is the executor's side.
//
// Contract:
// - Start() serves the tree under `root` (the application directory) on
//   host:port (0 picks a free port; port() tells which) to clients that
//   prove they know the credentials' secret, in TLS when they carry TLS
//   (net/server.h: nothing is parsed before that).
// - A client sends FileRequests, one at a time, on one connection and gets
//   one FileReply each (ember.proto): a regular file's size and permission
//   bits, then its bytes in raw frames of at most chunk_bytes, read from
//   disk one chunk at a time, so a 500 MB broadcast is never held in
//   memory; a directory's whole tree; or an error naming the file.
// - A name is relative to root. One that is not a plain relative path
//   (absolute, "..", empty components) or whose resolved path leaves root
//   (through a symbolic link) is refused with InvalidArgument; a missing
//   one is NotFound. Either way the connection stays usable. A tree lists
//   symbolic links as links (their targets are not read), so a link inside
//   an unpacked archive reaches the executor as the archive had it.
// - A file that shrinks while it is sent ends the connection: the client
//   sees a broken stream, never a short file passed off as whole.
// - Stop() (also the destructor) closes every connection and joins every
//   thread. Start and Stop are called from one owning thread.
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "ember/common/status.h"
#include "ember/net/server.h"

namespace ember::deploy {

struct FileServerOptions {
  size_t chunk_bytes = 4 << 20;  // largest raw frame of file contents
  net::ServerOptions server;
};

class FileServer {
 public:
  static Result<std::unique_ptr<FileServer>> Start(const std::string& root, const std::string& host,
                                                   uint16_t port, net::Credentials credentials,
                                                   FileServerOptions options = {});
  ~FileServer() { Stop(); }
  FileServer(const FileServer&) = delete;
  FileServer& operator=(const FileServer&) = delete;

  uint16_t port() const { return server_.port(); }
  // Files whose contents it began to send (for logs and tests). Counted
  // before the first byte goes out, so a client holding a file knows the
  // count includes it.
  uint64_t files_served() const { return files_served_.load(); }
  void Stop() { server_.Stop(); }

 private:
  FileServer(std::string root, FileServerOptions options);
  void Serve(net::Connection& connection);
  Status Answer(net::Connection& connection, const std::string& name, std::string* chunk);
  Result<std::string> Resolve(const std::string& name) const;
  Status SendFile(net::Connection& connection, const std::string& name, int fd,
                  const struct stat& st, std::string* chunk);
  Status SendTree(net::Connection& connection, const std::string& name, const std::string& path);

  const std::string root_;  // with every symbolic link resolved
  const FileServerOptions options_;
  net::Server server_;
  std::atomic<uint64_t> files_served_{0};
};

}  // namespace ember::deploy
