// Checkpoint nodes: an RDD read back from checkpoint files; partition i is
// the frame file the checkpoint job wrote for it (frame_file.h), on the
// checkpoint directory's file system (local, HDFS, S3).
#pragma once

#include <string>
#include <vector>

#include "ember/rdd/node_kind.h"

namespace ember::rdd {

// One file per partition; each must exist now (NotFound names the first
// that does not).
Result<proto::Node> MakeCheckpointNode(const std::vector<std::string>& files);
const NodeKind& CheckpointNodeKind();

}  // namespace ember::rdd
