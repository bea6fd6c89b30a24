// LineChunkReader: Hadoop's line and split-boundary rules, chunking, UTF-8
// validation; ValidateUtf8 against a plain reference decoder.
#include "ember/io/line_reader.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace ember::io {
namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/ember_line_reader_XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Path(const std::string& name) const { return path_ + "/" + name; }
  std::string Write(const std::string& name, const std::string& data) const {
    std::string p = Path(name);
    std::ofstream(p, std::ios::binary | std::ios::trunc) << data;
    return p;
  }

 private:
  std::string path_;
};

// Lines as Hadoop defines them, computed the obvious (slow) way.
std::vector<std::string> ReferenceLines(const std::string& data) {
  std::vector<std::string> lines;
  std::string cur;
  bool open = false;
  for (size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    if (c == '\n' || c == '\r') {
      lines.push_back(cur);
      cur.clear();
      open = false;
      if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
    } else {
      cur.push_back(c);
      open = true;
    }
  }
  if (open) lines.push_back(cur);
  return lines;
}

void AppendChunkLines(const std::string& chunk, std::vector<std::string>* out) {
  size_t from = 0;
  for (;;) {
    size_t nl = chunk.find('\n', from);
    out->push_back(chunk.substr(from, nl == std::string::npos ? std::string::npos : nl - from));
    if (nl == std::string::npos) return;
    from = nl + 1;
  }
}

Result<std::vector<std::string>> TryReadSplit(const TextSplit& split, bool validate = true,
                                              size_t target = 64 * 1024) {
  EMBER_ASSIGN_OR_RETURN(auto reader, LineChunkReader::Open(split, validate, target));
  std::vector<std::string> lines;
  std::string chunk;
  for (;;) {
    EMBER_ASSIGN_OR_RETURN(bool more, reader->Next(&chunk));
    if (!more) return lines;
    AppendChunkLines(chunk, &lines);
  }
}

std::vector<std::string> ReadSplit(const TextSplit& split, size_t target = 64 * 1024) {
  auto lines = TryReadSplit(split, true, target);
  EXPECT_TRUE(lines.ok()) << lines.status().ToString();
  return lines.ok() ? *lines : std::vector<std::string>{};
}

// Every split of `split_size` bytes, lines concatenated in split order.
std::vector<std::string> ReadBySplits(const std::string& path, int64_t size, int64_t split_size,
                                      size_t target = 64 * 1024) {
  std::vector<std::string> all;
  for (int64_t start = 0; start < size; start += split_size) {
    auto part = ReadSplit({path, start, std::min(split_size, size - start)}, target);
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

using Lines = std::vector<std::string>;

TEST(LineReaderTest, LineTerminatorsAndEdges) {
  TempDir dir;
  const std::vector<std::pair<std::string, Lines>> cases = {
      {"", {}},
      {"a", {"a"}},
      {"a\nb\nc", {"a", "b", "c"}},
      {"a\nb\n", {"a", "b"}},
      {"\n", {""}},
      {"\n\n", {"", ""}},
      {"a\n\nb", {"a", "", "b"}},
      {"a\r\nb\r\n", {"a", "b"}},
      {"a\rb\r", {"a", "b"}},
      {"\r", {""}},
      {"\r\n", {""}},
      {"\n\r", {"", ""}},
      {"a\r\r\nb\n\rc", {"a", "", "b", "", "c"}},
      {"x\r\n\r\ny", {"x", "", "y"}},
  };
  for (const auto& [data, want] : cases) {
    std::string path = dir.Write("f.txt", data);
    EXPECT_EQ(ReadSplit({path, 0, static_cast<int64_t>(data.size())}), want) << testing::PrintToString(data);
    EXPECT_EQ(ReadSplit({path, 0, -1}), want) << testing::PrintToString(data);
    EXPECT_EQ(ReferenceLines(data), want) << testing::PrintToString(data);
  }
}

TEST(LineReaderTest, ChunksJoinLinesWithNoTrailingNewline) {
  TempDir dir;
  std::string path = dir.Write("f.txt", "a\r\nbb\n\nccc\r");
  auto reader = LineChunkReader::Open({path, 0, -1}, true, 1);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> chunks;
  std::string chunk;
  while (*(*reader)->Next(&chunk)) chunks.push_back(chunk);
  // An empty line is below any target, so the next line joins its chunk.
  EXPECT_EQ(chunks, (Lines{"a", "bb", "\nccc"}));

  reader = LineChunkReader::Open({path, 0, -1}, true, 1 << 16);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(*(*reader)->Next(&chunk));
  EXPECT_EQ(chunk, "a\nbb\n\nccc");
  EXPECT_FALSE(*(*reader)->Next(&chunk));
  EXPECT_FALSE(*(*reader)->Next(&chunk));  // stays done
}

TEST(LineReaderTest, ChunksStayNearTarget) {
  TempDir dir;
  std::string data;
  for (int i = 0; i < 100000; ++i) data += "line " + std::to_string(i) + "\n";
  std::string path = dir.Write("f.txt", data);
  auto reader = LineChunkReader::Open({path, 0, -1}, true, 4096);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> chunks;
  std::string chunk;
  Lines lines;
  while (*(*reader)->Next(&chunk)) {
    chunks.push_back(chunk);
    AppendChunkLines(chunk, &lines);
  }
  EXPECT_EQ(lines, ReferenceLines(data));
  ASSERT_GT(chunks.size(), data.size() / 4200);
  for (size_t i = 0; i + 1 < chunks.size(); ++i) {  // only the last chunk may be short
    EXPECT_GE(chunks[i].size(), 4096u);
    EXPECT_LE(chunks[i].size(), 4096u + 20);
  }
}

TEST(LineReaderTest, EmptyFileAndEmptySplit) {
  TempDir dir;
  std::string path = dir.Write("empty.txt", "");
  std::string chunk = "stale";
  auto reader = LineChunkReader::Open({path, 0, 0}, true);
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE(*(*reader)->Next(&chunk));
  EXPECT_EQ(chunk, "");
  EXPECT_EQ(ReadSplit({path, 0, -1}), Lines{});
}

// Each split's own lines, for boundaries at and around "\r\n" and '\r'.
TEST(LineReaderTest, SplitBoundaryRule) {
  TempDir dir;
  std::string path = dir.Write("f.txt", "aa\r\nbb\rcc\ndd");  // offsets: \r 2, \n 3, \r 6, \n 9
  auto split = [&](int64_t start, int64_t len) { return ReadSplit({path, start, len}); };
  // Split 2 starts on the '\n' of "\r\n": that '\n' is its skipped "line".
  EXPECT_EQ(split(0, 3), Lines{"aa"});
  EXPECT_EQ(split(3, 10), (Lines{"bb", "cc", "dd"}));
  // Split 2 starts on the '\r': the line "aa" ends there and was split 1's.
  EXPECT_EQ(split(0, 2), Lines{"aa"});
  EXPECT_EQ(split(2, 11), (Lines{"bb", "cc", "dd"}));
  // A line starting exactly at a split's end belongs to that split.
  EXPECT_EQ(split(0, 4), (Lines{"aa", "bb"}));
  EXPECT_EQ(split(4, 9), (Lines{"cc", "dd"}));
  // Starting mid-line skips the rest of that line.
  EXPECT_EQ(split(5, 8), (Lines{"cc", "dd"}));
  EXPECT_EQ(split(8, 1), Lines{});  // "dd" starts at 10, after this split's end
  EXPECT_EQ(split(8, 2), Lines{"dd"});
  EXPECT_EQ(split(10, 3), Lines{});
  EXPECT_EQ(split(12, 1), Lines{});
}

std::string RandomFile(std::mt19937& rng, bool trailing) {
  static const char* kPieces[] = {"a", "b", "z", " ", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
  static const char* kTerms[] = {"\n", "\r", "\r\n"};
  std::string data;
  int lines = std::uniform_int_distribution<int>(0, 12)(rng);
  for (int i = 0; i < lines; ++i) {
    int len = std::uniform_int_distribution<int>(0, 6)(rng);
    for (int k = 0; k < len; ++k) data += kPieces[rng() % 7];
    if (i + 1 < lines || trailing) data += kTerms[rng() % 3];
  }
  return data;
}

// The core property: whatever the split size, every line comes out of
// exactly one split, in order.
TEST(LineReaderTest, EverySplitSizeYieldsEachLineOnce) {
  TempDir dir;
  std::mt19937 rng(20240601);
  const size_t kTargets[] = {1, 3, 64 * 1024};
  for (int iter = 0; iter < 250; ++iter) {
    std::string data = RandomFile(rng, iter % 2 == 0);
    std::string path = dir.Write("f" + std::to_string(iter) + ".txt", data);
    Lines want = ReferenceLines(data);
    int64_t size = static_cast<int64_t>(data.size());
    for (int64_t split_size = 1; split_size <= size + 1; ++split_size) {
      size_t target = kTargets[rng() % 3];
      ASSERT_EQ(ReadBySplits(path, size, split_size, target), want)
          << "data " << testing::PrintToString(data) << " split size " << split_size;
    }
  }
}

TEST(LineReaderTest, ComputedSplitsYieldEachLineOnce) {
  TempDir dir;
  std::mt19937 rng(7);
  for (int iter = 0; iter < 40; ++iter) {
    std::string data = RandomFile(rng, iter % 3 != 0);
    std::string path = dir.Write("f.txt", data);
    for (int parts = 1; parts <= 12; ++parts) {
      Lines got;
      for (const auto& s : ComputeTextSplits({{path, static_cast<int64_t>(data.size())}}, parts)) {
        auto part = ReadSplit(s);
        got.insert(got.end(), part.begin(), part.end());
      }
      ASSERT_EQ(got, ReferenceLines(data)) << testing::PrintToString(data) << " parts " << parts;
    }
  }
}

// The first refill of a whole-file read is exactly 1 MiB: put terminators
// on both sides of that edge.
TEST(LineReaderTest, TerminatorsAtTheReadBufferEdge) {
  TempDir dir;
  const size_t kEdge = 1 << 20;
  const std::vector<std::string> tails = {"\r\nx", "\rx", "\r\r", "\r\n", "\r", "\n\r\n"};
  for (size_t at = kEdge - 3; at <= kEdge + 1; ++at) {
    for (const auto& tail : tails) {
      std::string data(at, 'q');
      for (size_t i = 100; i < at; i += 1000) data[i] = '\n';
      data += tail + "after\r\nend";
      std::string path = dir.Write("edge.txt", data);
      Lines want = ReferenceLines(data);
      int64_t size = static_cast<int64_t>(data.size());
      ASSERT_EQ(ReadSplit({path, 0, -1}), want) << at << testing::PrintToString(tail);
      for (int64_t split_size : {int64_t(kEdge) - 1, int64_t(kEdge), int64_t(at), int64_t(at) + 1, 999983L})
        ASSERT_EQ(ReadBySplits(path, size, split_size), want) << at << " " << split_size;
    }
  }
}

// A split's first read is 1 MiB here; the "\r\n" ending the line it skips
// straddles that read's edge, so its '\n' must not become an empty line.
TEST(LineReaderTest, SkippedLineEndsAcrossTheReadEdge) {
  TempDir dir;
  const int64_t kStart = 10;
  std::string data = "0123456789" + std::string((1 << 20) - 1, 'x') + "\r\nnext\r\nlast";
  std::string path = dir.Write("skip.txt", data);
  EXPECT_EQ(ReadSplit({path, kStart, 2 << 20}), (Lines{"next", "last"}));
  EXPECT_EQ(ReadSplit({path, 0, kStart}).size(), 1u);
  for (const char* tail : {"\rnext", "\r\rnext"}) {  // lone '\r' at the edge
    data = "0123456789" + std::string((1 << 20) - 1, 'x') + tail;
    path = dir.Write("skip.txt", data);
    Lines want = ReferenceLines(data);
    want.erase(want.begin());
    EXPECT_EQ(ReadSplit({path, kStart, 2 << 20}), want) << testing::PrintToString(tail);
  }
}

TEST(LineReaderTest, LinesLongerThanTheBuffer) {
  TempDir dir;
  std::string data = "first\n" + std::string(3 << 20, 'L') + "\r\n" + std::string(5, 'm') + "\r" +
                     std::string((1 << 20) + 7, 'n');
  std::string path = dir.Write("long.txt", data);
  Lines want = ReferenceLines(data);
  ASSERT_EQ(want.size(), 4u);
  int64_t size = static_cast<int64_t>(data.size());
  EXPECT_EQ(ReadSplit({path, 0, -1}), want);
  for (int64_t split_size : {1L << 20, 1000000L, 3L << 20, size})
    EXPECT_EQ(ReadBySplits(path, size, split_size), want) << split_size;
  // Starts inside the long line and ends just after "mmmmm" starts.
  EXPECT_EQ(ReadSplit({path, 10, 3 << 20}), Lines{"mmmmm"});
  EXPECT_EQ(ReadSplit({path, 10, 5}), Lines{});
}

TEST(LineReaderTest, RandomLargeFileAcrossRefills) {
  TempDir dir;
  std::mt19937 rng(99);
  std::string data;
  static const char* kTerms[] = {"\n", "\r", "\r\n"};
  while (data.size() < (6u << 20)) {
    size_t len = rng() % 16 == 0 ? rng() % 300000 : rng() % 120;
    data.append(len, static_cast<char>('a' + rng() % 26));
    data += kTerms[rng() % 3];
  }
  data += "tail-without-terminator";
  std::string path = dir.Write("big.txt", data);
  Lines want = ReferenceLines(data);
  int64_t size = static_cast<int64_t>(data.size());
  EXPECT_EQ(ReadSplit({path, 0, -1}), want);
  for (int64_t split_size : {(1L << 20) - 1, 1L << 20, (1L << 20) + 1, 300001L, 4L << 20})
    EXPECT_EQ(ReadBySplits(path, size, split_size, 1 + rng() % 100000), want) << split_size;
}

TEST(LineReaderTest, InvalidUtf8NamesFileAndOffset) {
  TempDir dir;
  std::string path = dir.Write("bad.txt", "good line\nbad \xff here\n");
  auto lines = TryReadSplit({path, 0, -1});
  ASSERT_FALSE(lines.ok());
  EXPECT_EQ(lines.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(lines.status().message(),
            "invalid UTF-8 in " + path + " at byte 14 (use_unicode=False reads bytes)");
  // Without validation the bytes pass through.
  auto raw = TryReadSplit({path, 0, -1}, false);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(*raw, (Lines{"good line", "bad \xff here"}));
  // A split validates only its own lines and reports file offsets.
  EXPECT_EQ(ReadSplit({path, 0, 5}), Lines{"good line"});
  auto second = TryReadSplit({path, 5, 17});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("at byte 14 "), std::string::npos);
}

TEST(LineReaderTest, InvalidUtf8OffsetsFarIntoTheFile) {
  TempDir dir;
  std::string data;
  while (data.size() < (3u << 20)) data += "some ascii text, and caf\xc3\xa9\r\n";
  size_t bad_at = data.size() + 4;
  data += "abcd\xe2\x82\nnext\n";  // a sequence cut short by the line's end
  std::string path = dir.Write("far.txt", data);
  for (int64_t split_size : {int64_t(data.size()), 1L << 20, 777777L}) {
    Status last;
    for (int64_t start = 0; start < int64_t(data.size()) && last.ok(); start += split_size)
      last = TryReadSplit({path, start, std::min<int64_t>(split_size, data.size() - start)}).status();
    EXPECT_EQ(last.code(), StatusCode::kCorrupt);
    EXPECT_NE(last.message().find("at byte " + std::to_string(bad_at) + " "), std::string::npos)
        << last.message();
  }
}

TEST(LineReaderTest, SequenceTruncatedAtEndOfFile) {
  TempDir dir;
  std::string path = dir.Write("t.txt", "ok\nab\xf0\x9f\x98");
  auto lines = TryReadSplit({path, 0, -1});
  ASSERT_FALSE(lines.ok());
  EXPECT_NE(lines.status().message().find("at byte 5 "), std::string::npos) << lines.status().message();
}

TEST(LineReaderTest, CompressedFileIsReadWhole) {
  TempDir dir;
  std::string data;
  for (int i = 0; i < 50000; ++i) data += "row " + std::to_string(i) + (i % 3 ? "\r\n" : "\n");
  std::string path = dir.Path("c.gz");
  {
    auto out = CreateOutput(path, Codec::kGzip);
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE((*out)->Write(data).ok());
    ASSERT_TRUE((*out)->Close().ok());
  }
  EXPECT_EQ(ReadSplit({path, 0, -1}), ReferenceLines(data));
  auto splits = ComputeTextSplits({{path, 1 << 20}}, 8);
  ASSERT_EQ(splits.size(), 1u);
  EXPECT_EQ(ReadSplit(splits[0]), ReferenceLines(data));
  EXPECT_FALSE(LineChunkReader::Open({path, 100, 50}, true).ok());  // no offsets into compressed data
}

TEST(LineReaderTest, InvalidUtf8InCompressedFileUsesDecompressedOffset) {
  TempDir dir;
  std::string path = dir.Path("c.zst");
  {
    auto out = CreateOutput(path, Codec::kZstd);
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE((*out)->Write(std::string(100000, 'a') + "\n\xed\xa0\x80\n").ok());
    ASSERT_TRUE((*out)->Close().ok());
  }
  auto lines = TryReadSplit({path, 0, -1});
  ASSERT_FALSE(lines.ok());
  EXPECT_NE(lines.status().message().find("c.zst at byte 100001 "), std::string::npos)
      << lines.status().message();
}

TEST(LineReaderTest, MissingFileIsNotFound) {
  auto r = LineChunkReader::Open({"/nonexistent/ember/x.txt", 0, -1}, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/ember/x.txt"), std::string::npos);
}

// --------------------------------------------------------------- UTF-8

// Reference: decode the code point, then check its range.
bool ReferenceUtf8(const std::string& s, size_t* bad) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = 0; i < s.size();) {
    unsigned c = p[i];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      ok = (p[i + k] & 0xC0) == 0x80;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (!ok || cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      *bad = i;
      return false;
    }
    i += len;
  }
  return true;
}

TEST(Utf8Test, AcceptsWellFormedText) {
  for (std::string s : {"", "plain ascii", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                        "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf", "\xc2\x80"}) {
    size_t bad = 12345;
    EXPECT_TRUE(ValidateUtf8(s, &bad)) << testing::PrintToString(s);
    EXPECT_EQ(bad, 12345u);
  }
}

TEST(Utf8Test, RejectsWithOffsetOfTheBadSequence) {
  const std::vector<std::string> bad_seqs = {
      "\x80",             "\xbf",             "\xc0\x80",         "\xc1\xbf",  // stray, overlong
      "\xe0\x80\x80",     "\xe0\x9f\xbf",     "\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",
      "\xed\xa0\x80",     "\xed\xbf\xbf",                                          // surrogates
      "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff",             "\xfe",          // > U+10FFFF
      "\xc3",             "\xe2\x82",         "\xf0\x9f\x98",                      // truncated
      "\xc3\x41",         "\xe2\x28\xa1",     "\xf0\x9f\x41\x80",                  // bad continuation
  };
  for (const auto& seq : bad_seqs) {
    for (size_t prefix = 0; prefix < 20; ++prefix) {
      std::string head = std::string(prefix, 'a') + (prefix % 3 == 1 ? "\xc3\xa9" : "");
      for (const char* tail : {"tail", ""}) {  // "": the sequence ends the input
        std::string s = head + seq + tail;
        size_t got = 0;
        EXPECT_FALSE(ValidateUtf8(s, &got)) << testing::PrintToString(s);
        EXPECT_EQ(got, head.size()) << testing::PrintToString(s);
      }
    }
  }
}

TEST(Utf8Test, MatchesReferenceOnRandomInput) {
  std::mt19937 rng(12345);
  for (int iter = 0; iter < 200000; ++iter) {
    std::string s;
    int parts = rng() % 6;
    for (int k = 0; k < parts; ++k) {
      switch (rng() % 4) {
        case 0: s.append(rng() % 40, 'x'); break;
        case 1: s.push_back(static_cast<char>(rng())); break;
        case 2: {  // a valid-looking lead byte with random continuation
          static const unsigned char kLeads[] = {0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf4};
          s.push_back(static_cast<char>(kLeads[rng() % 8]));
          for (int c = rng() % 4; c > 0; --c) s.push_back(static_cast<char>(0x80 + rng() % 0x40));
          break;
        }
        default: s.push_back(static_cast<char>(0x80 + rng() % 0x80)); break;
      }
    }
    if (iter % 4 == 0) {  // long valid text with at most one damaged byte, so errors sit deep in blocks
      s.clear();
      for (int k = rng() % 200; k > 0; --k) {
        static const char* kChars[] = {"a", " ", "\xc3\xa9", "\xd0\x96", "\xe4\xb8\xad", "\xf0\x9f\x98\x80"};
        s += kChars[rng() % 6];
      }
      if (!s.empty() && rng() % 2) s[rng() % s.size()] = static_cast<char>(rng());
      if (!s.empty() && rng() % 4 == 0) s.pop_back();
    }
    size_t want = 0, got = 0;
    bool ok = ReferenceUtf8(s, &want);
    ASSERT_EQ(ValidateUtf8(s, &got), ok) << testing::PrintToString(s);
    if (!ok) {
      ASSERT_EQ(got, want) << testing::PrintToString(s);
    }
  }
}

}  // namespace
}  // namespace ember::io
