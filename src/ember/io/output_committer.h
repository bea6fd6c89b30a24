// FileOutputCommitter: the commit protocol of saveAs*File, on any file
// system (file_system.h).
//
// Contract: Setup() refuses an existing output path ("Output directory X
// already exists") and creates it with a _temporary directory. Each task
// attempt writes part-NNNNN (plus the codec's extension) under its own
// attempt directory (ConfigureTask fills in the paths) and reports the file
// it wrote when complete (WriteTaskFile). CommitJob() publishes, for each
// partition, the file of the attempt that won it — a rename, or on object
// stores (no atomic rename) the file system's copy — removes _temporary
// and writes _SUCCESS (not for checkpoints, which hold their part files
// only, as Spark's do); a failed or speculative attempt's file is never
// published. AbortJob() removes the output directory, so a failed job
// leaves no partial files.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ember/common/status.h"
#include "ember/io/codec.h"
#include "ember.pb.h"

namespace ember::io {

class FileOutputCommitter {
 public:
  // `sink` says what every task writes (ember.proto FileOutputSink): text
  // files compressed whole with its codec (named with the codec's
  // extension), SequenceFiles or frame files; the paths are filled in here.
  static Result<FileOutputCommitter> Setup(const std::string& path, proto::FileOutputSink sink);
  void ConfigureTask(proto::TaskDescription* task) const;
  // winners[p]: the file the winning attempt of partition p reported.
  Status CommitJob(const std::vector<std::string>& winners) const;
  void AbortJob() const;

 private:
  FileOutputCommitter(std::string path, proto::FileOutputSink sink, std::string ext)
      : path_(std::move(path)), sink_(std::move(sink)), ext_(std::move(ext)) {}
  std::string FileName(int partition) const;

  std::string path_;
  proto::FileOutputSink sink_;  // what every task's sink shares
  std::string ext_;
};

// Task side: creates `dir`/`name` (replacing what an earlier attempt of the
// same task left), lets `write` fill it, closes it and returns its path; on
// any failure the partial file is deleted and the error returned.
Result<std::string> WriteTaskFile(const std::string& dir, const std::string& name, Codec codec,
                                  const std::function<Status(OutputStream*)>& write);

}  // namespace ember::io
