// Text nodes: a source of text-file splits (textFile). Partition i reads
// split i line by line, as UTF-8 or raw byte lines — or, for Hadoop's
// TextInputFormat (with_offsets), as (LongWritable byte offset, Text line)
// WRITABLE_PAIRS frames (io/writable_pairs.h).
#pragma once

#include <string>

#include "ember/rdd/node_kind.h"

namespace ember::rdd {

// `paths`: a comma list of files, directories or globs (io/file_list.h);
// splits as Hadoop's, at least `min_partitions` of them when files allow.
Result<proto::Node> MakeTextNode(const std::string& paths, int min_partitions, bool use_unicode,
                                 bool with_offsets = false);
const NodeKind& TextNodeKind();

}  // namespace ember::rdd
