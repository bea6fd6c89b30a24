// Whole-file nodes: a source of whole files as records (wholeTextFiles,
// binaryFiles). Partition i reads its run of files, one frame per file:
// [u32 path length][path][file bytes], as text (checked UTF-8) or bytes.
#pragma once

#include <string>

#include "ember/rdd/node_kind.h"

namespace ember::rdd {

// `paths` as for text nodes; the files are cut into at most
// `min_partitions` contiguous runs, as even in count as possible.
Result<proto::Node> MakeWholeFileNode(const std::string& paths, int min_partitions, bool as_text);
const NodeKind& WholeFileNodeKind();

}  // namespace ember::rdd
