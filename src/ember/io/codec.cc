#include "ember/io/codec.h"

#include <bzlib.h>
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <vector>

#include "ember/io/file_system.h"

namespace ember::io {

namespace {

constexpr size_t kIoSize = 1 << 20;
// zlib and bzip2 count bytes in 32-bit unsigned ints.
constexpr size_t kMaxCall = 1u << 30;

bool EndsWith(const std::string& s, const char* suffix) {
  std::string_view sv(suffix);
  return s.size() >= sv.size() && s.compare(s.size() - sv.size(), sv.size(), sv) == 0;
}

// ------------------------------------------------------------------ input

// What one call into a decompression library did.
struct Step {
  size_t used = 0;          // compressed bytes consumed
  size_t made = 0;          // decompressed bytes produced
  bool member_end = false;  // a gzip member / bzip2 stream / frame finished
};

// One decompression library. Errors carry only the library's message;
// DecodingInput adds the file name and offset.
class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual Result<Step> Run(const char* in, size_t in_len, char* out, size_t out_len) = 0;
  // Called before decoding data that follows a finished member.
  virtual Status Restart() { return Status::OK(); }
};

class ZlibDecoder : public Decoder {
 public:
  explicit ZlibDecoder(bool gzip) { ok_ = inflateInit2(&z_, gzip ? 16 + MAX_WBITS : MAX_WBITS) == Z_OK; }
  ~ZlibDecoder() override {
    if (ok_) inflateEnd(&z_);
  }
  Result<Step> Run(const char* in, size_t in_len, char* out, size_t out_len) override {
    if (!ok_) return Internal("inflateInit failed");
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
    z_.avail_in = static_cast<uInt>(std::min(in_len, kMaxCall));
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(out_len);
    uInt avail_in = z_.avail_in;
    int rc = inflate(&z_, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
      return Internal(z_.msg ? z_.msg : "inflate error " + std::to_string(rc));
    return Step{avail_in - z_.avail_in, out_len - z_.avail_out, rc == Z_STREAM_END};
  }
  Status Restart() override {
    return inflateReset(&z_) == Z_OK ? Status::OK() : Internal("inflateReset failed");
  }

 private:
  z_stream z_{};
  bool ok_ = false;
};

class Bzip2Decoder : public Decoder {
 public:
  Bzip2Decoder() { ok_ = BZ2_bzDecompressInit(&bz_, 0, 0) == BZ_OK; }
  ~Bzip2Decoder() override {
    if (ok_) BZ2_bzDecompressEnd(&bz_);
  }
  Result<Step> Run(const char* in, size_t in_len, char* out, size_t out_len) override {
    if (!ok_) return Internal("BZ2_bzDecompressInit failed");
    bz_.next_in = const_cast<char*>(in);
    bz_.avail_in = static_cast<unsigned>(std::min(in_len, kMaxCall));
    bz_.next_out = out;
    bz_.avail_out = static_cast<unsigned>(out_len);
    unsigned avail_in = bz_.avail_in;
    int rc = BZ2_bzDecompress(&bz_);
    if (rc != BZ_OK && rc != BZ_STREAM_END) return Internal(ErrorName(rc));
    return Step{avail_in - bz_.avail_in, out_len - bz_.avail_out, rc == BZ_STREAM_END};
  }
  // A stream that has ended cannot be reset; `bzip2` output of concatenated
  // files needs a fresh one per stream.
  Status Restart() override {
    BZ2_bzDecompressEnd(&bz_);
    bz_ = {};
    ok_ = BZ2_bzDecompressInit(&bz_, 0, 0) == BZ_OK;
    return ok_ ? Status::OK() : Internal("BZ2_bzDecompressInit failed");
  }

 private:
  static std::string ErrorName(int rc) {
    switch (rc) {
      case BZ_DATA_ERROR: return "data integrity error";
      case BZ_DATA_ERROR_MAGIC: return "not bzip2 data (bad magic)";
      case BZ_MEM_ERROR: return "out of memory";
      default: return "bzip2 error " + std::to_string(rc);
    }
  }
  bz_stream bz_{};
  bool ok_ = false;
};

class ZstdDecoder : public Decoder {
 public:
  ZstdDecoder() : z_(ZSTD_createDStream()) {}
  ~ZstdDecoder() override { ZSTD_freeDStream(z_); }
  Result<Step> Run(const char* in, size_t in_len, char* out, size_t out_len) override {
    if (!z_) return Internal("ZSTD_createDStream failed");
    ZSTD_inBuffer ib{in, in_len, 0};
    ZSTD_outBuffer ob{out, out_len, 0};
    size_t rc = ZSTD_decompressStream(z_, &ob, &ib);
    if (ZSTD_isError(rc)) return Internal(ZSTD_getErrorName(rc));
    // 0 means a frame is complete and flushed; the next frame starts by itself.
    return Step{ib.pos, ob.pos, rc == 0};
  }

 private:
  ZSTD_DStream* z_;
};

class Lz4Decoder : public Decoder {
 public:
  Lz4Decoder() { ok_ = !LZ4F_isError(LZ4F_createDecompressionContext(&ctx_, LZ4F_VERSION)); }
  ~Lz4Decoder() override { LZ4F_freeDecompressionContext(ctx_); }
  Result<Step> Run(const char* in, size_t in_len, char* out, size_t out_len) override {
    if (!ok_) return Internal("LZ4F_createDecompressionContext failed");
    size_t used = in_len, made = out_len;
    size_t rc = LZ4F_decompress(ctx_, out, &made, in, &used, nullptr);
    if (LZ4F_isError(rc)) return Internal(LZ4F_getErrorName(rc));
    return Step{used, made, rc == 0};
  }

 private:
  LZ4F_dctx* ctx_ = nullptr;
  bool ok_ = false;
};

// Feeds a Decoder from the file in large reads. The file may hold several
// members back to back; it must end exactly where one ends.
class DecodingInput : public InputStream {
 public:
  DecodingInput(std::unique_ptr<InputStream> raw, std::unique_ptr<Decoder> decoder, std::string path,
                const char* name)
      : raw_(std::move(raw)), dec_(std::move(decoder)), path_(std::move(path)), name_(name), in_(kIoSize) {}

  Result<size_t> Read(char* out, size_t n) override {
    n = std::min(n, kMaxCall);
    while (n > 0 && !done_) {
      // Inside a member the decoder may still hold output after taking all
      // input, so it is called once more with no input before refilling.
      if (pos_ == len_ && (!in_member_ || stalled_)) {
        EMBER_ASSIGN_OR_RETURN(len_, raw_->Read(in_.data(), in_.size()));
        pos_ = 0;
        stalled_ = false;
        if (len_ == 0) {
          if (in_member_) return Bad("truncated data (the file ends inside a compressed stream)");
          done_ = true;
        }
        continue;
      }
      if (after_member_) {
        EMBER_RETURN_IF_ERROR(dec_->Restart());
        after_member_ = false;
      }
      auto step = dec_->Run(in_.data() + pos_, len_ - pos_, out, n);
      if (!step.ok()) return Bad(step.status().message());
      pos_ += step->used;
      consumed_ += static_cast<int64_t>(step->used);
      if (step->used > 0) in_member_ = true;
      if (step->member_end) in_member_ = false, after_member_ = true;
      if (step->made > 0) return step->made;
      stalled_ = step->used == 0 && !step->member_end;
      if (stalled_ && pos_ < len_) return Bad("decoder made no progress");
    }
    return size_t{0};
  }

 private:
  Status Bad(const std::string& what) const {
    return Corrupt(std::string("corrupt ") + name_ + " data in " + path_ + " near byte " +
                   std::to_string(consumed_) + ": " + what);
  }

  std::unique_ptr<InputStream> raw_;
  std::unique_ptr<Decoder> dec_;
  std::string path_;
  const char* name_;
  std::vector<char> in_;
  size_t pos_ = 0, len_ = 0;
  int64_t consumed_ = 0;
  bool in_member_ = false;     // bytes of an unfinished member were consumed
  bool after_member_ = false;  // a member ended; Restart before more input
  bool stalled_ = false;       // the last call needed more input
  bool done_ = false;
};

// ----------------------------------------------------------------- output

// A compressor writing into a file system's output stream. Subclasses implement Encode,
// which consumes all of `in` (and with `finish` writes the trailer).
class EncodingOutput : public OutputStream {
 public:
  EncodingOutput(std::unique_ptr<OutputStream> file, std::string path)
      : file_(std::move(file)), path_(std::move(path)), buf_(kIoSize) {}

  Status Write(std::string_view data) override {
    if (closed_) return IOError("write to closed file " + path_);
    while (!data.empty()) {
      std::string_view piece = data.substr(0, kMaxCall);
      EMBER_RETURN_IF_ERROR(Encode(piece, false));
      data.remove_prefix(piece.size());
    }
    return Status::OK();
  }
  Status Close() override {
    if (closed_) return Status::OK();
    closed_ = true;
    Status st = Encode({}, true);
    Status closed = file_->Close();
    return st.ok() ? closed : st;
  }

 protected:
  virtual Status Encode(std::string_view in, bool finish) = 0;
  Status Emit(size_t n) { return n ? file_->Write({buf_.data(), n}) : Status::OK(); }
  Status Fail(const std::string& what) const { return IOError("compressing " + path_ + ": " + what); }

  std::unique_ptr<OutputStream> file_;
  std::string path_;
  std::vector<char> buf_;
  bool closed_ = false;
};

class ZlibEncoder : public EncodingOutput {
 public:
  ZlibEncoder(std::unique_ptr<OutputStream> file, std::string path, bool gzip)
      : EncodingOutput(std::move(file), std::move(path)) {
    ok_ = deflateInit2(&z_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, gzip ? 16 + MAX_WBITS : MAX_WBITS, 8,
                       Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~ZlibEncoder() override {
    if (ok_) deflateEnd(&z_);
  }

 protected:
  Status Encode(std::string_view in, bool finish) override {
    if (!ok_) return Fail("deflateInit failed");
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    for (;;) {
      z_.next_out = reinterpret_cast<Bytef*>(buf_.data());
      z_.avail_out = static_cast<uInt>(buf_.size());
      int rc = deflate(&z_, finish ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) return Fail("deflate failed");
      EMBER_RETURN_IF_ERROR(Emit(buf_.size() - z_.avail_out));
      if (finish ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out > 0)) return Status::OK();
    }
  }

 private:
  z_stream z_{};
  bool ok_ = false;
};

class Bzip2Encoder : public EncodingOutput {
 public:
  Bzip2Encoder(std::unique_ptr<OutputStream> file, std::string path)
      : EncodingOutput(std::move(file), std::move(path)) {
    ok_ = BZ2_bzCompressInit(&bz_, 9, 0, 0) == BZ_OK;  // 900k blocks, Hadoop's default
  }
  ~Bzip2Encoder() override {
    if (ok_) BZ2_bzCompressEnd(&bz_);
  }

 protected:
  Status Encode(std::string_view in, bool finish) override {
    if (!ok_) return Fail("BZ2_bzCompressInit failed");
    bz_.next_in = const_cast<char*>(in.data());
    bz_.avail_in = static_cast<unsigned>(in.size());
    for (;;) {
      bz_.next_out = buf_.data();
      bz_.avail_out = static_cast<unsigned>(buf_.size());
      int rc = BZ2_bzCompress(&bz_, finish ? BZ_FINISH : BZ_RUN);
      if (rc < 0) return Fail("bzip2 error " + std::to_string(rc));
      EMBER_RETURN_IF_ERROR(Emit(buf_.size() - bz_.avail_out));
      if (finish ? rc == BZ_STREAM_END : bz_.avail_in == 0) return Status::OK();
    }
  }

 private:
  bz_stream bz_{};
  bool ok_ = false;
};

class ZstdEncoder : public EncodingOutput {
 public:
  ZstdEncoder(std::unique_ptr<OutputStream> file, std::string path)
      : EncodingOutput(std::move(file), std::move(path)), z_(ZSTD_createCCtx()) {}
  ~ZstdEncoder() override { ZSTD_freeCCtx(z_); }

 protected:
  Status Encode(std::string_view in, bool finish) override {
    if (!z_) return Fail("ZSTD_createCCtx failed");
    ZSTD_inBuffer ib{in.data(), in.size(), 0};
    for (;;) {
      ZSTD_outBuffer ob{buf_.data(), buf_.size(), 0};
      size_t left = ZSTD_compressStream2(z_, &ob, &ib, finish ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(left)) return Fail(ZSTD_getErrorName(left));
      EMBER_RETURN_IF_ERROR(Emit(ob.pos));
      if (finish ? left == 0 : ib.pos == ib.size) return Status::OK();
    }
  }

 private:
  ZSTD_CCtx* z_;
};

class Lz4Encoder : public EncodingOutput {
 public:
  Lz4Encoder(std::unique_ptr<OutputStream> file, std::string path)
      : EncodingOutput(std::move(file), std::move(path)) {
    ok_ = !LZ4F_isError(LZ4F_createCompressionContext(&ctx_, LZ4F_VERSION));
    buf_.resize(std::max(buf_.size(), LZ4F_compressBound(kSlice, nullptr)));
  }
  ~Lz4Encoder() override { LZ4F_freeCompressionContext(ctx_); }

 protected:
  Status Encode(std::string_view in, bool finish) override {
    if (!ok_) return Fail("LZ4F_createCompressionContext failed");
    if (!started_) {
      started_ = true;
      EMBER_RETURN_IF_ERROR(Check(LZ4F_compressBegin(ctx_, buf_.data(), buf_.size(), nullptr)));
    }
    // Slices keep each call within the output buffer's compressBound.
    for (size_t at = 0; at < in.size(); at += kSlice) {
      size_t len = std::min(kSlice, in.size() - at);
      EMBER_RETURN_IF_ERROR(
          Check(LZ4F_compressUpdate(ctx_, buf_.data(), buf_.size(), in.data() + at, len, nullptr)));
    }
    if (finish) EMBER_RETURN_IF_ERROR(Check(LZ4F_compressEnd(ctx_, buf_.data(), buf_.size(), nullptr)));
    return Status::OK();
  }

 private:
  static constexpr size_t kSlice = 256 * 1024;
  Status Check(size_t rc) { return LZ4F_isError(rc) ? Fail(LZ4F_getErrorName(rc)) : Emit(rc); }

  LZ4F_cctx* ctx_ = nullptr;
  bool ok_ = false;
  bool started_ = false;
};

}  // namespace

Codec CodecForPath(const std::string& path) {
  if (EndsWith(path, ".gz")) return Codec::kGzip;
  if (EndsWith(path, ".bz2")) return Codec::kBzip2;
  if (EndsWith(path, ".zst")) return Codec::kZstd;
  if (EndsWith(path, ".lz4")) return Codec::kLz4;
  if (EndsWith(path, ".deflate")) return Codec::kDeflate;
  return Codec::kNone;
}

bool IsSplittable(Codec codec) { return codec == Codec::kNone; }

Result<Codec> CodecFromClassName(const std::string& name) {
  static const std::pair<const char*, Codec> kNames[] = {
      {"org.apache.hadoop.io.compress.GzipCodec", Codec::kGzip},
      {"org.apache.hadoop.io.compress.BZip2Codec", Codec::kBzip2},
      {"org.apache.hadoop.io.compress.ZStandardCodec", Codec::kZstd},
      {"org.apache.hadoop.io.compress.Lz4Codec", Codec::kLz4},
      {"org.apache.hadoop.io.compress.DefaultCodec", Codec::kDeflate},
      {"gzip", Codec::kGzip},
      {"bzip2", Codec::kBzip2},
      {"zstd", Codec::kZstd},
      {"lz4", Codec::kLz4},
      {"deflate", Codec::kDeflate},
  };
  for (const auto& [n, c] : kNames)
    if (name == n) return c;
  return InvalidArgument("unknown compression codec '" + name +
                         "' (use GzipCodec, BZip2Codec, ZStandardCodec, Lz4Codec or DefaultCodec)");
}

std::string CodecExtension(Codec codec) {
  switch (codec) {
    case Codec::kGzip: return ".gz";
    case Codec::kBzip2: return ".bz2";
    case Codec::kZstd: return ".zst";
    case Codec::kLz4: return ".lz4";
    case Codec::kDeflate: return ".deflate";
    case Codec::kNone: return "";
  }
  return "";
}

Result<std::unique_ptr<InputStream>> OpenInput(const std::string& path, int64_t offset) {
  Codec codec = CodecForPath(path);
  if (offset != 0 && (offset < 0 || codec != Codec::kNone))
    return InvalidArgument("cannot start reading " + path + " at byte " + std::to_string(offset));
  EMBER_ASSIGN_OR_RETURN(auto fs, FileSystemFor(path));
  EMBER_ASSIGN_OR_RETURN(auto raw, fs->OpenSequential(path, offset));
  std::unique_ptr<Decoder> dec;
  const char* name = "";
  switch (codec) {
    case Codec::kNone: return raw;
    case Codec::kGzip: dec = std::make_unique<ZlibDecoder>(true), name = "gzip"; break;
    case Codec::kDeflate: dec = std::make_unique<ZlibDecoder>(false), name = "deflate"; break;
    case Codec::kBzip2: dec = std::make_unique<Bzip2Decoder>(), name = "bzip2"; break;
    case Codec::kZstd: dec = std::make_unique<ZstdDecoder>(), name = "zstd"; break;
    case Codec::kLz4: dec = std::make_unique<Lz4Decoder>(), name = "lz4"; break;
  }
  return std::unique_ptr<InputStream>(new DecodingInput(std::move(raw), std::move(dec), path, name));
}

Result<std::unique_ptr<OutputStream>> CreateOutput(const std::string& path, Codec codec) {
  EMBER_ASSIGN_OR_RETURN(auto fs, FileSystemFor(path));
  EMBER_ASSIGN_OR_RETURN(auto file, fs->Create(path));
  switch (codec) {
    case Codec::kNone: return file;
    case Codec::kGzip: return std::unique_ptr<OutputStream>(new ZlibEncoder(std::move(file), path, true));
    case Codec::kDeflate: return std::unique_ptr<OutputStream>(new ZlibEncoder(std::move(file), path, false));
    case Codec::kBzip2: return std::unique_ptr<OutputStream>(new Bzip2Encoder(std::move(file), path));
    case Codec::kZstd: return std::unique_ptr<OutputStream>(new ZstdEncoder(std::move(file), path));
    case Codec::kLz4: return std::unique_ptr<OutputStream>(new Lz4Encoder(std::move(file), path));
  }
  return Internal("unknown codec");
}

}  // namespace ember::io
