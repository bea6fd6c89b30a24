#include "ember/io/codec.h"

#include <bzlib.h>
#include <fcntl.h>
#include <lz4frame.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "ember/common/frame.h"

namespace ember::io {

namespace {

constexpr size_t kBuf = 1 << 20;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class FdInput : public InputStream {
 public:
  explicit FdInput(int fd) : fd_(fd) {}
  ~FdInput() override { ::close(fd_); }
  Result<size_t> Read(char* buf, size_t n) override { return ReadSome(fd_, buf, n); }

 private:
  int fd_;
};

// Shared shape of every decompressor: compressed bytes come from `raw_`
// in big chunks; Step() turns some of them into output.
class Decompressor : public InputStream {
 public:
  Decompressor(std::unique_ptr<InputStream> raw, std::string path, const char* name)
      : raw_(std::move(raw)), path_(std::move(path)), name_(name), in_(kBuf) {}

  Result<size_t> Read(char* buf, size_t n) override {
    while (!done_) {
      if (in_pos_ == in_len_ && !eof_) {
        EMBER_ASSIGN_OR_RETURN(in_len_, raw_->Read(in_.data(), in_.size()));
        in_pos_ = 0;
        eof_ = in_len_ == 0;
      }
      size_t produced = 0;
      EMBER_RETURN_IF_ERROR(Step(buf, n, &produced));
      if (produced > 0) return produced;
      if (eof_ && in_pos_ == in_len_) {
        if (!AtStreamBoundary()) return Bad("truncated data (the file ends inside a compressed stream)");
        done_ = true;
      }
    }
    return size_t{0};
  }

 protected:
  // Decompress from in_[in_pos_, in_len_) into buf; advance in_pos_.
  virtual Status Step(char* buf, size_t n, size_t* produced) = 0;
  // True if the input may end here (between complete streams/members).
  virtual bool AtStreamBoundary() const = 0;
  Status Bad(const std::string& what) const {
    return Corrupt(std::string("corrupt ") + name_ + " data in " + path_ + " near byte " +
                   std::to_string(consumed_) + ": " + what);
  }

  std::unique_ptr<InputStream> raw_;
  std::string path_;
  const char* name_;
  std::vector<char> in_;
  size_t in_pos_ = 0, in_len_ = 0;
  int64_t consumed_ = 0;
  bool eof_ = false, done_ = false;
};

class ZlibInput : public Decompressor {
 public:
  ZlibInput(std::unique_ptr<InputStream> raw, std::string path, bool gzip)
      : Decompressor(std::move(raw), std::move(path), gzip ? "gzip" : "deflate"), gzip_(gzip) {
    inflateInit2(&z_, gzip ? 16 + MAX_WBITS : MAX_WBITS);
  }
  ~ZlibInput() override { inflateEnd(&z_); }

 protected:
  Status Step(char* buf, size_t n, size_t* produced) override {
    if (in_pos_ == in_len_) return Status::OK();
    if (between_) {  // another gzip member follows the previous one
      inflateReset(&z_);
      between_ = false;
    }
    z_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
    z_.avail_in = static_cast<uInt>(in_len_ - in_pos_);
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(n);
    int rc = inflate(&z_, Z_NO_FLUSH);
    size_t used = (in_len_ - in_pos_) - z_.avail_in;
    in_pos_ += used;
    consumed_ += static_cast<int64_t>(used);
    *produced = n - z_.avail_out;
    if (rc == Z_STREAM_END) {
      between_ = true;
      if (!gzip_) {  // a zlib stream has one member; ignore trailing bytes
        in_pos_ = in_len_;
        eof_ = true;
      }
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Bad(z_.msg ? z_.msg : "inflate failed");
    }
    return Status::OK();
  }
  bool AtStreamBoundary() const override { return between_ || consumed_ == 0; }

 private:
  z_stream z_{};
  bool gzip_;
  bool between_ = false;
};

class Bzip2Input : public Decompressor {
 public:
  Bzip2Input(std::unique_ptr<InputStream> raw, std::string path)
      : Decompressor(std::move(raw), std::move(path), "bzip2") {
    BZ2_bzDecompressInit(&bz_, 0, 0);
  }
  ~Bzip2Input() override { BZ2_bzDecompressEnd(&bz_); }

 protected:
  Status Step(char* buf, size_t n, size_t* produced) override {
    if (in_pos_ == in_len_) return Status::OK();
    if (between_) {
      BZ2_bzDecompressEnd(&bz_);
      bz_ = {};
      BZ2_bzDecompressInit(&bz_, 0, 0);
      between_ = false;
    }
    bz_.next_in = in_.data() + in_pos_;
    bz_.avail_in = static_cast<unsigned>(in_len_ - in_pos_);
    bz_.next_out = buf;
    bz_.avail_out = static_cast<unsigned>(n);
    int rc = BZ2_bzDecompress(&bz_);
    size_t used = (in_len_ - in_pos_) - bz_.avail_in;
    in_pos_ += used;
    consumed_ += static_cast<int64_t>(used);
    *produced = n - bz_.avail_out;
    if (rc == BZ_STREAM_END) between_ = true;
    else if (rc != BZ_OK) return Bad("bzip2 error " + std::to_string(rc));
    return Status::OK();
  }
  bool AtStreamBoundary() const override { return between_ || consumed_ == 0; }

 private:
  bz_stream bz_{};
  bool between_ = false;
};

class ZstdInput : public Decompressor {
 public:
  ZstdInput(std::unique_ptr<InputStream> raw, std::string path)
      : Decompressor(std::move(raw), std::move(path), "zstd"), z_(ZSTD_createDStream()) {
    ZSTD_initDStream(z_);
  }
  ~ZstdInput() override { ZSTD_freeDStream(z_); }

 protected:
  Status Step(char* buf, size_t n, size_t* produced) override {
    ZSTD_inBuffer in{in_.data() + in_pos_, in_len_ - in_pos_, 0};
    ZSTD_outBuffer out{buf, n, 0};
    if (in.size == 0) return Status::OK();
    size_t rc = ZSTD_decompressStream(z_, &out, &in);
    if (ZSTD_isError(rc)) return Bad(ZSTD_getErrorName(rc));
    in_pos_ += in.pos;
    consumed_ += static_cast<int64_t>(in.pos);
    *produced = out.pos;
    frame_done_ = rc == 0;
    return Status::OK();
  }
  bool AtStreamBoundary() const override { return frame_done_ || consumed_ == 0; }

 private:
  ZSTD_DStream* z_;
  bool frame_done_ = false;
};

class Lz4Input : public Decompressor {
 public:
  Lz4Input(std::unique_ptr<InputStream> raw, std::string path)
      : Decompressor(std::move(raw), std::move(path), "lz4") {
    LZ4F_createDecompressionContext(&ctx_, LZ4F_VERSION);
  }
  ~Lz4Input() override { LZ4F_freeDecompressionContext(ctx_); }

 protected:
  Status Step(char* buf, size_t n, size_t* produced) override {
    size_t src = in_len_ - in_pos_, dst = n;
    if (src == 0) return Status::OK();
    size_t rc = LZ4F_decompress(ctx_, buf, &dst, in_.data() + in_pos_, &src, nullptr);
    if (LZ4F_isError(rc)) return Bad(LZ4F_getErrorName(rc));
    in_pos_ += src;
    consumed_ += static_cast<int64_t>(src);
    *produced = dst;
    frame_done_ = rc == 0;
    return Status::OK();
  }
  bool AtStreamBoundary() const override { return frame_done_ || consumed_ == 0; }

 private:
  LZ4F_dctx* ctx_ = nullptr;
  bool frame_done_ = false;
};

// ----------------------------------------------------------------- output

class FdOutput : public OutputStream {
 public:
  FdOutput(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FdOutput() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Write(std::string_view data) override {
    Status st = WriteAll(fd_, data);
    return st.ok() ? st : IOError("writing " + path_ + ": " + st.message());
  }
  Status Close() override {
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return ErrnoError("close", path_, errno);
    return Status::OK();
  }

 private:
  int fd_;
  std::string path_;
};

// Compressors feed FdOutput; `Compress` handles one call's input (or the
// final flush when `finish`) and writes whatever output it produced.
class Compressor : public OutputStream {
 public:
  explicit Compressor(std::unique_ptr<FdOutput> out) : out_(std::move(out)), buf_(kBuf) {}
  Status Write(std::string_view data) override { return Compress(data, false); }
  Status Close() override {
    EMBER_RETURN_IF_ERROR(Compress({}, true));
    return out_->Close();
  }

 protected:
  virtual Status Compress(std::string_view data, bool finish) = 0;
  std::unique_ptr<FdOutput> out_;
  std::vector<char> buf_;
};

class ZlibOutput : public Compressor {
 public:
  ZlibOutput(std::unique_ptr<FdOutput> out, bool gzip) : Compressor(std::move(out)) {
    deflateInit2(&z_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, gzip ? 16 + MAX_WBITS : MAX_WBITS, 8,
                 Z_DEFAULT_STRATEGY);
  }
  ~ZlibOutput() override { deflateEnd(&z_); }

 protected:
  Status Compress(std::string_view data, bool finish) override {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z_.avail_in = static_cast<uInt>(data.size());
    int rc;
    do {
      z_.next_out = reinterpret_cast<Bytef*>(buf_.data());
      z_.avail_out = static_cast<uInt>(buf_.size());
      rc = deflate(&z_, finish ? Z_FINISH : Z_NO_FLUSH);
      EMBER_RETURN_IF_ERROR(out_->Write({buf_.data(), buf_.size() - z_.avail_out}));
    } while (z_.avail_out == 0 || (finish && rc != Z_STREAM_END));
    return Status::OK();
  }

 private:
  z_stream z_{};
};

class Bzip2Output : public Compressor {
 public:
  explicit Bzip2Output(std::unique_ptr<FdOutput> out) : Compressor(std::move(out)) {
    BZ2_bzCompressInit(&bz_, 9, 0, 0);
  }
  ~Bzip2Output() override { BZ2_bzCompressEnd(&bz_); }

 protected:
  Status Compress(std::string_view data, bool finish) override {
    bz_.next_in = const_cast<char*>(data.data());
    bz_.avail_in = static_cast<unsigned>(data.size());
    int rc;
    do {
      bz_.next_out = buf_.data();
      bz_.avail_out = static_cast<unsigned>(buf_.size());
      rc = BZ2_bzCompress(&bz_, finish ? BZ_FINISH : BZ_RUN);
      EMBER_RETURN_IF_ERROR(out_->Write({buf_.data(), buf_.size() - bz_.avail_out}));
    } while (bz_.avail_in > 0 || (finish && rc != BZ_STREAM_END));
    return Status::OK();
  }

 private:
  bz_stream bz_{};
};

class ZstdOutput : public Compressor {
 public:
  explicit ZstdOutput(std::unique_ptr<FdOutput> out) : Compressor(std::move(out)), z_(ZSTD_createCCtx()) {}
  ~ZstdOutput() override { ZSTD_freeCCtx(z_); }

 protected:
  Status Compress(std::string_view data, bool finish) override {
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    size_t remaining;
    do {
      ZSTD_outBuffer out{buf_.data(), buf_.size(), 0};
      remaining = ZSTD_compressStream2(z_, &out, &in, finish ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(remaining)) return IOError(ZSTD_getErrorName(remaining));
      EMBER_RETURN_IF_ERROR(out_->Write({buf_.data(), out.pos}));
    } while (in.pos < in.size || (finish && remaining != 0));
    return Status::OK();
  }

 private:
  ZSTD_CCtx* z_;
};

class Lz4Output : public Compressor {
 public:
  explicit Lz4Output(std::unique_ptr<FdOutput> out) : Compressor(std::move(out)) {
    LZ4F_createCompressionContext(&ctx_, LZ4F_VERSION);
  }
  ~Lz4Output() override { LZ4F_freeCompressionContext(ctx_); }

 protected:
  Status Compress(std::string_view data, bool finish) override {
    if (!started_) {
      size_t n = LZ4F_compressBegin(ctx_, buf_.data(), buf_.size(), nullptr);
      if (LZ4F_isError(n)) return IOError(LZ4F_getErrorName(n));
      EMBER_RETURN_IF_ERROR(out_->Write({buf_.data(), n}));
      started_ = true;
    }
    constexpr size_t kChunk = 64 * 1024;
    for (size_t pos = 0; pos < data.size(); pos += kChunk) {
      size_t len = std::min(kChunk, data.size() - pos);
      size_t need = LZ4F_compressBound(len, nullptr);
      if (buf_.size() < need) buf_.resize(need);
      size_t n = LZ4F_compressUpdate(ctx_, buf_.data(), buf_.size(), data.data() + pos, len, nullptr);
      if (LZ4F_isError(n)) return IOError(LZ4F_getErrorName(n));
      EMBER_RETURN_IF_ERROR(out_->Write({buf_.data(), n}));
    }
    if (finish) {
      size_t n = LZ4F_compressEnd(ctx_, buf_.data(), buf_.size(), nullptr);
      if (LZ4F_isError(n)) return IOError(LZ4F_getErrorName(n));
      EMBER_RETURN_IF_ERROR(out_->Write({buf_.data(), n}));
    }
    return Status::OK();
  }

 private:
  LZ4F_cctx* ctx_ = nullptr;
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
      {"gzip", Codec::kGzip}, {"bzip2", Codec::kBzip2}, {"zstd", Codec::kZstd},
      {"lz4", Codec::kLz4},   {"deflate", Codec::kDeflate},
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
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("open", path, errno);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  Codec codec = CodecForPath(path);
  if (offset > 0 && codec == Codec::kNone && ::lseek(fd, offset, SEEK_SET) < 0) {
    int err = errno;
    ::close(fd);
    return ErrnoError("seek", path, err);
  }
  auto raw = std::make_unique<FdInput>(fd);
  switch (codec) {
    case Codec::kGzip: return std::unique_ptr<InputStream>(new ZlibInput(std::move(raw), path, true));
    case Codec::kDeflate: return std::unique_ptr<InputStream>(new ZlibInput(std::move(raw), path, false));
    case Codec::kBzip2: return std::unique_ptr<InputStream>(new Bzip2Input(std::move(raw), path));
    case Codec::kZstd: return std::unique_ptr<InputStream>(new ZstdInput(std::move(raw), path));
    case Codec::kLz4: return std::unique_ptr<InputStream>(new Lz4Input(std::move(raw), path));
    case Codec::kNone: break;
  }
  return std::unique_ptr<InputStream>(std::move(raw));
}

Result<std::unique_ptr<OutputStream>> CreateOutput(const std::string& path, Codec codec) {
  int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("create", path, errno);
  auto out = std::make_unique<FdOutput>(fd, path);
  switch (codec) {
    case Codec::kGzip: return std::unique_ptr<OutputStream>(new ZlibOutput(std::move(out), true));
    case Codec::kDeflate: return std::unique_ptr<OutputStream>(new ZlibOutput(std::move(out), false));
    case Codec::kBzip2: return std::unique_ptr<OutputStream>(new Bzip2Output(std::move(out)));
    case Codec::kZstd: return std::unique_ptr<OutputStream>(new ZstdOutput(std::move(out)));
    case Codec::kLz4: return std::unique_ptr<OutputStream>(new Lz4Output(std::move(out)));
    case Codec::kNone: break;
  }
  return std::unique_ptr<OutputStream>(std::move(out));
}

}  // namespace ember::io
