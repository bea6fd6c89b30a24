// io layer: every line of a file is read by exactly one split whatever the
// split size and terminators; codecs round-trip; bad input is reported
// with the file and offset.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "ember/common/file_util.h"
#include "ember/io/codec.h"
#include "ember/io/file_list.h"
#include "ember/io/line_reader.h"
#include "ember/io/text_split.h"

namespace ember::io {
namespace {

class IoTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = *MakeTempDir("/tmp", "ember-io-test-"); }
  void TearDown() override { RemoveTree(dir_); }
  std::string Write(const std::string& name, const std::string& data) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << data;
    return path;
  }
  std::string dir_;
};

std::vector<std::string> ReadAll(const TextSplit& split, size_t chunk = 64 * 1024) {
  auto r = LineChunkReader::Open(split, true, chunk);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::string> lines;
  std::string c;
  for (;;) {
    auto more = (*r)->Next(&c);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    size_t start = 0;
    for (size_t nl; (nl = c.find('\n', start)) != std::string::npos; start = nl + 1)
      lines.push_back(c.substr(start, nl - start));
    lines.push_back(c.substr(start));
  }
  return lines;
}

// The reference: split on \n, \r and \r\n; no line after a final terminator.
std::vector<std::string> Reference(const std::string& data) {
  std::vector<std::string> lines;
  std::string cur;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\n' || data[i] == '\r') {
      lines.push_back(cur);
      cur.clear();
      if (data[i] == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
    } else {
      cur += data[i];
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

TEST_F(IoTest, EveryLineInExactlyOneSplitForAnySplitSize) {
  std::mt19937 rng(7);
  const char* terms[] = {"\n", "\r\n", "\r"};
  for (int file = 0; file < 40; ++file) {
    std::string data;
    int lines = static_cast<int>(rng() % 12);
    for (int i = 0; i < lines; ++i) {
      data += std::string(rng() % 7, static_cast<char>('a' + i % 26));
      if (i + 1 < lines || rng() % 2) data += terms[rng() % 3];
    }
    std::string path = Write("f" + std::to_string(file) + ".txt", data);
    auto expected = Reference(data);
    for (int64_t size = 1; size <= static_cast<int64_t>(data.size()) + 1; ++size) {
      std::vector<std::string> got;
      for (const auto& split : ComputeTextSplits({{path, static_cast<int64_t>(data.size())}}, 1, size)) {
        auto part = ReadAll(split, 1 + rng() % 8);
        got.insert(got.end(), part.begin(), part.end());
      }
      ASSERT_EQ(got, expected) << "file " << file << " split size " << size;
    }
  }
}

TEST_F(IoTest, SplitsFollowHadoopSizes) {
  std::string path = Write("big.txt", std::string(1000, 'x'));
  auto splits = ComputeTextSplits({{path, 1000}}, 3);
  ASSERT_EQ(splits.size(), 3u);
  EXPECT_EQ(splits[0].length, 333);
  EXPECT_EQ(splits[2].start + splits[2].length, 1000);
  EXPECT_EQ(ComputeTextSplits({{path, 1000}}, 1, 450).size(), 3u);   // 450, 450, 100
  EXPECT_EQ(ComputeTextSplits({{path, 1050}}, 1, 1000).size(), 1u);  // 1050 <= 1.1 x 1000: one split
  auto gz = ComputeTextSplits({{dir_ + "/a.gz", 1000}}, 4);
  ASSERT_EQ(gz.size(), 1u);
  EXPECT_EQ(gz[0].length, -1);
}

TEST_F(IoTest, CodecsRoundTrip) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "line " + std::to_string(i) + "\n";
  for (Codec c : {Codec::kNone, Codec::kGzip, Codec::kBzip2, Codec::kZstd, Codec::kLz4, Codec::kDeflate}) {
    std::string path = dir_ + "/rt" + CodecExtension(c);
    auto out = CreateOutput(path, c);
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE((*out)->Write(text.substr(0, 1000)).ok());
    ASSERT_TRUE((*out)->Write(text.substr(1000)).ok());
    ASSERT_TRUE((*out)->Close().ok());
    EXPECT_EQ(ReadAll({path, 0, -1}), Reference(text)) << CodecExtension(c);
    EXPECT_FALSE(CreateOutput(path, c).ok());  // never overwrites
  }
}

TEST_F(IoTest, TruncatedGzipIsCorrupt) {
  std::string path = dir_ + "/t.gz";
  {
    auto out = CreateOutput(path, Codec::kGzip);
    std::string text;
    for (int i = 0; i < 100000; ++i) text += std::to_string(i * 7919) + "\n";
    ASSERT_TRUE((*out)->Write(text).ok());
    ASSERT_TRUE((*out)->Close().ok());
  }
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Write("t.gz", data.substr(0, data.size() / 2));
  auto r = LineChunkReader::Open({path, 0, -1}, true);
  ASSERT_TRUE(r.ok());
  std::string chunk;
  Status st;
  for (;;) {
    auto more = (*r)->Next(&chunk);
    if (!more.ok()) { st = more.status(); break; }
    if (!*more) break;
  }
  EXPECT_EQ(st.code(), StatusCode::kCorrupt);
  EXPECT_NE(st.message().find("t.gz"), std::string::npos);
}

TEST_F(IoTest, InvalidUtf8NamesFileAndOffset) {
  std::string path = Write("bad.txt", "ok\nab\xc3\x28z\n");
  auto r = LineChunkReader::Open({path, 0, 9}, true);
  std::string chunk;
  auto more = (*r)->Next(&chunk);
  ASSERT_FALSE(more.ok());
  EXPECT_NE(more.status().message().find("bad.txt at byte 5"), std::string::npos) << more.status().message();
  size_t bad = 0;
  EXPECT_FALSE(ValidateUtf8("\xed\xa0\x80", &bad));   // surrogate
  EXPECT_FALSE(ValidateUtf8("\xc0\xaf", &bad));       // overlong
  EXPECT_FALSE(ValidateUtf8("abc\xf0\x9f\x98", &bad));  // truncated at the end
  EXPECT_EQ(bad, 3u);
  EXPECT_TRUE(ValidateUtf8("h\xc3\xa9llo \xf0\x9f\x98\x80", &bad));
}

TEST_F(IoTest, FileListing) {
  Write("b.txt", "b");
  Write("a.txt", "a");
  Write("_SUCCESS", "");
  Write(".hidden", "");
  auto dir = ListInputFiles(dir_);
  ASSERT_TRUE(dir.ok());
  ASSERT_EQ(dir->size(), 2u);
  EXPECT_EQ((*dir)[0].path, dir_ + "/a.txt");
  auto glob = ListInputFiles(dir_ + "/b*," + dir_ + "/a.txt");
  ASSERT_TRUE(glob.ok());
  EXPECT_EQ(glob->size(), 2u);
  auto missing = ListInputFiles(dir_ + "/nope");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("Input path does not exist"), std::string::npos);
  EXPECT_EQ(ListInputFiles(dir_ + "/*.csv").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace ember::io
