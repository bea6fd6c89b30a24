#include "ember/storage/block_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "ember/common/file_util.h"
#include "ember/common/frame_file.h"

namespace ember::storage {

std::string BlockId::Name() const {
  return "rdd_" + std::to_string(rdd) + "_" + std::to_string(partition);
}

namespace {
Status WriteFrames(int fd, const Frames& frames) {
  FrameFileWriter out(fd);
  for (const Frame& f : frames) EMBER_RETURN_IF_ERROR(out.Write(f.type, f.data));
  return out.Finish();
}
}  // namespace

BlockStore::BlockStore(std::string disk_dir, size_t memory_budget)
    : disk_dir_(std::move(disk_dir)), memory_budget_(memory_budget) {}

BlockStore::~BlockStore() { RemoveTree(disk_dir_); }

std::optional<BlockStore::Stored> BlockStore::Get(const BlockId& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto m = memory_.find(id);
  if (m != memory_.end()) {
    lru_.splice(lru_.begin(), lru_, m->second.lru);
    return Stored{m->second.frames, "", m->second.bytes};
  }
  auto d = disk_.find(id);
  if (d != disk_.end()) {
    struct stat st {};
    size_t bytes = ::stat(d->second.c_str(), &st) == 0 ? static_cast<size_t>(st.st_size) : 0;
    return Stored{nullptr, d->second, bytes};
  }
  return std::nullopt;
}

std::optional<std::vector<BlockId>> BlockStore::Victims(const BlockId& id, size_t bytes) const {
  std::vector<BlockId> victims;
  size_t used = used_;
  for (auto it = lru_.rbegin(); it != lru_.rend() && used + bytes > memory_budget_; ++it) {
    if (it->rdd == id.rdd) continue;
    victims.push_back(*it);
    used -= memory_.at(*it).bytes;
  }
  if (used + bytes > memory_budget_) return std::nullopt;
  return victims;
}

void BlockStore::PutMemory(const BlockId& id, Level level, Frames frames, size_t bytes) {
  std::vector<std::pair<BlockId, std::shared_ptr<const Frames>>> to_disk;
  auto block = std::make_shared<const Frames>(std::move(frames));
  bool in_memory = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (memory_.count(id) || disk_.count(id)) return;
    auto victims = Fits(bytes) ? Victims(id, bytes) : std::nullopt;
    if (victims) {
      for (const BlockId& v : *victims) {
        auto e = memory_.find(v);
        if (e->second.level.use_disk && !disk_.count(v)) to_disk.emplace_back(v, e->second.frames);
        Erase(e);
      }
      lru_.push_front(id);
      memory_[id] = Entry{block, bytes, level, lru_.begin()};
      used_ += bytes;
      in_memory = true;
    }
  }
  // A block that fails to reach disk is simply recomputed when needed.
  for (const auto& [victim, victim_frames] : to_disk) (void)WriteToDisk(victim, *victim_frames);
  if (!in_memory && level.use_disk) (void)WriteToDisk(id, *block);
}

std::string BlockStore::NewTempPath(const BlockId& id) {
  std::lock_guard<std::mutex> lock(mu_);
  return disk_dir_ + "/" + id.Name() + ".tmp" + std::to_string(next_temp_++);
}

Status BlockStore::WriteToDisk(const BlockId& id, const Frames& frames) {
  EMBER_RETURN_IF_ERROR(MakeDirs(disk_dir_));
  std::string tmp = NewTempPath(id);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError("create", tmp, errno);
  Status st = WriteFrames(fd, frames);
  ::close(fd);
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  return CommitDisk(id, tmp);
}

Status BlockStore::CommitDisk(const BlockId& id, const std::string& temp_path) {
  std::string path = disk_dir_ + "/" + id.Name();
  std::lock_guard<std::mutex> lock(mu_);
  if (disk_.count(id)) {  // another task stored it first
    ::unlink(temp_path.c_str());
    return Status::OK();
  }
  if (::rename(temp_path.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp_path.c_str());
    return ErrnoError("rename", temp_path, err);
  }
  disk_[id] = path;
  return Status::OK();
}

std::map<BlockId, BlockStore::Entry>::iterator BlockStore::Erase(
    std::map<BlockId, Entry>::iterator it) {
  used_ -= it->second.bytes;
  lru_.erase(it->second.lru);
  return memory_.erase(it);
}

std::map<BlockId, std::string>::iterator BlockStore::Erase(
    std::map<BlockId, std::string>::iterator it) {
  ::unlink(it->second.c_str());
  return disk_.erase(it);
}

void BlockStore::RemoveRdd(int rdd) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = memory_.lower_bound({rdd, 0}); it != memory_.end() && it->first.rdd == rdd;) it = Erase(it);
  for (auto it = disk_.lower_bound({rdd, 0}); it != disk_.end() && it->first.rdd == rdd;) it = Erase(it);
}

void BlockStore::Remove(const BlockId& id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto m = memory_.find(id); m != memory_.end()) Erase(m);
  if (auto d = disk_.find(id); d != disk_.end()) Erase(d);
}

size_t BlockStore::memory_used() const {
  std::lock_guard<std::mutex> lock(mu_);
  return used_;
}

bool BlockStore::OnDisk(const BlockId& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return disk_.count(id) > 0;
}

}  // namespace ember::storage
