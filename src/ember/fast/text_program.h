// A native prefix of a Python pipeline over text lines: the record ops
// ember/fastpath.py recognised, run on the bytes of a UTF-8 line frame
// (lines joined by '\n') with exactly the results the Python functions
// give on the str lines.
//
// Contract: ops apply in order to each line; kSplit is a flatMap
// (str.split()), the filters keep an item or drop it, and kLen / kPair end
// the chain (the Python side never puts an op after them). What comes out
// goes to the sink: Str for a str record or a pair's key (the sink knows
// the pair's value), Int for len(). The frame must be valid UTF-8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ember::fast {

struct TextOp {
  enum class Kind { kSplit, kContains, kNotContains, kStartsWith, kEndsWith, kLen, kPair };
  Kind kind;
  std::string arg;  // the filters' str constant, UTF-8
};

// The kind of the op ember/fastpath.py names `name` ("split", "contains",
// "not_contains", "startswith", "endswith", "len", "pair").
std::optional<TextOp::Kind> TextOpKind(std::string_view name);

class TextSink {
 public:
  virtual ~TextSink() = default;
  virtual void Str(std::string_view s) = 0;
  virtual void Int(int64_t v) = 0;
};

// Runs `ops` over every line of `frame`; returns the number of lines (one
// more than the '\n' in it: an empty frame is one empty line).
int64_t RunTextOps(const std::vector<TextOp>& ops, std::string_view frame, TextSink* sink);

}  // namespace ember::fast
