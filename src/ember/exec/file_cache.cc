#include "ember/exec/file_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "ember/common/file_util.h"
#include "ember/common/frame.h"
#include "ember/net/client.h"

namespace ember::exec {

namespace {

// The Status the driver's error reply stands for; a code this build does
// not know is still an error.
Status ReplyError(const proto::FileReply& reply) {
  int code = reply.error_code();
  bool known = code > 0 && code <= static_cast<int>(StatusCode::kInternal);
  return Status(known ? static_cast<StatusCode>(code) : StatusCode::kIOError, reply.error());
}

}  // namespace

Result<std::unique_ptr<FileCache>> FileCache::Create(std::string root, FileServerEndpoint driver) {
  EMBER_RETURN_IF_ERROR(MakeDirs(root));
  return std::unique_ptr<FileCache>(new FileCache(std::move(root), std::move(driver)));
}

void FileCache::Remove(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = fetches_.find(name);
  if (it == fetches_.end() || it->second.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  fetches_.erase(it);
  RemoveTree(LocalPath(name));
}

Result<std::string> FileCache::Fetch(const std::string& name) {
  if (!IsPlainRelativePath(name)) return InvalidArgument("cannot fetch '" + name + "': not a relative path");
  std::promise<Status> ours;
  std::shared_future<Status> fetch;
  bool fetch_it = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, inserted] = fetches_.try_emplace(name);
    // A copy fetched before but gone since (its executor's work directory
    // was wiped) is fetched again, not named where it no longer is.
    bool gone = !inserted && it->second.wait_for(std::chrono::seconds(0)) == std::future_status::ready &&
                !PathExists(LocalPath(name));
    if (inserted || gone) {
      it->second = ours.get_future().share();
      fetch_it = true;
    }
    fetch = it->second;
  }
  if (fetch_it) {
    Status st = FetchOnce(name);
    if (!st.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      fetches_.erase(name);  // those waiting now share this error; the next caller tries again
    }
    ours.set_value(std::move(st));
  }
  EMBER_RETURN_IF_ERROR(fetch.get());
  return LocalPath(name);
}

Status FileCache::FetchOnce(const std::string& name) {
  const std::string target = LocalPath(name);
  EMBER_RETURN_IF_ERROR(MakeDirs(target.substr(0, target.rfind('/'))));
  auto connection = net::Connect(driver_.host, driver_.port, driver_.credentials, driver_.connect_timeout);
  if (!connection.ok()) {
    return Status(connection.status().code(), Describe(name) + ": " + connection.status().message());
  }
  // Beside its place, so the rename stays on one file system.
  const std::string temp = target + ".part-" + RandomHex(4);
  Status st = Download(**connection, name, temp);
  (*connection)->Close();
  if (st.ok() && ::rename(temp.c_str(), target.c_str()) != 0) st = ErrnoError("rename", target, errno);
  if (st.ok()) return st;
  RemoveTree(temp);
  return Status(st.code(), Describe(name) + ": " + st.message());
}

// Asks for `name` and writes what comes back at `target`.
Status FileCache::Download(net::Connection& connection, const std::string& name, const std::string& target) {
  proto::FileRequest request;
  request.set_name(name);
  EMBER_RETURN_IF_ERROR(connection.Send(request));
  proto::FileReply reply;
  EMBER_ASSIGN_OR_RETURN(bool got, connection.Receive(&reply));
  if (!got) return IOError("the driver closed the connection before answering for " + name);
  switch (reply.answer_case()) {
    case proto::FileReply::kFileSize:
      return ReceiveFile(connection, name, target, reply.file_size(), reply.mode());
    case proto::FileReply::kTree:
      return ReceiveTree(connection, name, target, reply.tree());
    case proto::FileReply::kError:
      return ReplyError(reply);
    case proto::FileReply::ANSWER_NOT_SET:
      break;
  }
  return Corrupt("the driver's answer for " + name + " is empty");
}

Status FileCache::ReceiveTree(net::Connection& connection, const std::string& name, const std::string& target,
                              const proto::FileTree& tree) {
  if (::mkdir(target.c_str(), 0755) != 0) return ErrnoError("mkdir", target, errno);
  for (const auto& entry : tree.entries()) {
    // The driver is trusted, but what it lists must stay inside the copy all the same.
    if (!IsPlainRelativePath(entry.path()))
      return Corrupt("the driver listed '" + entry.path() + "' in " + name);
    const std::string path = target + "/" + entry.path();
    if (!entry.symlink_target().empty()) {
      if (::symlink(entry.symlink_target().c_str(), path.c_str()) != 0)
        return ErrnoError("symlink", path, errno);
    } else if (entry.is_directory()) {
      if (::mkdir(path.c_str(), 0755) != 0) return ErrnoError("mkdir", path, errno);
    } else {
      EMBER_RETURN_IF_ERROR(Download(connection, name + "/" + entry.path(), path));
    }
  }
  return Status::OK();
}

Status FileCache::ReceiveFile(net::Connection& connection, const std::string& name, const std::string& target,
                              int64_t size, uint32_t mode) {
  int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError("create", target, errno);
  Status st;
  std::string chunk;  // one frame at a time: memory stays at one chunk, whatever the file's size
  for (int64_t left = size; st.ok() && left > 0;) {
    auto got = connection.ReceiveBytes(&chunk);
    if (!got.ok()) {
      st = got.status();
    } else if (!*got) {
      st = IOError("the driver closed the connection with " + std::to_string(left) + " bytes of " + name +
                   " still to come");
    } else if (chunk.size() > static_cast<uint64_t>(left)) {
      st = Corrupt("the driver sent more of " + name + " than its size, " + std::to_string(size) + " bytes");
    } else if (Status written = WriteAll(fd, chunk); !written.ok()) {
      st = IOError("writing " + target + ": " + written.message());
    } else {
      left -= static_cast<int64_t>(chunk.size());
    }
  }
  if (st.ok() && ::fchmod(fd, mode & 0777) != 0) st = ErrnoError("chmod", target, errno);
  if (::close(fd) != 0 && st.ok()) st = ErrnoError("close", target, errno);
  return st;
}

std::string FileCache::Describe(const std::string& name) const {
  return "fetching " + name + " from the driver at " + driver_.host + ":" + std::to_string(driver_.port);
}

}  // namespace ember::exec
