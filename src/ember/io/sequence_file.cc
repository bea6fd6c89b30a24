#include "ember/io/sequence_file.h"

#include <climits>
#include <cstring>
#include <random>
#include <vector>

#include "ember/io/buffer_codec.h"
#include "ember/io/writables.h"

namespace ember::io {
namespace {

constexpr int32_t kSyncEscape = -1;
constexpr int64_t kSyncSize = 4 + 16;               // escape + marker
constexpr int64_t kSyncInterval = 100 * kSyncSize;  // Hadoop's SYNC_INTERVAL
constexpr char kVersion = 6;
// Cap on one decompressed value or block buffer: corrupt input must not
// make us allocate without bound.
constexpr size_t kMaxDecompressed = size_t{512} << 20;

std::string ClassNameFor(Codec codec) {
  switch (codec) {
    case Codec::kGzip: return "org.apache.hadoop.io.compress.GzipCodec";
    case Codec::kBzip2: return "org.apache.hadoop.io.compress.BZip2Codec";
    case Codec::kLz4: return "org.apache.hadoop.io.compress.Lz4Codec";
    default: return "org.apache.hadoop.io.compress.DefaultCodec";
  }
}

Result<Codec> SupportedCodec(const std::string& class_name) {
  auto codec = CodecFromClassName(class_name);
  if (!codec.ok() || !BufferCodecSupported(*codec))
    return InvalidArgument("unsupported SequenceFile codec class '" + class_name +
                           "' (supported: org.apache.hadoop.io.compress.DefaultCodec, GzipCodec, BZip2Codec, Lz4Codec)");
  return *codec;
}

// Sequential reads over a ByteSource with a read-ahead buffer; every read
// is checked against the bytes left, so corrupt lengths never allocate.
class Cursor {
 public:
  explicit Cursor(ByteSource* src) : src_(src), size_(src->Size()) {}

  int64_t pos() const { return pos_; }
  int64_t size() const { return size_; }
  int64_t remaining() const { return size_ - pos_; }
  void Seek(int64_t pos) { pos_ = pos; }

  Status Error(int64_t at, const std::string& what) const {
    return Corrupt("corrupt SequenceFile " + src_->Name() + " at byte " + std::to_string(at) + ": " + what);
  }

  Status Read(int64_t n, std::string* out, const char* what) {
    if (n < 0 || n > remaining())
      return Error(pos_, "expected " + std::string(what) + " of " + std::to_string(n) + " bytes, but only " +
                             std::to_string(remaining()) + " remain (truncated file?)");
    out->resize(static_cast<size_t>(n));
    int64_t buf_end = buf_off_ + static_cast<int64_t>(buf_.size());
    if (pos_ >= buf_off_ && pos_ + n <= buf_end) {
      std::memcpy(out->data(), buf_.data() + (pos_ - buf_off_), static_cast<size_t>(n));
    } else if (n >= kBuffer) {
      EMBER_RETURN_IF_ERROR(ReadExact(pos_, out->data(), static_cast<size_t>(n)));
    } else {
      buf_off_ = pos_;
      buf_.resize(static_cast<size_t>(std::min<int64_t>(kBuffer, remaining())));
      EMBER_RETURN_IF_ERROR(ReadExact(pos_, buf_.data(), buf_.size()));
      std::memcpy(out->data(), buf_.data(), static_cast<size_t>(n));
    }
    pos_ += n;
    return Status::OK();
  }

  Result<int32_t> Int32(const char* what) {
    std::string b;
    EMBER_RETURN_IF_ERROR(Read(4, &b, what));
    size_t p = 0;
    return ReadInt32BE(b, &p);
  }

  Result<bool> Boolean(const char* what) {
    std::string b;
    EMBER_RETURN_IF_ERROR(Read(1, &b, what));
    return b[0] != 0;
  }

  Result<int64_t> VLong(const char* what) {
    int64_t at = pos_;
    std::string b;
    EMBER_RETURN_IF_ERROR(Read(1, &b, what));
    int size = VLongSize(static_cast<int8_t>(b[0]));
    if (size > 1) {
      std::string rest;
      EMBER_RETURN_IF_ERROR(Read(size - 1, &rest, what));
      b += rest;
    }
    size_t p = 0;
    auto v = ReadVLong(b, &p);
    if (!v.ok()) return Error(at, v.status().message());
    return *v;
  }

  // A non-negative vint length that fits in what remains.
  Result<int64_t> Length(const char* what) {
    int64_t at = pos_;
    EMBER_ASSIGN_OR_RETURN(int64_t n, VLong(what));
    if (n < 0 || n > INT32_MAX) return Error(at, "bad " + std::string(what) + " length " + std::to_string(n));
    if (n > remaining())
      return Error(at, std::string(what) + " length " + std::to_string(n) + " runs past the end of the file (" +
                           std::to_string(remaining()) + " bytes remain)");
    return n;
  }

  Result<std::string> Text(const char* what) {
    EMBER_ASSIGN_OR_RETURN(int64_t n, Length(what));
    std::string s;
    EMBER_RETURN_IF_ERROR(Read(n, &s, what));
    return s;
  }

  // Offset of the first sync escape at or after `from`, found by the
  // marker bytes as Hadoop's Reader.sync does; size() if there is none.
  Result<int64_t> FindSync(int64_t from, const std::array<char, 16>& sync) {
    if (from + kSyncSize >= size_) return size_;
    std::string_view marker(sync.data(), sync.size());
    std::string chunk;
    for (int64_t scan = from + 4; scan + 16 <= size_;) {
      chunk.resize(static_cast<size_t>(std::min<int64_t>(kBuffer, size_ - scan)));
      EMBER_RETURN_IF_ERROR(ReadExact(scan, chunk.data(), chunk.size()));
      size_t idx = std::string_view(chunk).find(marker);
      if (idx != std::string_view::npos) return scan + static_cast<int64_t>(idx) - 4;
      if (scan + static_cast<int64_t>(chunk.size()) >= size_) break;
      scan += static_cast<int64_t>(chunk.size()) - 15;
    }
    return size_;
  }

 private:
  static constexpr int64_t kBuffer = 64 * 1024;

  Status ReadExact(int64_t at, char* buf, size_t n) {
    EMBER_ASSIGN_OR_RETURN(size_t got, src_->ReadAt(at, buf, n));
    if (got != n) return IOError("short read from " + src_->Name() + " at byte " + std::to_string(at));
    return Status::OK();
  }

  ByteSource* src_;
  int64_t size_;
  int64_t pos_ = 0;
  std::string buf_;
  int64_t buf_off_ = 0;
};

Result<SequenceFileHeader> ReadHeader(Cursor* in, const std::string& name, Codec* codec) {
  SequenceFileHeader h;
  std::string magic;
  EMBER_RETURN_IF_ERROR(in->Read(4, &magic, "magic 'SEQ' and version"));
  if (magic.compare(0, 3, "SEQ") != 0) return in->Error(0, "expected magic 'SEQ', not a SequenceFile");
  if (magic[3] != kVersion)
    return in->Error(3, "unsupported SequenceFile version " + std::to_string(static_cast<int>(magic[3])) +
                            " (only version 6 is read)");
  EMBER_ASSIGN_OR_RETURN(h.key_class, in->Text("key class name"));
  EMBER_ASSIGN_OR_RETURN(h.value_class, in->Text("value class name"));
  EMBER_ASSIGN_OR_RETURN(bool compressed, in->Boolean("compressed flag"));
  int64_t block_at = in->pos();
  EMBER_ASSIGN_OR_RETURN(bool block, in->Boolean("block-compressed flag"));
  if (block && !compressed) return in->Error(block_at, "block-compressed flag set on an uncompressed file");
  h.compression = block ? SequenceFileCompression::kBlock
                        : compressed ? SequenceFileCompression::kRecord : SequenceFileCompression::kNone;
  *codec = Codec::kNone;
  if (compressed) {
    int64_t at = in->pos();
    EMBER_ASSIGN_OR_RETURN(h.codec_class, in->Text("codec class name"));
    auto c = SupportedCodec(h.codec_class);
    if (!c.ok())
      return InvalidArgument("SequenceFile " + name + " at byte " + std::to_string(at) + ": " +
                             c.status().message());
    *codec = *c;
  }
  int64_t count_at = in->pos();
  EMBER_ASSIGN_OR_RETURN(int32_t count, in->Int32("metadata entry count"));
  if (count < 0 || count > in->remaining() / 2)
    return in->Error(count_at, "bad metadata entry count " + std::to_string(count));
  for (int32_t i = 0; i < count; i++) {
    EMBER_ASSIGN_OR_RETURN(std::string k, in->Text("metadata key"));
    EMBER_ASSIGN_OR_RETURN(std::string v, in->Text("metadata value"));
    h.metadata[std::move(k)] = std::move(v);
  }
  std::string sync;
  EMBER_RETURN_IF_ERROR(in->Read(16, &sync, "sync marker"));
  std::memcpy(h.sync.data(), sync.data(), 16);
  h.header_end = in->pos();
  return h;
}

// Parses `count` vint lengths that exactly fill `lens` and sum to at most `limit`.
Result<std::vector<int64_t>> ParseLengths(std::string_view lens, int64_t count, size_t limit, const char* what) {
  std::vector<int64_t> out;
  size_t pos = 0;
  size_t total = 0;
  for (int64_t i = 0; i < count; i++) {
    EMBER_ASSIGN_OR_RETURN(int32_t n, ReadVInt(lens, &pos));
    if (n < 0 || static_cast<size_t>(n) > limit - total)
      return Corrupt(std::string(what) + " " + std::to_string(n) + " of record " + std::to_string(i) +
                     " runs past its block buffer");
    total += static_cast<size_t>(n);
    out.push_back(n);
  }
  if (pos != lens.size() || total != limit)
    return Corrupt(std::string(what) + " do not match the block's record count and buffer size");
  return out;
}

}  // namespace

// ---------------------------------------------------------------- writer

struct SequenceFileWriter::Impl {
  std::unique_ptr<ByteSink> sink;
  SequenceFileCompression compression;
  Codec codec = Codec::kNone;
  size_t block_size = 0;
  std::string sync;
  int64_t pos = 0;
  int64_t last_sync = 0;
  bool closed = false;
  // Block buffers.
  int64_t count = 0;
  std::string key_lens, keys, value_lens, values;

  Status Write(std::string_view data) {
    pos += static_cast<int64_t>(data.size());
    return sink->Write(data);
  }

  Status WriteSync() {
    std::string s;
    WriteInt32BE(&s, kSyncEscape);
    s += sync;
    EMBER_RETURN_IF_ERROR(Write(s));
    last_sync = pos;
    return Status::OK();
  }

  Status WriteBlock() {
    EMBER_RETURN_IF_ERROR(WriteSync());
    std::string out;
    WriteVLong(&out, count);
    for (const std::string* buf : {&key_lens, &keys, &value_lens, &values}) {
      EMBER_ASSIGN_OR_RETURN(std::string z, CompressBuffer(codec, *buf));
      WriteVLong(&out, static_cast<int64_t>(z.size()));
      out += z;
    }
    count = 0;
    key_lens.clear();
    keys.clear();
    value_lens.clear();
    values.clear();
    return Write(out);
  }
};

Result<std::unique_ptr<SequenceFileWriter>> SequenceFileWriter::Create(std::unique_ptr<ByteSink> sink,
                                                                       const SequenceFileWriterOptions& options) {
  auto impl = std::make_shared<Impl>();
  impl->sink = std::move(sink);
  impl->compression = options.compression;
  impl->block_size = options.block_size;
  bool compressed = options.compression != SequenceFileCompression::kNone;
  if (compressed) {
    EMBER_ASSIGN_OR_RETURN(impl->codec, SupportedCodec(options.codec_class));
  }
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd());
  for (int i = 0; i < 2; i++) WriteInt64BE(&impl->sync, static_cast<int64_t>(gen()));

  std::string h = "SEQ";
  h.push_back(kVersion);
  h += SerializeText(options.key_class);
  h += SerializeText(options.value_class);
  h += SerializeBoolean(compressed);
  h += SerializeBoolean(options.compression == SequenceFileCompression::kBlock);
  if (compressed) h += SerializeText(ClassNameFor(impl->codec));
  WriteInt32BE(&h, static_cast<int32_t>(options.metadata.size()));
  for (const auto& [k, v] : options.metadata) h += SerializeText(k) + SerializeText(v);
  h += impl->sync;
  EMBER_RETURN_IF_ERROR(impl->Write(h));
  std::unique_ptr<SequenceFileWriter> w(new SequenceFileWriter());
  w->impl_ = std::move(impl);
  return w;
}

Status SequenceFileWriter::Append(std::string_view key, std::string_view value) {
  Impl& m = *impl_;
  if (m.closed) return InvalidArgument("Append on a closed SequenceFileWriter");
  if (m.compression == SequenceFileCompression::kBlock) {
    WriteVLong(&m.key_lens, static_cast<int64_t>(key.size()));
    m.keys.append(key);
    WriteVLong(&m.value_lens, static_cast<int64_t>(value.size()));
    m.values.append(value);
    m.count++;
    if (m.keys.size() + m.values.size() >= m.block_size) return m.WriteBlock();
    return Status::OK();
  }
  std::string compressed;
  if (m.compression == SequenceFileCompression::kRecord) {
    EMBER_ASSIGN_OR_RETURN(compressed, CompressBuffer(m.codec, value));
    value = compressed;
  }
  if (key.size() + value.size() > static_cast<size_t>(INT32_MAX))
    return InvalidArgument("SequenceFile record of " + std::to_string(key.size() + value.size()) +
                           " bytes exceeds the 2 GiB record limit");
  if (m.pos >= m.last_sync + kSyncInterval) EMBER_RETURN_IF_ERROR(m.WriteSync());
  std::string rec;
  WriteInt32BE(&rec, static_cast<int32_t>(key.size() + value.size()));
  WriteInt32BE(&rec, static_cast<int32_t>(key.size()));
  rec.append(key);
  rec.append(value);
  return m.Write(rec);
}

Status SequenceFileWriter::Close() {
  Impl& m = *impl_;
  if (m.closed) return Status::OK();
  m.closed = true;
  if (m.compression == SequenceFileCompression::kBlock && m.count > 0) EMBER_RETURN_IF_ERROR(m.WriteBlock());
  return m.sink->Close();
}

// ---------------------------------------------------------------- reader

struct SequenceFileReader::Impl {
  std::shared_ptr<ByteSource> source;
  std::unique_ptr<Cursor> in;
  SequenceFileHeader header;
  Codec codec = Codec::kNone;
  int64_t end = 0;
  bool done = false;
  // Current block (block-compressed files).
  std::string keys, values;
  std::vector<int64_t> key_lens, value_lens;
  size_t next_record = 0;
  size_t key_off = 0, value_off = 0;

  // Reads a sync escape's marker (the escape itself already read at `at`).
  Status ReadSyncMarker(int64_t at) {
    std::string marker;
    EMBER_RETURN_IF_ERROR(in->Read(16, &marker, "sync marker"));
    if (std::memcmp(marker.data(), header.sync.data(), 16) != 0)
      return in->Error(at + 4, "sync marker does not match the header's");
    return Status::OK();
  }

  Result<std::string> ReadBuffer(const char* what) {
    EMBER_ASSIGN_OR_RETURN(int64_t n, in->Length(what));
    int64_t at = in->pos();
    std::string z;
    EMBER_RETURN_IF_ERROR(in->Read(n, &z, what));
    auto raw = DecompressBuffer(codec, z, kMaxDecompressed);
    if (!raw.ok()) return in->Error(at, std::string(what) + ": " + raw.status().message());
    return std::move(raw).value();
  }

  Status ReadBlock() {
    int64_t at = in->pos();
    EMBER_ASSIGN_OR_RETURN(int64_t count, in->VLong("block record count"));
    if (count < 0 || count > INT32_MAX) return in->Error(at, "bad block record count " + std::to_string(count));
    EMBER_ASSIGN_OR_RETURN(std::string klens, ReadBuffer("block key lengths"));
    EMBER_ASSIGN_OR_RETURN(keys, ReadBuffer("block keys"));
    EMBER_ASSIGN_OR_RETURN(std::string vlens, ReadBuffer("block value lengths"));
    EMBER_ASSIGN_OR_RETURN(values, ReadBuffer("block values"));
    auto kl = ParseLengths(klens, count, keys.size(), "key lengths");
    if (!kl.ok()) return in->Error(at, kl.status().message());
    auto vl = ParseLengths(vlens, count, values.size(), "value lengths");
    if (!vl.ok()) return in->Error(at, vl.status().message());
    key_lens = std::move(kl).value();
    value_lens = std::move(vl).value();
    next_record = key_off = value_off = 0;
    return Status::OK();
  }

  Result<bool> NextBlocked(std::string* key, std::string* value) {
    while (next_record == key_lens.size()) {
      if (done || in->remaining() == 0) return false;
      int64_t at = in->pos();
      EMBER_ASSIGN_OR_RETURN(int32_t escape, in->Int32("sync escape"));
      if (escape != kSyncEscape) return in->Error(at, "expected sync escape -1 before a block");
      EMBER_RETURN_IF_ERROR(ReadSyncMarker(at));
      if (at >= end) {  // this block belongs to the next split
        done = true;
        return false;
      }
      EMBER_RETURN_IF_ERROR(ReadBlock());
    }
    key->assign(keys, key_off, static_cast<size_t>(key_lens[next_record]));
    value->assign(values, value_off, static_cast<size_t>(value_lens[next_record]));
    key_off += key->size();
    value_off += value->size();
    next_record++;
    return true;
  }

  Result<bool> NextRecord(std::string* key, std::string* value) {
    if (done || in->remaining() == 0) return false;
    int64_t at = in->pos();
    EMBER_ASSIGN_OR_RETURN(int32_t length, in->Int32("record length"));
    if (length == kSyncEscape) {
      EMBER_RETURN_IF_ERROR(ReadSyncMarker(at));
      if (at >= end) {  // records after this sync belong to the next split
        done = true;
        return false;
      }
      if (in->remaining() == 0) return false;
      at = in->pos();
      EMBER_ASSIGN_OR_RETURN(length, in->Int32("record length"));
    }
    EMBER_ASSIGN_OR_RETURN(int32_t key_length, in->Int32("key length"));
    if (length < 0 || length > in->remaining())
      return in->Error(at, "bad record length " + std::to_string(length) + " (" +
                               std::to_string(in->remaining()) + " bytes remain)");
    if (key_length < 0 || key_length > length)
      return in->Error(at + 4, "bad key length " + std::to_string(key_length) + " in a record of " +
                                   std::to_string(length) + " bytes");
    EMBER_RETURN_IF_ERROR(in->Read(key_length, key, "key"));
    int64_t value_at = in->pos();
    EMBER_RETURN_IF_ERROR(in->Read(length - key_length, value, "value"));
    if (header.compression == SequenceFileCompression::kRecord) {
      auto raw = DecompressBuffer(codec, *value, kMaxDecompressed);
      if (!raw.ok()) return in->Error(value_at, "compressed value: " + raw.status().message());
      *value = std::move(raw).value();
    }
    return true;
  }
};

Result<std::unique_ptr<SequenceFileReader>> SequenceFileReader::Open(std::shared_ptr<ByteSource> source,
                                                                     int64_t start, int64_t end) {
  auto impl = std::make_shared<Impl>();
  impl->source = std::move(source);
  impl->in = std::make_unique<Cursor>(impl->source.get());
  EMBER_ASSIGN_OR_RETURN(impl->header, ReadHeader(impl->in.get(), impl->source->Name(), &impl->codec));
  impl->end = end < 0 ? impl->in->size() : end;
  if (start > impl->header.header_end) {
    EMBER_ASSIGN_OR_RETURN(int64_t at, impl->in->FindSync(start, impl->header.sync));
    impl->in->Seek(at);
  }
  // As Hadoop's record reader: a split whose first sync lies at or past its
  // end has no records.
  if (impl->in->pos() >= impl->end) impl->done = true;
  std::unique_ptr<SequenceFileReader> r(new SequenceFileReader());
  r->impl_ = std::move(impl);
  return r;
}

const SequenceFileHeader& SequenceFileReader::header() const { return impl_->header; }

Result<bool> SequenceFileReader::Next(std::string* key, std::string* value) {
  if (impl_->header.compression == SequenceFileCompression::kBlock) return impl_->NextBlocked(key, value);
  return impl_->NextRecord(key, value);
}

}  // namespace ember::io
