#include "ember/deploy/file_server.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "ember.pb.h"
#include "ember/common/file_util.h"
#include "ember/common/frame.h"

namespace ember::deploy {

namespace fs = std::filesystem;

namespace {

// The path with every symbolic link resolved; errno tells why not.
bool RealPath(const std::string& path, std::string* resolved) {
  char* real = ::realpath(path.c_str(), nullptr);
  if (!real) return false;
  *resolved = real;
  std::free(real);
  return true;
}

proto::FileReply ErrorReply(const Status& status) {
  proto::FileReply reply;
  reply.set_error(status.message());
  reply.set_error_code(static_cast<int32_t>(status.code()));
  return reply;
}

}  // namespace

FileServer::FileServer(std::string root, FileServerOptions options)
    : root_(std::move(root)), options_(options), server_(options.server) {}

Result<std::unique_ptr<FileServer>> FileServer::Start(const std::string& root, const std::string& host,
                                                      uint16_t port, net::Credentials credentials,
                                                      FileServerOptions options) {
  std::string resolved_root;
  if (!RealPath(root, &resolved_root)) return ErrnoError("resolve", root, errno);
  std::unique_ptr<FileServer> server(new FileServer(std::move(resolved_root), std::move(options)));
  EMBER_RETURN_IF_ERROR(server->server_.Start(
      host, port, std::move(credentials),
      [self = server.get()](std::shared_ptr<net::Connection> connection) { self->Serve(*connection); }));
  return server;
}

void FileServer::Serve(net::Connection& connection) {
  proto::FileRequest request;
  std::string chunk;  // one chunk of file contents, reused by every file of the session
  for (;;) {
    auto received = connection.Receive(&request);
    if (!received.ok() || !*received) return;
    Status st = Answer(connection, request.name(), &chunk);
    if (!st.ok()) {
      spdlog::warn("ember file server: {} (client {})", st.message(), connection.peer());
      connection.Close();
      return;
    }
  }
}

// A bad request gets an error reply and the session goes on; only a
// failure that leaves the stream unusable is returned.
Status FileServer::Answer(net::Connection& connection, const std::string& name, std::string* chunk) {
  auto path = Resolve(name);
  if (!path.ok()) return connection.Send(ErrorReply(path.status()));
  // O_NONBLOCK: opening a FIFO someone left in the tree must not hang the session.
  int fd = ::open(path->c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    Status error = ErrnoError("open", name, errno);
    if (fd >= 0) ::close(fd);
    return connection.Send(ErrorReply(error));
  }
  Status sent;
  if (S_ISREG(st.st_mode)) {
    sent = SendFile(connection, name, fd, st, chunk);
  } else if (S_ISDIR(st.st_mode)) {
    sent = SendTree(connection, name, *path);
  } else {
    sent = connection.Send(ErrorReply(InvalidArgument(name + " is neither a file nor a directory")));
  }
  ::close(fd);
  return sent;
}

Result<std::string> FileServer::Resolve(const std::string& name) const {
  if (!IsPlainRelativePath(name)) {
    return InvalidArgument("refused to serve '" + name +
                           "': not a relative path inside the application directory");
  }
  // Only what tasks need: broadcasts and added files, never shuffle files,
  // cached blocks or checkpoints of the driver's own executor.
  if (name.rfind("broadcast/", 0) != 0 && name.rfind("files/", 0) != 0 && name != "files")
    return InvalidArgument("refused to serve '" + name + "': only broadcast/ and files/ are served");
  std::string path;
  if (!RealPath(root_ + "/" + name, &path)) {
    if (errno == ENOENT || errno == ENOTDIR) return NotFound(name + " does not exist on the driver");
    return ErrnoError("resolve", name, errno);
  }
  if (path.compare(0, root_.size() + 1, root_ + "/") != 0) {
    return InvalidArgument("refused to serve " + name +
                           ": a symbolic link leads outside the application directory");
  }
  return path;
}

Status FileServer::SendFile(net::Connection& connection, const std::string& name, int fd,
                            const struct stat& st, std::string* chunk) {
  proto::FileReply reply;
  reply.set_file_size(st.st_size);
  reply.set_mode(st.st_mode & 0777);
  ++files_served_;
  EMBER_RETURN_IF_ERROR(connection.Send(reply));
  chunk->resize(std::min<size_t>(options_.chunk_bytes, static_cast<size_t>(st.st_size)));
  for (int64_t left = st.st_size; left > 0;) {
    size_t want = std::min<size_t>(chunk->size(), static_cast<size_t>(left));
    auto got = ReadSome(fd, chunk->data(), want);
    if (!got.ok()) return IOError("reading " + name + ": " + got.status().message());
    if (*got == 0) return IOError(name + " shrank while it was being sent");
    EMBER_RETURN_IF_ERROR(connection.SendBytes(std::string_view(chunk->data(), *got)));
    left -= static_cast<int64_t>(*got);
  }
  return Status::OK();
}

Status FileServer::SendTree(net::Connection& connection, const std::string& name, const std::string& path) {
  proto::FileReply reply;
  auto* tree = reply.mutable_tree();
  std::error_code ec;
  // Not following directory links: a link is listed, never walked into.
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    auto* entry = tree->add_entries();
    entry->set_path(it->path().lexically_relative(path).string());
    if (it->is_symlink(ec)) {
      entry->set_symlink_target(fs::read_symlink(it->path(), ec).string());
    } else if (!ec) {
      entry->set_is_directory(it->is_directory(ec));
    }
    if (ec) break;
  }
  if (ec) return connection.Send(ErrorReply(IOError("listing " + name + " failed: " + ec.message())));
  return connection.Send(reply);
}

}  // namespace ember::deploy
