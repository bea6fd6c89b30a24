#include "ember/common/frame_file.h"

#include <zlib.h>

namespace ember {

namespace {

// CRC-32 continued over one frame as it is encoded (header, then payload).
uint32_t Crc(uint32_t crc, FrameType type, std::string_view payload) {
  Bytef header[kFrameHeaderSize];
  auto len = static_cast<uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) header[i] = static_cast<Bytef>((len >> (8 * i)) & 0xff);
  header[4] = static_cast<Bytef>(type);
  crc = static_cast<uint32_t>(::crc32(crc, header, kFrameHeaderSize));
  return static_cast<uint32_t>(
      ::crc32(crc, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size())));
}

}  // namespace

Status FrameFileWriter::Write(FrameType type, std::string_view payload) {
  crc_ = Crc(crc_, type, payload);
  return out_.Write(type, payload);
}

Status FrameFileWriter::Finish() {
  char trailer[4];
  for (int i = 0; i < 4; ++i) trailer[i] = static_cast<char>((crc_ >> (8 * i)) & 0xff);
  EMBER_RETURN_IF_ERROR(out_.Write(FrameType::kEnd, std::string_view(trailer, 4)));
  return out_.Flush();
}

Result<bool> FrameFileReader::Next(Frame* frame) {
  if (ended_) return false;
  auto more = in_.Next(frame);
  if (!more.ok()) return Corrupt(path_ + " is damaged: " + more.status().message());
  if (!*more) return Corrupt(path_ + " is truncated (no end marker)");
  if (frame->type != FrameType::kEnd) {
    crc_ = Crc(crc_, frame->type, frame->data);
    return true;
  }
  uint32_t stored = 0;
  for (size_t i = 0; i < 4 && i < frame->data.size(); ++i)
    stored |= static_cast<uint32_t>(static_cast<uint8_t>(frame->data[i])) << (8 * i);
  if (frame->data.size() != 4 || stored != crc_) return Corrupt(path_ + " is damaged (checksum mismatch)");
  Frame extra;
  auto after = in_.Next(&extra);
  if (!after.ok() || *after) return Corrupt(path_ + " is damaged (data after its end marker)");
  ended_ = true;
  return false;
}

}  // namespace ember
