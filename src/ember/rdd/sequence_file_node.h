// SequenceFile nodes: a source of SequenceFile splits (sequenceFile,
// pickleFile, the SequenceFile input formats). Partition i reads the
// records of split i — those whose sync region starts inside it
// (io/sequence_file.h) — as WRITABLE_PAIRS frames of about 64 KiB
// (io/writable_pairs.h), converted to Python values by the worker.
// Expected key/value classes, when given, must be those in each file's
// header: a file holding others fails its task with an error naming it.
#pragma once

#include <string>

#include "ember/rdd/node_kind.h"

namespace ember::rdd {

// `paths`: a comma list of files, directories or globs (io/file_list.h);
// splits by Hadoop's FileInputFormat rule with SequenceFileInputFormat's
// minimum split size.
Result<proto::Node> MakeSequenceFileNode(const std::string& paths, int min_partitions,
                                         const std::string& key_class, const std::string& value_class);
const NodeKind& SequenceFileNodeKind();

}  // namespace ember::rdd
