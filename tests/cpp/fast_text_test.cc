// Native fast paths (src/ember/fast): Python's whitespace and len() on
// UTF-8, the key counter, and text programs over line frames. The Python
// side checks them against Python itself (tests/python/test_fastpath.py).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "ember/fast/key_counts.h"
#include "ember/fast/python_text.h"
#include "ember/fast/text_program.h"

namespace ember::fast {
namespace {

std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  SplitWhitespace(s, [&](std::string_view w) { out.emplace_back(w); });
  return out;
}

TEST(PythonText, SplitsOnEveryPythonWhitespace) {
  // U+00A0, U+2003, U+3000, U+205F, U+0085, U+001C and ASCII runs
  EXPECT_EQ(Words("  a\xc2\xa0" "b\xe2\x80\x83" "c\xe3\x80\x80" "d\xe2\x81\x9f" "e\xc2\x85" "f\x1cg \t\n"),
            (std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g"}));
  // U+00E9, U+2030 (not a space) and U+200B (zero width space: not Python whitespace)
  EXPECT_EQ(Words("\xc3\xa9\xe2\x80\xb0 \xe2\x80\x8bx"), (std::vector<std::string>{"\xc3\xa9\xe2\x80\xb0", "\xe2\x80\x8bx"}));
  EXPECT_TRUE(Words("").empty());
  EXPECT_TRUE(Words(" \xe3\x80\x80 ").empty());
}

TEST(PythonText, CodePointsIsLenOfTheStr) {
  EXPECT_EQ(CodePoints(""), 0);
  EXPECT_EQ(CodePoints("abc"), 3);
  EXPECT_EQ(CodePoints("\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80"), 3);  // é, 日, an emoji
}

TEST(KeyCounts, CountsSumsAndGrowsPastItsFirstTable) {
  KeyCounts counts;
  for (int round = 0; round < 3; ++round)
    for (int i = 0; i < 5000; ++i) counts.Add("k" + std::to_string(i), 0.5);
  counts.Add("", 0.5);
  EXPECT_EQ(counts.size(), 5001u);
  std::map<std::string, std::pair<int64_t, double>> seen;
  counts.ForEach([&](std::string_view k, int64_t n, double sum) { seen[std::string(k)] = {n, sum}; });
  EXPECT_EQ(seen.size(), 5001u);
  EXPECT_EQ(seen["k4999"], std::make_pair(int64_t{3}, 1.5));
  EXPECT_EQ(seen[""], std::make_pair(int64_t{1}, 0.5));
  size_t big = counts.Memory();
  counts.Clear();
  EXPECT_EQ(counts.size(), 0u);
  EXPECT_LT(counts.Memory(), big);
}

class Collect : public TextSink {
 public:
  void Str(std::string_view s) override { strs.emplace_back(s); }
  void Int(int64_t v) override { ints.push_back(v); }
  std::vector<std::string> strs;
  std::vector<int64_t> ints;
};

TEST(TextProgram, RunsOpsOverEachLineAndCountsLines) {
  using K = TextOp::Kind;
  Collect out;
  std::vector<TextOp> ops = {{K::kContains, "ERR"}, {K::kSplit, ""}, {K::kStartsWith, "x"}};
  EXPECT_EQ(RunTextOps(ops, "ERR xa xb\nxc ERR\n\nERR y", &out), 4);
  EXPECT_EQ(out.strs, (std::vector<std::string>{"xa", "xb", "xc"}));
  Collect lens;
  EXPECT_EQ(RunTextOps({{K::kNotContains, "a"}, {K::kLen, ""}}, "a\n\xc3\xa9t\xc3\xa9\n", &lens), 3);
  EXPECT_EQ(lens.ints, (std::vector<int64_t>{3, 0}));
  Collect empty;
  EXPECT_EQ(RunTextOps({}, "", &empty), 1);  // an empty frame is one empty line
  EXPECT_EQ(empty.strs, (std::vector<std::string>{""}));
  EXPECT_EQ(TextOpKind("endswith"), K::kEndsWith);
  EXPECT_FALSE(TextOpKind("upper"));
}

}  // namespace
}  // namespace ember::fast
