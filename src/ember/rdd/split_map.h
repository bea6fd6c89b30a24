// The per-partition split map the file-reading sources (text, sequence
// files, binary records) carry in their node: split i is partition i.
#pragma once

#include <vector>

#include "ember/io/text_split.h"
#include "ember.pb.h"

namespace ember::rdd {

inline void FillSplitMap(const std::vector<io::TextSplit>& splits,
                         google::protobuf::Map<int32_t, proto::TextSplit>* out) {
  for (size_t i = 0; i < splits.size(); ++i) {
    proto::TextSplit& s = (*out)[static_cast<int32_t>(i)];
    s.set_path(splits[i].path);
    s.set_start(splits[i].start);
    s.set_length(splits[i].length);
  }
}

}  // namespace ember::rdd
