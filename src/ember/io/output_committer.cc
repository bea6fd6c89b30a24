#include "ember/io/output_committer.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>

#include "ember/common/file_util.h"
#include "ember/io/codec.h"

namespace ember::io {

Result<FileOutputCommitter> FileOutputCommitter::Setup(const std::string& path,
                                                       const std::string& codec) {
  std::string ext;
  if (!codec.empty()) {
    EMBER_ASSIGN_OR_RETURN(Codec c, CodecFromClassName(codec));
    ext = CodecExtension(c);
  }
  std::string local = path.rfind("file://", 0) == 0 ? path.substr(7) : path;
  if (PathExists(local)) return AlreadyExists("Output directory " + path + " already exists");
  EMBER_RETURN_IF_ERROR(MakeDirs(local + "/_temporary"));
  return FileOutputCommitter(local, codec, ext);
}

std::string FileOutputCommitter::TaskDir(int partition) const {
  return path_ + "/_temporary/task_" + std::to_string(partition);
}

std::string FileOutputCommitter::FileName(int partition) const {
  char name[32];
  std::snprintf(name, sizeof name, "part-%05d", partition);
  return name + ext_;
}

void FileOutputCommitter::ConfigureTask(proto::TaskDescription* task) const {
  auto* sink = task->mutable_text_output();
  sink->set_attempt_dir(path_ + "/_temporary/attempt_" + std::to_string(task->task_id()));
  sink->set_task_commit_dir(TaskDir(task->partition()));
  sink->set_file_name(FileName(task->partition()));
  sink->set_codec(codec_);
}

Status FileOutputCommitter::CommitJob(int num_partitions) const {
  for (int p = 0; p < num_partitions; ++p) {
    std::string from = TaskDir(p) + "/" + FileName(p);
    std::string to = path_ + "/" + FileName(p);
    if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoError("commit rename", from, errno);
  }
  EMBER_RETURN_IF_ERROR(RemoveTree(path_ + "/_temporary"));
  std::ofstream success(path_ + "/_SUCCESS");
  if (!success) return IOError("cannot write " + path_ + "/_SUCCESS");
  return Status::OK();
}

void FileOutputCommitter::AbortJob() const { RemoveTree(path_); }

}  // namespace ember::io
