// SequenceFile and Writables: Hadoop's vlong encoding against known bytes,
// Writable serialization, round trips for every compression kind and
// codec, splits partitioning the records exactly, metadata, and each
// kind of bad input reported as an error rather than a crash.
#include "ember/io/sequence_file.h"

#include "ember/io/local_file_system.h"
#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>
#include <cmath>
#include <filesystem>
#include <random>
#include <tuple>
#include <vector>

#include "ember/io/buffer_codec.h"
#include "ember/io/byte_io.h"
#include "ember/io/writables.h"

namespace ember::io {
namespace {

using Records = std::vector<std::pair<std::string, std::string>>;

std::string Hex(const std::string& s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (!out.empty()) out += ' ';
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

std::string VLong(int64_t v) {
  std::string s;
  WriteVLong(&s, v);
  return s;
}

Records MakeRecords(int n, uint32_t seed = 1) {
  std::mt19937 rng(seed);
  Records r;
  for (int i = 0; i < n; i++) {
    std::string text(rng() % 200, 'a');
    for (char& c : text) c = static_cast<char>('a' + rng() % 26);
    r.emplace_back(SerializeText("key-" + std::to_string(i)), SerializeText(text));
  }
  return r;
}

std::string WriteFile(const SequenceFileWriterOptions& opts, const Records& records) {
  std::string out;
  auto w = SequenceFileWriter::Create(StringSink(&out), opts);
  EXPECT_TRUE(w.ok()) << w.status().ToString();
  for (const auto& [k, v] : records) EXPECT_TRUE((*w)->Append(k, v).ok());
  EXPECT_TRUE((*w)->Close().ok());
  return out;
}

Result<Records> ReadRange(const std::string& file, int64_t start = 0, int64_t end = -1) {
  std::shared_ptr<ByteSource> src = StringSource(file);
  EMBER_ASSIGN_OR_RETURN(auto reader, SequenceFileReader::Open(src, start, end));
  Records out;
  std::string k, v;
  while (true) {
    EMBER_ASSIGN_OR_RETURN(bool more, reader->Next(&k, &v));
    if (!more) break;
    out.emplace_back(k, v);
  }
  return out;
}

size_t CountOccurrences(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) n++;
  return n;
}

TEST(SequenceFileVLong, KnownEncodings) {
  const std::vector<std::pair<int64_t, std::string>> cases = {
      {0, "00"},
      {1, "01"},
      {-1, "ff"},
      {-112, "90"},
      {127, "7f"},
      {128, "8f 80"},
      {255, "8f ff"},
      {256, "8e 01 00"},
      {-113, "87 70"},
      {-256, "87 ff"},
      {-257, "86 01 00"},
      {65536, "8d 01 00 00"},
      {INT32_MAX, "8c 7f ff ff ff"},
      {INT32_MIN, "84 7f ff ff ff"},
      {INT64_MAX, "88 7f ff ff ff ff ff ff ff"},
      {INT64_MIN, "80 7f ff ff ff ff ff ff ff"},
  };
  for (const auto& [v, hex] : cases) {
    std::string enc = VLong(v);
    EXPECT_EQ(Hex(enc), hex) << v;
    EXPECT_EQ(static_cast<size_t>(VLongSize(static_cast<int8_t>(enc[0]))), enc.size()) << v;
    size_t pos = 0;
    auto back = ReadVLong(enc, &pos);
    ASSERT_TRUE(back.ok()) << v;
    EXPECT_EQ(*back, v);
    EXPECT_EQ(pos, enc.size());
  }
}

TEST(SequenceFileVLong, RoundTripsAndRejectsBadInput) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 10000; i++) {
    int64_t v = static_cast<int64_t>(rng()) >> (rng() % 64);
    std::string enc = VLong(v);
    size_t pos = 0;
    ASSERT_EQ(*ReadVLong(enc, &pos), v);
  }
  size_t pos = 0;
  EXPECT_EQ(ReadVLong(std::string("\x8e\x01", 2), &pos).status().code(), StatusCode::kCorrupt);
  pos = 0;
  EXPECT_EQ(ReadVLong("", &pos).status().code(), StatusCode::kCorrupt);
  std::string big = VLong(int64_t{1} << 40);
  pos = 0;
  EXPECT_EQ(ReadVInt(big, &pos).status().code(), StatusCode::kCorrupt);
}

TEST(SequenceFileWritables, SerializeAndParse) {
  EXPECT_EQ(Hex(SerializeText("hi")), "02 68 69");
  EXPECT_EQ(*ParseText(SerializeText(std::string(300, 'x'))), std::string(300, 'x'));
  EXPECT_EQ(Hex(SerializeInt(-2)), "ff ff ff fe");
  EXPECT_EQ(*ParseInt(SerializeInt(123456789)), 123456789);
  EXPECT_EQ(Hex(SerializeLong(1)), "00 00 00 00 00 00 00 01");
  EXPECT_EQ(*ParseLong(SerializeLong(INT64_MIN)), INT64_MIN);
  EXPECT_EQ(Hex(SerializeFloat(1.0f)), "3f 80 00 00");
  EXPECT_EQ(*ParseFloat(SerializeFloat(-2.5f)), -2.5f);
  EXPECT_EQ(Hex(SerializeDouble(1.0)), "3f f0 00 00 00 00 00 00");
  EXPECT_EQ(*ParseDouble(SerializeDouble(3.25)), 3.25);
  EXPECT_EQ(Hex(SerializeBoolean(true)), "01");
  EXPECT_FALSE(*ParseBoolean(SerializeBoolean(false)));
  EXPECT_EQ(Hex(SerializeBytes("ab")), "00 00 00 02 61 62");
  EXPECT_EQ(*ParseBytes(SerializeBytes(std::string("\0x", 2))), std::string("\0x", 2));
  EXPECT_EQ(SerializeNull(), "");
  EXPECT_TRUE(ParseNull("").ok());

  EXPECT_EQ(ParseInt("abc").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(ParseLong("abc").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(ParseBoolean("").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(ParseText("\x05" "ab").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(ParseText("\x01" "ab").status().code(), StatusCode::kCorrupt);  // trailing byte
  EXPECT_EQ(ParseText("\xff").status().code(), StatusCode::kCorrupt);        // negative length
  EXPECT_EQ(ParseBytes(std::string("\x7f\xff\xff\xff", 4)).status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(ParseNull("x").code(), StatusCode::kCorrupt);
}

using Config = std::tuple<SequenceFileCompression, std::string>;

class SequenceFileFormats : public ::testing::TestWithParam<Config> {
 protected:
  SequenceFileWriterOptions Options() const {
    SequenceFileWriterOptions o;
    o.compression = std::get<0>(GetParam());
    o.codec_class = std::get<1>(GetParam());
    o.block_size = 20000;  // several blocks per test file
    return o;
  }
};

TEST_P(SequenceFileFormats, RoundTripWithManySyncMarkers) {
  Records records = MakeRecords(3000);
  std::string file = WriteFile(Options(), records);
  auto got = ReadRange(file);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, records);

  auto reader = SequenceFileReader::Open(StringSource(file));
  ASSERT_TRUE(reader.ok());
  const SequenceFileHeader& h = (*reader)->header();
  EXPECT_EQ(h.compression, Options().compression);
  EXPECT_EQ(h.key_class, "org.apache.hadoop.io.Text");
  std::string marker(h.sync.data(), 16);
  // The header holds one copy; the body holds several.
  EXPECT_GE(CountOccurrences(file, marker), 5u);
  if (h.compression != SequenceFileCompression::kNone) {
    EXPECT_EQ(h.codec_class, Options().codec_class);
  }
}

TEST_P(SequenceFileFormats, EmptyFile) {
  std::string file = WriteFile(Options(), {});
  auto got = ReadRange(file);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->empty());
}

TEST_P(SequenceFileFormats, SplitsPartitionRecordsExactly) {
  Records records = MakeRecords(1500, 3);
  std::string file = WriteFile(Options(), records);
  int64_t size = static_cast<int64_t>(file.size());
  std::mt19937 rng(11);
  std::vector<std::vector<int64_t>> cut_sets;
  for (int64_t step : {int64_t{1000}, int64_t{2001}, int64_t{4096}, size / 3 + 1, size})
    cut_sets.push_back([&] {
      std::vector<int64_t> c;
      for (int64_t x = 0; x < size; x += step) c.push_back(x);
      return c;
    }());
  for (int t = 0; t < 5; t++) {  // random cut points, including ones inside the header
    std::vector<int64_t> c = {0};
    for (int i = 0; i < 20; i++) c.push_back(rng() % size);
    c.push_back(1 + rng() % 40);
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
    cut_sets.push_back(c);
  }
  for (const auto& cuts : cut_sets) {
    Records all;
    for (size_t i = 0; i < cuts.size(); i++) {
      int64_t end = i + 1 < cuts.size() ? cuts[i + 1] : size;
      auto part = ReadRange(file, cuts[i], end);
      ASSERT_TRUE(part.ok()) << part.status().ToString();
      all.insert(all.end(), part->begin(), part->end());
    }
    ASSERT_EQ(all.size(), records.size()) << "cuts: " << cuts.size();
    EXPECT_EQ(all, records);
  }
}

// Cuts exactly at, just before and just after each sync escape: the
// boundary cases of Hadoop's rule (a split owns the sync region that
// starts in it; a sync escape at or past its end stops it).
TEST_P(SequenceFileFormats, SplitsAtSyncMarkerBoundaries) {
  Records records = MakeRecords(800, 5);
  std::string file = WriteFile(Options(), records);
  const SequenceFileHeader h = (*SequenceFileReader::Open(StringSource(file)))->header();
  std::string escape_and_marker = std::string(4, '\xff') + std::string(h.sync.data(), 16);
  std::vector<int64_t> syncs;
  for (size_t p = file.find(escape_and_marker); p != std::string::npos; p = file.find(escape_and_marker, p + 1))
    syncs.push_back(static_cast<int64_t>(p));
  ASSERT_GE(syncs.size(), 3u);
  for (int64_t delta : {-21, -20, -5, -4, -1, 0, 1, 4, 5, 19, 20, 21}) {
    std::vector<int64_t> cuts = {0, h.header_end + delta};
    for (int64_t s : syncs) cuts.push_back(s + delta);
    Records all;
    for (size_t i = 0; i < cuts.size(); i++) {
      int64_t start = std::max<int64_t>(0, cuts[i]);
      int64_t end = i + 1 < cuts.size() ? cuts[i + 1] : static_cast<int64_t>(file.size());
      if (end <= start) continue;
      auto part = ReadRange(file, start, end);
      ASSERT_TRUE(part.ok()) << part.status().ToString();
      all.insert(all.end(), part->begin(), part->end());
    }
    EXPECT_EQ(all, records) << "delta " << delta;
  }
  // A split starting exactly at a sync escape begins with the records after it.
  auto tail = ReadRange(file, syncs.back());
  ASSERT_TRUE(tail.ok());
  ASSERT_FALSE(tail->empty());
  EXPECT_TRUE(std::equal(tail->begin(), tail->end(), records.end() - static_cast<int64_t>(tail->size())));
  auto none = ReadRange(file, syncs.back() + 1);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

INSTANTIATE_TEST_SUITE_P(
    SequenceFileAllKinds, SequenceFileFormats,
    ::testing::Values(Config{SequenceFileCompression::kNone, ""},
                      Config{SequenceFileCompression::kRecord, "org.apache.hadoop.io.compress.DefaultCodec"},
                      Config{SequenceFileCompression::kRecord, "org.apache.hadoop.io.compress.GzipCodec"},
                      Config{SequenceFileCompression::kRecord, "org.apache.hadoop.io.compress.BZip2Codec"},
                      Config{SequenceFileCompression::kRecord, "org.apache.hadoop.io.compress.Lz4Codec"},
                      Config{SequenceFileCompression::kBlock, "org.apache.hadoop.io.compress.DefaultCodec"},
                      Config{SequenceFileCompression::kBlock, "org.apache.hadoop.io.compress.GzipCodec"},
                      Config{SequenceFileCompression::kBlock, "org.apache.hadoop.io.compress.BZip2Codec"},
                      Config{SequenceFileCompression::kBlock, "org.apache.hadoop.io.compress.Lz4Codec"}));

TEST(SequenceFileTest, HeaderLayoutAndMetadataRoundTrip) {
  SequenceFileWriterOptions o;
  o.key_class = "org.apache.hadoop.io.IntWritable";
  o.value_class = "org.apache.hadoop.io.LongWritable";
  o.metadata = {{"author", "ember"}, {"b", std::string(200, 'z')}, {"", ""}};
  std::string file = WriteFile(o, {{SerializeInt(1), SerializeLong(2)}});
  // "SEQ" 6, Text class names, two false booleans, metadata count 3.
  std::string expect = std::string("SEQ\x06", 4) + SerializeText(o.key_class) + SerializeText(o.value_class) +
                       std::string("\0\0\0\0\0\x03", 6);
  EXPECT_EQ(file.substr(0, expect.size()), expect);
  auto reader = SequenceFileReader::Open(StringSource(file));
  ASSERT_TRUE(reader.ok());
  const SequenceFileHeader& h = (*reader)->header();
  EXPECT_EQ(h.key_class, o.key_class);
  EXPECT_EQ(h.value_class, o.value_class);
  EXPECT_EQ(h.metadata, o.metadata);
  EXPECT_EQ(h.codec_class, "");
  std::string k, v;
  ASSERT_TRUE(*(*reader)->Next(&k, &v));
  EXPECT_EQ(*ParseInt(k), 1);
  EXPECT_EQ(*ParseLong(v), 2);
  // Record: length 12, key length 4, key, value; no sync yet (file is small).
  EXPECT_EQ(Hex(file.substr(h.header_end)), "00 00 00 0c 00 00 00 04 00 00 00 01 00 00 00 00 00 00 00 02");
  EXPECT_FALSE(*(*reader)->Next(&k, &v));
}

TEST(SequenceFileTest, LocalFileRoundTrip) {
  std::string path = ::testing::TempDir() + "/ember_seq_" + std::to_string(::getpid()) + ".seq";
  std::filesystem::remove(path);
  LocalFileSystem local;
  SequenceFileWriterOptions o;
  o.compression = SequenceFileCompression::kBlock;
  Records records = MakeRecords(500);
  {
    auto sink = local.Create(path);
    ASSERT_TRUE(sink.ok());
    auto w = SequenceFileWriter::Create(std::move(sink).value(), o);
    ASSERT_TRUE(w.ok());
    for (const auto& [k, v] : records) ASSERT_TRUE((*w)->Append(k, v).ok());
    ASSERT_TRUE((*w)->Close().ok());
  }
  EXPECT_EQ(local.Create(path).status().code(), StatusCode::kAlreadyExists);
  auto src = local.OpenRead(path);
  ASSERT_TRUE(src.ok());
  auto reader = SequenceFileReader::Open(std::shared_ptr<ByteSource>(std::move(src).value()));
  ASSERT_TRUE(reader.ok());
  Records got;
  std::string k, v;
  while (*(*reader)->Next(&k, &v)) got.emplace_back(k, v);
  EXPECT_EQ(got, records);
  std::filesystem::remove(path);
  EXPECT_EQ(local.OpenRead(path).status().code(), StatusCode::kNotFound);
}

TEST(SequenceFileErrors, WrongMagicAndVersion) {
  std::string file = WriteFile({}, MakeRecords(3));
  std::string bad = file;
  bad[0] = 'X';
  auto r = ReadRange(bad);
  EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(r.status().message().find("SEQ"), std::string::npos) << r.status().message();
  bad = file;
  bad[3] = 5;
  r = ReadRange(bad);
  EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(r.status().message().find("version 5"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("byte 3"), std::string::npos) << r.status().message();
  EXPECT_EQ(ReadRange("").status().code(), StatusCode::kCorrupt);
}

TEST(SequenceFileErrors, UnknownCodec) {
  SequenceFileWriterOptions o;
  o.compression = SequenceFileCompression::kRecord;
  o.codec_class = "org.example.NoSuchCodec";
  std::string out;
  auto w = SequenceFileWriter::Create(StringSink(&out), o);
  EXPECT_EQ(w.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(w.status().message().find("NoSuchCodec"), std::string::npos);
  o.codec_class = "org.apache.hadoop.io.compress.ZStandardCodec";  // known to Hadoop, not here
  EXPECT_EQ(SequenceFileWriter::Create(StringSink(&out), o).status().code(), StatusCode::kInvalidArgument);

  // A file naming a codec we cannot read.
  std::string file = std::string("SEQ\x06", 4) + SerializeText("k") + SerializeText("v") + std::string("\1\0", 2) +
                     SerializeText("org.example.NoSuchCodec") + std::string(4, '\0') + std::string(16, 's');
  auto r = ReadRange(file);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("byte 10"), std::string::npos) << r.status().message();
}

// Every truncation is either a clean end at a record boundary (a prefix of
// the records) or a Corrupt error; never a crash.
TEST(SequenceFileErrors, TruncatedAnywhere) {
  for (auto compression : {SequenceFileCompression::kNone, SequenceFileCompression::kRecord,
                           SequenceFileCompression::kBlock}) {
    SequenceFileWriterOptions o;
    o.compression = compression;
    o.block_size = 300;
    Records records = MakeRecords(20);
    std::string file = WriteFile(o, records);
    int64_t header_end = (*SequenceFileReader::Open(StringSource(file)))->header().header_end;
    for (size_t cut = 0; cut < file.size(); cut++) {
      auto r = ReadRange(file.substr(0, cut));
      if (r.ok()) {
        ASSERT_GE(static_cast<int64_t>(cut), header_end);
        ASSERT_LT(r->size(), records.size());
        ASSERT_TRUE(std::equal(r->begin(), r->end(), records.begin()));
      } else {
        ASSERT_EQ(r.status().code(), StatusCode::kCorrupt) << r.status().ToString();
        ASSERT_NE(r.status().message().find("byte"), std::string::npos);
      }
    }
    // Cutting inside the last record is an error naming its offset.
    auto r = ReadRange(file.substr(0, file.size() - 1));
    EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
  }
}

TEST(SequenceFileErrors, CorruptRecordLengths) {
  std::string file = WriteFile({}, {{SerializeText("k"), SerializeText("value")}});
  int64_t h = (*SequenceFileReader::Open(StringSource(file)))->header().header_end;
  auto with_int = [&](int64_t at, uint32_t v) {
    std::string f = file;
    for (int i = 0; i < 4; i++) f[at + i] = static_cast<char>(v >> (24 - 8 * i));
    return f;
  };
  for (uint32_t bad : {0x80000000u, 0x7fffffffu, 0xfffffffeu, 100u}) {
    auto r = ReadRange(with_int(h, bad));
    EXPECT_EQ(r.status().code(), StatusCode::kCorrupt) << bad;
    EXPECT_NE(r.status().message().find("byte " + std::to_string(h)), std::string::npos) << r.status().message();
  }
  for (uint32_t bad : {0xffffffffu, 0x7fffffffu, 9u}) {  // key length negative or past the record
    auto r = ReadRange(with_int(h + 4, bad));
    EXPECT_EQ(r.status().code(), StatusCode::kCorrupt) << bad;
  }
}

TEST(SequenceFileErrors, SyncMismatchAndCorruptBlocks) {
  SequenceFileWriterOptions o;
  o.compression = SequenceFileCompression::kBlock;
  std::string file = WriteFile(o, MakeRecords(10));
  int64_t h = (*SequenceFileReader::Open(StringSource(file)))->header().header_end;
  std::string bad = file;
  bad[h + 4] ^= 1;  // the block's sync marker
  EXPECT_EQ(ReadRange(bad).status().code(), StatusCode::kCorrupt);
  bad = file;
  bad[h] = 0;  // not a sync escape
  EXPECT_EQ(ReadRange(bad).status().code(), StatusCode::kCorrupt);
  bad = file;
  bad[h + 20] = static_cast<char>(0x8c);  // record count: 4-byte vint, garbage follows
  bad[h + 21] = 0x7f;
  EXPECT_EQ(ReadRange(bad).status().code(), StatusCode::kCorrupt);
  bad = file;
  bad[h + 21] = static_cast<char>(0x8c);  // key-lengths buffer length huge
  bad[h + 22] = 0x7f;
  auto r = ReadRange(bad);
  EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
  bad = file;
  bad[h + 23] ^= 0x55;  // inside the compressed key lengths
  EXPECT_EQ(ReadRange(bad).status().code(), StatusCode::kCorrupt);
  bad = file;
  bad[h + 20] = 11;  // record count disagrees with the buffers
  EXPECT_EQ(ReadRange(bad).status().code(), StatusCode::kCorrupt);

  // Corrupt compressed value in a record-compressed file.
  o.compression = SequenceFileCompression::kRecord;
  file = WriteFile(o, MakeRecords(1));
  bad = file;
  bad[bad.size() - 3] ^= 0x55;
  EXPECT_EQ(ReadRange(bad).status().code(), StatusCode::kCorrupt);
}

TEST(SequenceFileBufferCodec, RoundTripsConcatenationAndLimits) {
  std::string data;
  for (int i = 0; i < 50000; i++) data += std::to_string(i * 7919 % 1000);
  for (Codec c : {Codec::kDeflate, Codec::kGzip, Codec::kBzip2}) {
    auto z = CompressBuffer(c, data);
    ASSERT_TRUE(z.ok());
    EXPECT_EQ(*DecompressBuffer(c, *z, data.size()), data);
    EXPECT_EQ(*DecompressBuffer(c, *CompressBuffer(c, ""), 0), "");
    // Two streams back to back (gzip members, bzip2 streams) read as one.
    EXPECT_EQ(*DecompressBuffer(c, *z + *z, 2 * data.size()), data + data);
    // Never more than max_output bytes, however far the data would expand.
    EXPECT_EQ(DecompressBuffer(c, *z, data.size() - 1).status().code(), StatusCode::kCorrupt);
    EXPECT_EQ(DecompressBuffer(c, z->substr(0, z->size() - 1), data.size()).status().code(),
              StatusCode::kCorrupt);
    EXPECT_EQ(DecompressBuffer(c, "", 100).status().code(), StatusCode::kCorrupt);
    EXPECT_EQ(DecompressBuffer(c, *z + "x", 2 * data.size()).status().code(), StatusCode::kCorrupt);
  }
  EXPECT_EQ(CompressBuffer(Codec::kZstd, "x").status().code(), StatusCode::kInvalidArgument);
}

TEST(SequenceFileErrors, CorruptMetadataCount) {
  std::string file = WriteFile({}, {});
  size_t at = 4 + SerializeText("org.apache.hadoop.io.Text").size() * 2 + 2;
  for (uint32_t bad : {0x80000000u, 0x7fffffffu, 1000u}) {
    std::string f = file;
    for (int i = 0; i < 4; i++) f[at + i] = static_cast<char>(bad >> (24 - 8 * i));
    auto r = ReadRange(f);
    EXPECT_EQ(r.status().code(), StatusCode::kCorrupt) << bad;
  }
}

}  // namespace
}  // namespace ember::io
