// Framing: frames written with FrameWriter come back whole and in order
// through FrameReader, across pipe buffer boundaries; truncation is an error.
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "ember/common/frame.h"

namespace ember {
namespace {

TEST(Frame, RoundTripManySizes) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::vector<std::string> payloads;
  for (size_t n : {0, 1, 5, 1000, 65536, 300000, 2000000}) payloads.push_back(std::string(n, 'a' + n % 26));
  std::thread writer([&] {
    FrameWriter w(fds[1]);
    for (size_t i = 0; i < payloads.size(); ++i)
      ASSERT_TRUE(w.Write(i % 2 ? FrameType::kUtf8Lines : FrameType::kPickleBatch, payloads[i]).ok());
    ASSERT_TRUE(w.Write(FrameType::kEnd, "").ok());
    ASSERT_TRUE(w.Flush().ok());
    ::close(fds[1]);
  });
  FrameReader r(fds[0]);
  Frame f;
  for (size_t i = 0; i < payloads.size(); ++i) {
    auto more = r.Next(&f);
    ASSERT_TRUE(more.ok());
    ASSERT_TRUE(*more);
    EXPECT_EQ(f.type, i % 2 ? FrameType::kUtf8Lines : FrameType::kPickleBatch);
    EXPECT_EQ(f.data, payloads[i]);
  }
  ASSERT_TRUE(*r.Next(&f));
  EXPECT_EQ(f.type, FrameType::kEnd);
  auto end = r.Next(&f);
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(*end);  // clean EOF at a frame boundary
  writer.join();
  ::close(fds[0]);
}

TEST(Frame, TruncatedFrameIsAnError) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string encoded;
  EncodeFrame(FrameType::kPickleBatch, "hello world", &encoded);
  ASSERT_TRUE(WriteAll(fds[1], encoded.substr(0, encoded.size() - 3)).ok());
  ::close(fds[1]);
  FrameReader r(fds[0]);
  Frame f;
  auto more = r.Next(&f);
  EXPECT_FALSE(more.ok());
  ::close(fds[0]);
}

TEST(Frame, AHugeLengthThatNeverArrivesIsNotAllocated) {
  // A damaged length (2 GiB - 1) followed by 10 bytes: the reader must fail
  // at the end of the stream having asked for buffers sized by what it
  // read, not by the length field (found by tests/fuzz/frame_reader).
  std::string in;
  EncodeFrame(FrameType::kPickleBatch, "0123456789", &in);
  in[0] = in[1] = in[2] = '\xff';
  in[3] = '\x7f';
  size_t largest_read = 0;
  FrameReader r([&](char* buf, size_t n) -> Result<size_t> {
    largest_read = std::max(largest_read, n);
    size_t k = std::min(n, in.size());
    in.copy(buf, k);
    in.erase(0, k);
    return k;
  });
  Frame f;
  auto more = r.Next(&f);
  EXPECT_FALSE(more.ok());
  EXPECT_LE(largest_read, size_t{1} << 20);
}

TEST(Frame, EncodeLayoutIsLittleEndianLengthThenType) {
  std::string out;
  EncodeFrame(FrameType::kBucketBatch, std::string(258, 'x'), &out);
  ASSERT_EQ(out.size(), kFrameHeaderSize + 258);
  EXPECT_EQ(static_cast<uint8_t>(out[0]), 2);
  EXPECT_EQ(static_cast<uint8_t>(out[1]), 1);
  EXPECT_EQ(out[2], 0);
  EXPECT_EQ(out[3], 0);
  EXPECT_EQ(static_cast<uint8_t>(out[4]), 4);
}

}  // namespace
}  // namespace ember
