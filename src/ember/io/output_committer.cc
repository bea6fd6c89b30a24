#include "ember/io/output_committer.h"

#include <cstdio>

#include "ember/io/file_system.h"

namespace ember::io {

Result<FileOutputCommitter> FileOutputCommitter::Setup(const std::string& path, proto::FileOutputSink sink) {
  std::string ext;
  if (!sink.codec().empty()) {
    EMBER_ASSIGN_OR_RETURN(Codec c, CodecFromClassName(sink.codec()));
    ext = CodecExtension(c);
  }
  EMBER_ASSIGN_OR_RETURN(auto fs, FileSystemFor(path));
  auto existing = fs->Stat(path);
  if (existing.ok()) return AlreadyExists("Output directory " + path + " already exists");
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  std::string root = path.size() > 1 && path.back() == '/' ? path.substr(0, path.size() - 1) : path;
  EMBER_RETURN_IF_ERROR(fs->Mkdirs(root + "/_temporary"));
  return FileOutputCommitter(root, std::move(sink), ext);
}

std::string FileOutputCommitter::FileName(int partition) const {
  char name[32];
  std::snprintf(name, sizeof name, "part-%05d", partition);
  return name + ext_;
}

void FileOutputCommitter::ConfigureTask(proto::TaskDescription* task) const {
  auto* sink = task->mutable_file_output();
  *sink = sink_;
  sink->set_attempt_dir(path_ + "/_temporary/attempt_" + std::to_string(task->task_id()));
  sink->set_file_name(FileName(task->partition()));
}

Status FileOutputCommitter::CommitJob(const std::vector<std::string>& winners) const {
  EMBER_ASSIGN_OR_RETURN(auto fs, FileSystemFor(path_));
  for (size_t p = 0; p < winners.size(); ++p) {
    if (winners[p].empty()) return Internal("partition " + std::to_string(p) + " reported no output file");
    EMBER_RETURN_IF_ERROR(fs->Rename(winners[p], path_ + "/" + FileName(static_cast<int>(p))));
  }
  EMBER_RETURN_IF_ERROR(fs->Delete(path_ + "/_temporary", true));
  if (sink_.frame_file()) return Status::OK();  // a checkpoint holds its part files only, as Spark's
  EMBER_ASSIGN_OR_RETURN(auto success, fs->Create(path_ + "/_SUCCESS"));
  return success->Close();
}

void FileOutputCommitter::AbortJob() const {
  auto fs = FileSystemFor(path_);
  if (fs.ok()) (*fs)->Delete(path_, true);
}

Result<std::string> WriteTaskFile(const std::string& dir, const std::string& name, Codec codec,
                                  const std::function<Status(OutputStream*)>& write) {
  std::string path = dir + "/" + name;
  EMBER_ASSIGN_OR_RETURN(auto fs, FileSystemFor(path));
  EMBER_RETURN_IF_ERROR(fs->Delete(path, false));  // an earlier attempt of this task may have left it
  EMBER_ASSIGN_OR_RETURN(auto file, CreateOutput(path, codec));
  Status st = write(file.get());
  if (st.ok()) st = file->Close();
  if (!st.ok()) {
    file.reset();
    fs->Delete(path, false);
    return st;
  }
  return path;
}

}  // namespace ember::io
