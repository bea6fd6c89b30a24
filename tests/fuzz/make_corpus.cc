// Regenerates the seed corpora of the fuzz targets (tests/fuzz/corpus/)
// with the engine's own writers, so the seeds are what the decoders really
// meet: `fuzz_corpus <corpus dir>` writes <dir>/<target>/seed-<name> for
// every target and leaves other files there (inputs libFuzzer found,
// crash-* reproducers) alone. Output is deterministic but for the
// SequenceFiles' sync markers, which the writer draws at random as Hadoop's does.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ember.pb.h"
#include "ember/common/frame.h"
#include "ember/common/frame_file.h"
#include "ember/io/buffer_codec.h"
#include "ember/io/byte_io.h"
#include "ember/io/codec.h"
#include "ember/io/sequence_file.h"
#include "ember/net/auth.h"
#include "ember/net/frame_header.h"
#include "ember/shuffle/shuffle_index.h"
#include "ember/shuffle/shuffle_writer.h"
#include "fuzz_util.h"

namespace fs = std::filesystem;
using ember::FrameType;

namespace {

fs::path g_root;

void Check(const ember::Status& st, const char* what) {
  if (st.ok()) return;
  std::fprintf(stderr, "fuzz_corpus: %s: %s\n", what, st.ToString().c_str());
  std::exit(1);
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void Seed(const std::string& target, const std::string& name, const std::string& bytes) {
  fs::create_directories(g_root / target);
  ember::fuzz::WriteScratch((g_root / target / ("seed-" + name)).string(), bytes);
}

std::string Frames(const std::vector<std::pair<FrameType, std::string>>& frames) {
  std::string out;
  for (const auto& [type, payload] : frames) ember::EncodeFrame(type, payload, &out);
  return out;
}

const std::vector<std::pair<FrameType, std::string>> kSomeFrames = {
    {FrameType::kUtf8Lines, "alpha\nbeta\ngamma"},
    {FrameType::kPickleBatch, std::string("\x80\x05\x95\x00", 4)},
    {FrameType::kFixedRecords, std::string("\x02\x00\x00\x00" "abcd", 8)},
    {FrameType::kAccumulators, ""},
};

void FrameSeeds() {
  std::string stream = Frames(kSomeFrames) + Frames({{FrameType::kEnd, ""}});
  Seed("frame_reader", "whole", std::string(1, '\0') + stream);
  Seed("frame_reader", "by-3-bytes", std::string(1, '\3') + stream);
  Seed("frame_reader", "empty", std::string(1, '\0'));

  for (bool empty : {false, true}) {
    std::string file;
    ember::FrameFileWriter writer([&](std::string_view d) {
      file.append(d);
      return ember::Status::OK();
    });
    if (!empty)
      for (const auto& [type, payload] : kSomeFrames) Check(writer.Write(type, payload), "frame file");
    Check(writer.Finish(), "frame file");
    Seed("frame_file", empty ? "no-frames" : "frames", file);
  }
}

void ShuffleSeeds() {
  ember::shuffle::MapOutputFiles files{ember::fuzz::ScratchFile("s.data"), ember::fuzz::ScratchFile("s.index")};
  {
    ember::shuffle::ShuffleWriter writer(files, 4, 1 << 20);
    Check(writer.Add(0, "batch-a"), "shuffle");
    Check(writer.Add(2, "batch-b"), "shuffle");
    Check(writer.Add(2, "batch-c"), "shuffle");
    Check(writer.Add(3, std::string(300, 'x')), "shuffle");
    Check(writer.Finish().status(), "shuffle");
  }
  std::string index = Slurp(files.index), data = Slurp(files.data);
  Seed("shuffle_index", "4-buckets", std::string("\x00\x04", 2) + index);
  Seed("shuffle_index", "bucket-2", std::string("\x02\x01", 2) + index);
  Seed("shuffle_index", "no-buckets", std::string("\x00\x00", 2) + ember::shuffle::EncodeIndex({}));

  auto entries = ember::shuffle::ReadIndexEntries(files.index, 0, 4);
  Check(entries.status(), "shuffle index");
  std::string blocks("\x01\x04", 2);
  for (const auto& e : *entries) {
    blocks.append(reinterpret_cast<const char*>(&e.offset), 8);
    blocks.append(reinterpret_cast<const char*>(&e.length), 8);
  }
  Seed("shuffle_blocks", "4-buckets", blocks + data);
  blocks[0] = '\0';  // the same with wrong checksums
  Seed("shuffle_blocks", "bad-checksums", blocks + data);
}

void LineSeeds() {
  using ember::io::Codec;
  const std::string text = "first line\nsecond\r\nthird\rfourth \xc3\xa9t\xc3\xa9\n\nlast without newline";
  const std::vector<std::pair<Codec, const char*>> codecs = {
      {Codec::kNone, "txt"}, {Codec::kGzip, "gz"},  {Codec::kBzip2, "bz2"},
      {Codec::kZstd, "zst"}, {Codec::kLz4, "lz4"}, {Codec::kDeflate, "deflate"}};
  for (size_t i = 0; i < codecs.size(); ++i) {
    std::string path = ember::fuzz::ScratchFile(std::string("lines.") + codecs[i].second);
    fs::remove(path);
    auto out = ember::io::CreateOutput(path, codecs[i].first);
    Check(out.status(), "codec output");
    Check((*out)->Write(text), "codec output");
    Check((*out)->Close(), "codec output");
    std::string prefix = {static_cast<char>(i), '\1', '\0', '\xff'};
    Seed("line_reader", codecs[i].second, prefix + Slurp(path));
  }
  Seed("line_reader", "txt-split", std::string("\0\2\5\x0c", 4) + text);

  const std::vector<Codec> buffer_codecs = {Codec::kDeflate, Codec::kGzip, Codec::kBzip2, Codec::kLz4};
  for (size_t i = 0; i < buffer_codecs.size(); ++i) {
    auto packed = ember::io::CompressBuffer(buffer_codecs[i], text);
    Check(packed.status(), "compress buffer");
    Seed("buffer_codec", std::to_string(i), std::string(1, static_cast<char>(i)) + *packed);
  }
}

void SequenceFileSeeds() {
  using ember::io::SequenceFileCompression;
  struct Kind {
    const char* name;
    SequenceFileCompression compression;
    const char* codec;
  };
  const Kind kinds[] = {
      {"plain", SequenceFileCompression::kNone, "org.apache.hadoop.io.compress.DefaultCodec"},
      {"record-deflate", SequenceFileCompression::kRecord, "org.apache.hadoop.io.compress.DefaultCodec"},
      {"block-gzip", SequenceFileCompression::kBlock, "org.apache.hadoop.io.compress.GzipCodec"},
      {"block-lz4", SequenceFileCompression::kBlock, "org.apache.hadoop.io.compress.Lz4Codec"},
  };
  for (const Kind& kind : kinds) {
    std::string file;
    ember::io::SequenceFileWriterOptions options;
    options.compression = kind.compression;
    options.codec_class = kind.codec;
    options.block_size = 64;  // several blocks
    options.metadata = {{"k", "v"}};
    auto writer = ember::io::SequenceFileWriter::Create(ember::io::StringSink(&file), options);
    Check(writer.status(), "sequence file");
    for (int i = 0; i < 12; ++i) {
      // Text writables: vint length, then the bytes.
      std::string key = "\x04key" + std::to_string(i % 10);
      std::string value = "\x07value-" + std::to_string(i % 10);
      Check((*writer)->Append(key, value), "sequence file");
    }
    Check((*writer)->Close(), "sequence file");
    Seed("sequence_file", kind.name, std::string(1, '\0') + file);
  }
}

void NetSeeds() {
  std::string hello(ember::net::kClientHello);
  Seed("net_handshake", "hello-and-proof", hello + std::string(64, '\x5a'));
  Seed("net_handshake", "hello", hello);
  Seed("net_handshake", "tls-client-hello", std::string("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11));

  auto frame = [](const ember::proto::RpcMessage& m) {
    std::string body = m.SerializeAsString();
    char header[ember::net::kFrameHeaderSize];
    ember::net::EncodeFrameHeader(body.size(), header);
    return std::string(header, sizeof header) + body;
  };
  ember::proto::RpcMessage heartbeat, kill, reg, result;
  heartbeat.mutable_heartbeat();
  kill.set_kill_task(42);
  auto* r = reg.mutable_register_executor();
  r->set_executor_id("1");
  r->set_host("127.0.0.1");
  r->set_block_port(40000);
  r->set_cores(2);
  auto* t = result.mutable_task_result();
  t->set_task_id(7);
  t->set_state(ember::proto::TaskResult::FAILED);
  t->set_error("Traceback ...");
  Seed("rpc_message", "heartbeat", frame(heartbeat));
  Seed("rpc_message", "several", frame(reg) + frame(kill) + frame(result));
  Seed("rpc_message", "empty-message", frame(ember::proto::RpcMessage()));
}

void S3Seeds() {
  Seed("s3_xml", "list-page",
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><IsTruncated>true</IsTruncated>"
       "<Contents><Key>a/b&amp;c.txt</Key><Size>12</Size></Contents>"
       "<Contents><Key><![CDATA[a/<d>]]></Key><Size>0</Size></Contents>"
       "<CommonPrefixes><Prefix>a/sub/</Prefix></CommonPrefixes>"
       "<NextContinuationToken>tok&#x41;&#66;</NextContinuationToken></ListBucketResult>");
  Seed("s3_xml", "error", "<Error><Code>NoSuchKey</Code><Message>The key &quot;x&quot; does not exist</Message></Error>");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus dir>\n", argv[0]);
    return 2;
  }
  g_root = argv[1];
  FrameSeeds();
  ShuffleSeeds();
  LineSeeds();
  SequenceFileSeeds();
  NetSeeds();
  S3Seeds();
  return 0;
}
