#include "ember/fast/text_program.h"

#include <cstring>

#include "ember/fast/python_text.h"

namespace ember::fast {
namespace {

bool Contains(std::string_view item, const std::string& needle) {
  return needle.empty() || memmem(item.data(), item.size(), needle.data(), needle.size()) != nullptr;
}

void Apply(const std::vector<TextOp>& ops, size_t i, std::string_view item, TextSink* sink) {
  using K = TextOp::Kind;
  for (; i < ops.size(); ++i) {
    const TextOp& op = ops[i];
    switch (op.kind) {
      case K::kSplit:
        SplitWhitespace(item, [&](std::string_view word) { Apply(ops, i + 1, word, sink); });
        return;
      case K::kContains:
        if (!Contains(item, op.arg)) return;
        break;
      case K::kNotContains:
        if (Contains(item, op.arg)) return;
        break;
      case K::kStartsWith:
        if (!item.starts_with(op.arg)) return;
        break;
      case K::kEndsWith:
        if (!item.ends_with(op.arg)) return;
        break;
      case K::kLen:
        sink->Int(CodePoints(item));
        return;
      case K::kPair:
        sink->Str(item);
        return;
    }
  }
  sink->Str(item);
}

}  // namespace

std::optional<TextOp::Kind> TextOpKind(std::string_view name) {
  using K = TextOp::Kind;
  static const std::pair<std::string_view, K> kNames[] = {
      {"split", K::kSplit},           {"contains", K::kContains}, {"not_contains", K::kNotContains},
      {"startswith", K::kStartsWith}, {"endswith", K::kEndsWith}, {"len", K::kLen},
      {"pair", K::kPair}};
  for (const auto& [n, kind] : kNames)
    if (n == name) return kind;
  return std::nullopt;
}

int64_t RunTextOps(const std::vector<TextOp>& ops, std::string_view frame, TextSink* sink) {
  int64_t lines = 0;
  size_t start = 0;
  while (true) {
    const void* nl = std::memchr(frame.data() + start, '\n', frame.size() - start);
    size_t end = nl ? static_cast<const char*>(nl) - frame.data() : frame.size();
    Apply(ops, 0, frame.substr(start, end - start), sink);
    ++lines;
    if (!nl) return lines;
    start = end + 1;
  }
}

}  // namespace ember::fast
