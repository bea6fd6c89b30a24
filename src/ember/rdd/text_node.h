// Text nodes: a source of text-file splits (textFile). Partition i reads
// split i line by line, as UTF-8 or raw byte lines.
#pragma once

#include <string>

#include "ember/rdd/node_kind.h"

namespace ember::rdd {

// `paths`: a comma list of files, directories or globs (io/file_list.h);
// splits as Hadoop's, at least `min_partitions` of them when files allow.
Result<proto::Node> MakeTextNode(const std::string& paths, int min_partitions, bool use_unicode);
const NodeKind& TextNodeKind();

}  // namespace ember::rdd
