// Codecs: names, round trips through CreateOutput/OpenInput, files made by
// the libraries' own one-shot APIs, multi-member input, corrupt and
// truncated data, file errors.
#include "ember/io/codec.h"

#include <bzlib.h>
#include <gtest/gtest.h>
#include <lz4frame.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>

namespace ember::io {
namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/ember_codec_XXXXXX";
    path_ = ::mkdtemp(tmpl);
    ::chmod(path_.c_str(), 0755);  // lets the unprivileged child below in
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Path(const std::string& name) const { return path_ + "/" + name; }
  std::string Write(const std::string& name, const std::string& data) const {
    std::ofstream(Path(name), std::ios::binary | std::ios::trunc) << data;
    return Path(name);
  }

 private:
  std::string path_;
};

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const Codec kAllCodecs[] = {Codec::kNone, Codec::kGzip, Codec::kBzip2, Codec::kZstd, Codec::kLz4, Codec::kDeflate};
const Codec kCompressed[] = {Codec::kGzip, Codec::kBzip2, Codec::kZstd, Codec::kLz4, Codec::kDeflate};

Status WriteFile(const std::string& path, Codec codec, const std::string& data, std::mt19937* rng) {
  EMBER_ASSIGN_OR_RETURN(auto out, CreateOutput(path, codec));
  for (size_t at = 0; at < data.size();) {
    size_t n = std::min<size_t>(data.size() - at, 1 + (*rng)() % 200000);
    EMBER_RETURN_IF_ERROR(out->Write(std::string_view(data).substr(at, n)));
    at += n;
  }
  return out->Close();
}

Result<std::string> ReadFile(const std::string& path, size_t read_size) {
  EMBER_ASSIGN_OR_RETURN(auto in, OpenInput(path));
  std::string all, buf(read_size, '\0');
  for (;;) {
    EMBER_ASSIGN_OR_RETURN(size_t got, in->Read(buf.data(), buf.size()));
    if (got == 0) return all;
    all.append(buf.data(), got);
  }
}

std::string MixedData(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string data;
  while (data.size() < size) {
    if (rng() % 3 == 0) {
      for (int i = 0; i < 500; ++i) data.push_back(static_cast<char>(rng()));
    } else {
      data += "the quick brown fox " + std::to_string(rng() % 1000) + "\n";
    }
  }
  data.resize(size);
  return data;
}

TEST(CodecTest, ChosenByExtension) {
  EXPECT_EQ(CodecForPath("/x/a.gz"), Codec::kGzip);
  EXPECT_EQ(CodecForPath("/x/a.txt.bz2"), Codec::kBzip2);
  EXPECT_EQ(CodecForPath("a.zst"), Codec::kZstd);
  EXPECT_EQ(CodecForPath("a.lz4"), Codec::kLz4);
  EXPECT_EQ(CodecForPath("part-00000.deflate"), Codec::kDeflate);
  EXPECT_EQ(CodecForPath("/x/a.txt"), Codec::kNone);
  EXPECT_EQ(CodecForPath("/x/gz"), Codec::kNone);
  EXPECT_TRUE(IsSplittable(Codec::kNone));
  for (Codec c : kCompressed) {
    EXPECT_FALSE(IsSplittable(c));
    EXPECT_EQ(CodecForPath("f" + CodecExtension(c)), c);
  }
  EXPECT_EQ(CodecExtension(Codec::kNone), "");
}

TEST(CodecTest, ChosenByHadoopClassName) {
  EXPECT_EQ(*CodecFromClassName("org.apache.hadoop.io.compress.GzipCodec"), Codec::kGzip);
  EXPECT_EQ(*CodecFromClassName("org.apache.hadoop.io.compress.BZip2Codec"), Codec::kBzip2);
  EXPECT_EQ(*CodecFromClassName("org.apache.hadoop.io.compress.ZStandardCodec"), Codec::kZstd);
  EXPECT_EQ(*CodecFromClassName("org.apache.hadoop.io.compress.Lz4Codec"), Codec::kLz4);
  EXPECT_EQ(*CodecFromClassName("org.apache.hadoop.io.compress.DefaultCodec"), Codec::kDeflate);
  EXPECT_EQ(*CodecFromClassName("gzip"), Codec::kGzip);
  EXPECT_EQ(*CodecFromClassName("deflate"), Codec::kDeflate);
  auto bad = CodecFromClassName("org.example.SnappyThing");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("org.example.SnappyThing"), std::string::npos);
}

TEST(CodecTest, RoundTripEveryCodec) {
  TempDir dir;
  std::mt19937 rng(1);
  std::string data = MixedData(3 << 20, 2);
  for (Codec c : kAllCodecs) {
    std::string path = dir.Path("round" + CodecExtension(c));
    ASSERT_TRUE(WriteFile(path, c, data, &rng).ok());
    if (c != Codec::kNone) {
      EXPECT_LT(Slurp(path).size(), data.size());
    }
    for (size_t read_size : {size_t{1} << 20, size_t{4096}, size_t{7}}) {
      auto back = ReadFile(path, read_size);
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_TRUE(*back == data) << "codec " << CodecExtension(c) << " read size " << read_size;
    }
  }
}

// Very compressible data makes the decoders hold output after they have
// taken all input; small reads must still drain it.
TEST(CodecTest, HighlyCompressibleDataReadInSmallPieces) {
  TempDir dir;
  std::mt19937 rng(3);
  std::string data(24 << 20, 'a');
  data += "end";
  for (Codec c : kCompressed) {
    std::string path = dir.Path("zeros" + CodecExtension(c));
    ASSERT_TRUE(WriteFile(path, c, data, &rng).ok());
    auto back = ReadFile(path, 1000);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(*back == data) << CodecExtension(c);
  }
}

TEST(CodecTest, EmptyOutputRoundTrips) {
  TempDir dir;
  for (Codec c : kAllCodecs) {
    std::string path = dir.Path("empty" + CodecExtension(c));
    auto out = CreateOutput(path, c);
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE((*out)->Close().ok());
    EXPECT_TRUE((*out)->Close().ok());  // closing twice is harmless
    EXPECT_FALSE((*out)->Write("late").ok());
    auto back = ReadFile(path, 100);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, "");
  }
}

TEST(CodecTest, ZeroByteCompressedFileIsEmpty) {
  TempDir dir;
  for (Codec c : kCompressed) {
    auto back = ReadFile(dir.Write("zero" + CodecExtension(c), ""), 100);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, "");
  }
}

// `cat a.gz b.gz > c.gz` (and the same for the other formats) is one file.
TEST(CodecTest, ConcatenatedMembersReadAsOne) {
  TempDir dir;
  std::mt19937 rng(4);
  for (Codec c : kCompressed) {
    std::string ext = CodecExtension(c), whole;
    std::string parts[] = {MixedData(700000, 5), "", "second member\n", MixedData(1 << 20, 6)};
    std::string joined;
    for (int i = 0; i < 4; ++i) {
      std::string p = dir.Path("part" + std::to_string(i) + ext);
      ASSERT_TRUE(WriteFile(p, c, parts[i], &rng).ok());
      joined += Slurp(p);
      whole += parts[i];
    }
    std::string path = dir.Write("joined" + ext, joined);
    for (size_t read_size : {size_t{1} << 20, size_t{333}}) {
      auto back = ReadFile(path, read_size);
      ASSERT_TRUE(back.ok()) << ext << ": " << back.status().ToString();
      EXPECT_TRUE(*back == whole) << ext;
    }
  }
}

// Files made by the libraries' one-shot APIs, as other tools write them.
TEST(CodecTest, ReadsFilesMadeByTheLibrariesThemselves) {
  TempDir dir;
  std::string data = MixedData(2 << 20, 7);
  std::string out(data.size() * 2 + 1024, '\0');

  uLongf zlen = out.size();
  ASSERT_EQ(compress2(reinterpret_cast<Bytef*>(out.data()), &zlen,
                      reinterpret_cast<const Bytef*>(data.data()), data.size(), 9), Z_OK);
  std::string deflate_path = dir.Write("lib.deflate", out.substr(0, zlen));

  unsigned blen = out.size();
  ASSERT_EQ(BZ2_bzBuffToBuffCompress(out.data(), &blen, data.data(), data.size(), 9, 0, 0), BZ_OK);
  std::string bz_path = dir.Write("lib.bz2", out.substr(0, blen));

  size_t zs = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 19);
  ASSERT_FALSE(ZSTD_isError(zs));
  std::string zst_path = dir.Write("lib.zst", out.substr(0, zs));

  LZ4F_preferences_t prefs{};
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  prefs.frameInfo.blockMode = LZ4F_blockIndependent;
  size_t ls = LZ4F_compressFrame(out.data(), out.size(), data.data(), data.size(), &prefs);
  ASSERT_FALSE(LZ4F_isError(ls));
  std::string lz4_path = dir.Write("lib.lz4", out.substr(0, ls));

  gzFile gz = gzopen(dir.Path("lib.gz").c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  ASSERT_EQ(gzwrite(gz, data.data(), static_cast<unsigned>(data.size())), static_cast<int>(data.size()));
  ASSERT_EQ(gzclose(gz), Z_OK);

  for (const std::string& p : {deflate_path, bz_path, zst_path, lz4_path, dir.Path("lib.gz")}) {
    auto back = ReadFile(p, 65536);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(*back == data) << p;
  }
}

void ExpectCorrupt(const Result<std::string>& r, const std::string& path, const std::string& words) {
  ASSERT_FALSE(r.ok()) << path << " read without error";
  EXPECT_EQ(r.status().code(), StatusCode::kCorrupt) << r.status().ToString();
  EXPECT_NE(r.status().message().find(path), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find(words), std::string::npos) << r.status().message();
}

TEST(CodecTest, TruncatedGzipIsCorruptNotShort) {
  TempDir dir;
  std::mt19937 rng(8);
  std::string data;
  for (int i = 0; i < 100000; ++i) data += "hello\n";
  std::string full_path = dir.Path("full.gz");
  ASSERT_TRUE(WriteFile(full_path, Codec::kGzip, data, &rng).ok());
  std::string full = Slurp(full_path);
  for (size_t cut : {size_t{1}, size_t{10}, size_t{20}, full.size() / 2, full.size() - 8, full.size() - 1}) {
    std::string path = dir.Write("t" + std::to_string(cut) + ".gz", full.substr(0, cut));
    ExpectCorrupt(ReadFile(path, 4096), path, "truncated");
  }
}

TEST(CodecTest, TruncatedDataIsCorruptForEveryCodec) {
  TempDir dir;
  std::mt19937 rng(9);
  std::string data = MixedData(1 << 20, 10);
  for (Codec c : kCompressed) {
    std::string ext = CodecExtension(c);
    ASSERT_TRUE(WriteFile(dir.Path("full" + ext), c, data, &rng).ok());
    std::string full = Slurp(dir.Path("full" + ext));
    for (size_t cut : {size_t{3}, full.size() / 2, full.size() - 1}) {
      std::string path = dir.Write("cut" + std::to_string(cut) + ext, full.substr(0, cut));
      ExpectCorrupt(ReadFile(path, 65536), path, "truncated");
    }
  }
}

TEST(CodecTest, GarbageIsCorrupt) {
  TempDir dir;
  std::string bz = dir.Write("c.bz2", "BZh9" + std::string(1, '\0') + std::string(200, 'g'));
  ExpectCorrupt(ReadFile(bz, 4096), bz, "corrupt bzip2 data in " + bz + " near byte ");
  std::string gz = dir.Write("c.gz", "this is not gzip at all");
  ExpectCorrupt(ReadFile(gz, 4096), gz, "corrupt gzip data");
  std::string zst = dir.Write("c.zst", "not zstd either");
  ExpectCorrupt(ReadFile(zst, 4096), zst, "corrupt zstd data");
  std::string lz4 = dir.Write("c.lz4", "nor lz4");
  ExpectCorrupt(ReadFile(lz4, 4096), lz4, "corrupt lz4 data");
}

TEST(CodecTest, DamagedBytesInsideAStreamAreCorrupt) {
  TempDir dir;
  std::mt19937 rng(11);
  std::string data = MixedData(1 << 20, 12);
  for (Codec c : {Codec::kGzip, Codec::kBzip2, Codec::kDeflate}) {  // formats with checksums by default
    std::string ext = CodecExtension(c);
    ASSERT_TRUE(WriteFile(dir.Path("ok" + ext), c, data, &rng).ok());
    std::string bytes = Slurp(dir.Path("ok" + ext));
    for (size_t i = bytes.size() / 3; i < bytes.size() / 3 + 64; ++i) bytes[i] = static_cast<char>(~bytes[i]);
    std::string path = dir.Write("damaged" + ext, bytes);
    ExpectCorrupt(ReadFile(path, 65536), path, "corrupt");
  }
}

TEST(CodecTest, TrailingGarbageAfterGzipIsCorrupt) {
  TempDir dir;
  std::mt19937 rng(13);
  ASSERT_TRUE(WriteFile(dir.Path("a.gz"), Codec::kGzip, "payload\n", &rng).ok());
  std::string path = dir.Write("b.gz", Slurp(dir.Path("a.gz")) + "junk after the member");
  ExpectCorrupt(ReadFile(path, 4096), path, "corrupt gzip data");
}

TEST(CodecTest, PlainInputFromAnOffset) {
  TempDir dir;
  std::string path = dir.Write("p.txt", "0123456789");
  auto in = OpenInput(path, 4);
  ASSERT_TRUE(in.ok());
  char buf[32];
  auto got = (*in)->Read(buf, sizeof buf);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(std::string(buf, *got), "456789");
  EXPECT_EQ(*(*in)->Read(buf, sizeof buf), 0u);
  auto gz = OpenInput(dir.Path("x.gz"), 4);
  ASSERT_FALSE(gz.ok());
  EXPECT_EQ(gz.status().code(), StatusCode::kInvalidArgument);
}

TEST(CodecTest, MissingFileIsNotFoundNamingIt) {
  for (const char* p : {"/nonexistent/ember/a.txt", "/nonexistent/ember/a.gz"}) {
    auto in = OpenInput(p);
    ASSERT_FALSE(in.ok());
    EXPECT_EQ(in.status().code(), StatusCode::kNotFound);
    EXPECT_NE(in.status().message().find(p), std::string::npos);
  }
}

// Root ignores permission bits, so the check runs in a child that has
// dropped to nobody; the child reports "<code>|<message>".
std::string AsUnprivileged(const std::function<Status()>& fn) {
  if (::geteuid() != 0) {
    Status st = fn();
    return std::to_string(static_cast<int>(st.code())) + "|" + st.message();
  }
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    Status st = fn();
    std::string s = std::to_string(static_cast<int>(st.code())) + "|" + st.message();
    ssize_t ignored = ::write(fds[1], s.data(), s.size());
    (void)ignored;
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string s;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) s.append(buf, n);
  ::close(fds[0]);
  ::waitpid(pid, nullptr, 0);
  return s;
}

TEST(CodecTest, PermissionDeniedNamesTheFile) {
  TempDir dir;
  std::string path = dir.Write("secret.txt", "x");
  ::chmod(path.c_str(), 0600);
  std::string got = AsUnprivileged([&] { return OpenInput(path).status(); });
  EXPECT_EQ(got, std::to_string(static_cast<int>(StatusCode::kIOError)) + "|open " + path +
                     ": Permission denied");
}

TEST(CodecTest, CreateOutputNeverOverwrites) {
  TempDir dir;
  std::string path = dir.Write("exists.gz", "keep me");
  for (Codec c : kAllCodecs) {
    auto out = CreateOutput(path, c);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), StatusCode::kAlreadyExists);
    EXPECT_NE(out.status().message().find(path), std::string::npos);
  }
  EXPECT_EQ(Slurp(path), "keep me");
  // Missing parent directories are made, as Hadoop's FileSystem.create does;
  // a parent that is a file is an error naming it.
  auto fresh_dir = CreateOutput(dir.Path("no/such/dir/f.txt"), Codec::kNone);
  ASSERT_TRUE(fresh_dir.ok()) << fresh_dir.status().ToString();
  ASSERT_TRUE((*fresh_dir)->Close().ok());
  auto under_file = CreateOutput(path + "/f.txt", Codec::kNone);
  ASSERT_FALSE(under_file.ok());
  EXPECT_NE(under_file.status().message().find(path), std::string::npos);
}

TEST(CodecTest, UnclosedOutputIsIncomplete) {
  TempDir dir;
  std::string path = dir.Path("unclosed.gz");
  {
    auto out = CreateOutput(path, Codec::kGzip);
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE((*out)->Write(MixedData(1 << 20, 14)).ok());
  }  // destroyed without Close: no trailer
  EXPECT_FALSE(ReadFile(path, 4096).ok());
}

}  // namespace
}  // namespace ember::io
