// FileOutputCommitter: the commit protocol of saveAs*File.
//
// Contract: Setup() refuses an existing output path ("Output directory X
// already exists") and creates it with a _temporary directory. Each task
// writes part-NNNNN (plus the codec's extension) in its own attempt
// directory and renames it into its task directory only when complete
// (done by the executor; ConfigureTask fills in the paths). CommitJob()
// moves every task's file into the output directory and writes _SUCCESS;
// AbortJob() removes the output directory, so a failed job leaves no
// partial files.
#pragma once

#include <string>

#include "ember/common/status.h"
#include "ember.pb.h"

namespace ember::io {

class FileOutputCommitter {
 public:
  static Result<FileOutputCommitter> Setup(const std::string& path, const std::string& codec);
  void ConfigureTask(proto::TaskDescription* task) const;
  Status CommitJob(int num_partitions) const;
  void AbortJob() const;

 private:
  FileOutputCommitter(std::string path, std::string codec, std::string ext)
      : path_(std::move(path)), codec_(std::move(codec)), ext_(std::move(ext)) {}
  std::string TaskDir(int partition) const;
  std::string FileName(int partition) const;

  std::string path_, codec_, ext_;
};

}  // namespace ember::io
