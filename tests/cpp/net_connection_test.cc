// Connection: messages and byte payloads both ways, concurrent senders,
// the frame size limit, malformed frames, and Close() waking a reader.
#include <gtest/gtest.h>

#include <future>
#include <map>
#include <vector>

#include "ember.pb.h"
#include "ember/net/auth.h"
#include "ember/net/client.h"
#include "ember/net/frame_header.h"
#include "ember/net/plain_stream.h"
#include "ember/net/server.h"
#include "net_test_util.h"

namespace ember::net {
namespace {

using namespace testing;

// A server whose every authenticated connection is handed to `handler`.
struct TestServer {
  explicit TestServer(Server::ConnectionHandler handler, ServerOptions options = {})
      : server(options) {
    Status st = server.Start("127.0.0.1", 0, {kSecret}, std::move(handler));
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  std::shared_ptr<Connection> Connect(ConnectionOptions options = {}) {
    auto c = net::Connect("127.0.0.1", server.port(), {kSecret}, kGenerous, options);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : nullptr;
  }
  Server server;
};

// What a server handler saw, for the test thread to wait on.
struct Outcome {
  std::promise<Status> promise;
  std::future<Status> future = promise.get_future();
  Status Get() {
    if (future.wait_for(kGenerous) != std::future_status::ready) return Internal("no outcome");
    return future.get();
  }
};

TEST(NetConnection, MessagesAndBytesFlowBothWays) {
  TestServer test([](std::shared_ptr<Connection> c) {
    proto::TaskResult request;
    if (!c->Receive(&request).ok()) return;
    proto::TaskResult reply = request;
    reply.set_task_id(request.task_id() + 1);
    reply.mutable_map_status()->add_block_sizes(123);
    (void)c->Send(reply);
    std::string bytes;
    if (c->ReceiveBytes(&bytes).ok()) (void)c->SendBytes(bytes + "!");
    (void)c->Send(proto::TaskResult());  // an empty message is a 0-byte frame
  });
  auto c = test.Connect();
  ASSERT_TRUE(c);

  proto::TaskResult request;
  request.set_task_id(41);
  request.add_frames()->set_data(std::string(100000, 'f'));
  ASSERT_TRUE(c->Send(request).ok());
  proto::TaskResult reply;
  ASSERT_TRUE(Got(c->Receive(&reply)));
  EXPECT_EQ(reply.task_id(), 42);
  EXPECT_EQ(reply.frames(0).data(), std::string(100000, 'f'));
  EXPECT_EQ(reply.map_status().block_sizes(0), 123);

  std::string binary("\0\xff\x01 bytes", 9);
  ASSERT_TRUE(c->SendBytes(binary).ok());
  std::string echoed;
  ASSERT_TRUE(Got(c->ReceiveBytes(&echoed)));
  EXPECT_EQ(echoed, binary + "!");

  proto::TaskResult empty;
  empty.set_task_id(5);
  ASSERT_TRUE(Got(c->Receive(&empty)));
  EXPECT_EQ(empty.task_id(), 0);

  auto end = c->Receive(&reply);  // the handler returned: its connection closed
  ASSERT_TRUE(end.ok()) << end.status().ToString();
  EXPECT_FALSE(*end);
}

// Message `index` of sender `sender`: its size and contents follow from
// both, so the receiver can check it arrived whole and unmixed. Sizes up
// to 1 MiB overflow the socket buffers, so writes block part-way, which
// is when unguarded writers would interleave.
std::string Body(int sender, int index) {
  size_t size = (static_cast<size_t>(sender) * 7919 + index * 104729) % (1 << 20);
  std::string body(size, static_cast<char>('a' + (sender + index) % 26));
  for (size_t i = 0; i < size; i += 4096) body[i] = static_cast<char>('A' + sender);
  return body;
}

TEST(NetConnection, ConcurrentSendersNeverInterleave) {
  constexpr int kSenders = 8, kPerSender = 30;
  std::map<int, int> next_index;  // per sender: messages arrive in the order it sent them
  int intact = 0;
  Counter all_received;
  TestServer test([&](std::shared_ptr<Connection> c) {
    proto::TaskResult m;
    for (int n = 1; Got(c->Receive(&m)); ++n) {
      int sender = static_cast<int>(m.task_id() / 1000);
      int index = static_cast<int>(m.task_id() % 1000);
      if (index == next_index[sender]++ && m.frames_size() == 1 &&
          m.frames(0).data() == Body(sender, index))
        ++intact;
      if (n == kSenders * kPerSender) all_received.Add();
    }
  });
  auto c = test.Connect();
  ASSERT_TRUE(c);
  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&c, s] {
      for (int i = 0; i < kPerSender; ++i) {
        proto::TaskResult m;
        m.set_task_id(s * 1000 + i);
        m.add_frames()->set_data(Body(s, i));
        EXPECT_TRUE(c->Send(m).ok());
      }
    });
  }
  for (auto& t : senders) t.join();
  ASSERT_TRUE(all_received.WaitFor(1));
  EXPECT_EQ(intact, kSenders * kPerSender);
}

TEST(NetConnection, SendRefusesAPayloadOverTheMaximum) {
  TestServer test([](std::shared_ptr<Connection> c) {
    std::string bytes;
    while (Got(c->ReceiveBytes(&bytes))) (void)c->SendBytes(bytes);
  });
  ConnectionOptions small;
  small.max_frame_size = 1024;
  auto c = test.Connect(small);
  ASSERT_TRUE(c);
  Status st = c->SendBytes(std::string(1025, 'x'));
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();
  ASSERT_TRUE(c->SendBytes(std::string(1024, 'y')).ok());  // nothing was sent; still usable
  std::string echoed;
  ASSERT_TRUE(Got(c->ReceiveBytes(&echoed)));
  EXPECT_EQ(echoed, std::string(1024, 'y'));
}

TEST(NetConnection, ReceiveRefusesAFrameOverTheMaximumAndCloses) {
  Outcome outcome;
  ServerOptions options;
  options.connection.max_frame_size = 1 << 20;
  TestServer test(
      [&](std::shared_ptr<Connection> c) {
        std::string bytes;
        auto first = c->ReceiveBytes(&bytes);  // exactly the maximum: fine
        if (!first.ok() || bytes.size() != (1u << 20))
          return outcome.promise.set_value(Internal("the first frame did not arrive"));
        outcome.promise.set_value(c->ReceiveBytes(&bytes).status());
      },
      options);
  auto c = test.Connect();
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->SendBytes(std::string(1 << 20, 'a')).ok());
  // May fail part-way: the server closes as soon as it has read the header.
  (void)c->SendBytes(std::string((1 << 20) + 1, 'b'));
  Status st = outcome.Get();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();
  EXPECT_NE(st.message().find("exceeds the maximum frame size of 1048576"), std::string::npos);
  std::string ignored;
  auto end = c->ReceiveBytes(&ignored);  // the server closed its side
  EXPECT_TRUE(!end.ok() || !*end);
}

// A client that authenticates properly and then writes raw bytes.
struct RawAuthenticatedClient {
  explicit RawAuthenticatedClient(uint16_t port) : socket(RawConnect(io, port)) {
    PlainStream stream(socket);
    Status st = ClientHandshake(stream, kSecret, In(kGenerous), "test server");
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  void Write(const std::string& bytes) {
    EXPECT_TRUE(WriteAllBefore(socket, bytes.data(), bytes.size(), In(kGenerous)).ok());
  }
  asio::io_context io;
  asio::ip::tcp::socket socket;
};

std::string Header(uint64_t size) {
  std::string header(kFrameHeaderSize, '\0');
  EncodeFrameHeader(size, header.data());
  return header;
}

Status WhatTheServerReceives(const std::string& raw_bytes, bool then_close) {
  Outcome outcome;
  TestServer test([&](std::shared_ptr<Connection> c) {
    std::string payload;
    outcome.promise.set_value(c->ReceiveBytes(&payload).status());
  });
  RawAuthenticatedClient client(test.server.port());
  client.Write(raw_bytes);
  if (then_close) client.socket.shutdown(asio::ip::tcp::socket::shutdown_send);
  Status st = outcome.Get();
  // However it failed, the server must have closed the connection.
  EXPECT_EQ(ReadUntilClosed(client.socket, kGenerous).message(), "the connection was closed");
  return st;
}

TEST(NetConnection, AHugeLengthIsRefusedFromTheHeaderWithoutAllocating) {
  // 1 TiB announced and never sent: allocating it would fail or take the
  // machine's memory, and waiting for it would hang the test.
  Status st = WhatTheServerReceives(Header(uint64_t{1} << 40), false);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();
  EXPECT_NE(st.message().find("1099511627776 bytes from 127.0.0.1:"), std::string::npos)
      << st.message();
}

TEST(NetConnection, ALengthWithinTheMaximumIsAllocatedAsTheBytesArrive) {
  // 1 GiB announced (under the 2 GiB maximum), 10 bytes sent: the receive
  // buffer grows with what arrives, so the truncated frame cost little
  // (found by tests/fuzz/rpc_message).
  Outcome outcome;
  size_t capacity = 0;
  TestServer test([&](std::shared_ptr<Connection> c) {
    std::string payload;
    Status st = c->ReceiveBytes(&payload).status();
    capacity = payload.capacity();
    outcome.promise.set_value(st);
  });
  RawAuthenticatedClient client(test.server.port());
  client.Write(Header(uint64_t{1} << 30) + "only ten..");
  client.socket.shutdown(asio::ip::tcp::socket::shutdown_send);
  Status st = outcome.Get();
  EXPECT_EQ(st.code(), StatusCode::kIOError) << st.ToString();
  EXPECT_LE(capacity, size_t{4} << 20);
}

TEST(NetConnection, ABadMagicByteIsCorrupt) {
  std::string header = Header(4);
  header[0] = 'G';  // say, "GET / HTTP/1.1"
  Status st = WhatTheServerReceives(header + "abcd", false);
  EXPECT_EQ(st.code(), StatusCode::kCorrupt) << st.ToString();
}

TEST(NetConnection, ATruncatedFrameIsAnError) {
  Status st = WhatTheServerReceives(Header(100) + "only ten..", true);
  EXPECT_EQ(st.code(), StatusCode::kIOError) << st.ToString();
  EXPECT_NE(st.message().find("in the middle of a message"), std::string::npos) << st.message();
}

TEST(NetConnection, AMessageThatDoesNotParseIsCorrupt) {
  Outcome outcome;
  TestServer test([&](std::shared_ptr<Connection> c) {
    proto::TaskResult m;
    outcome.promise.set_value(c->Receive(&m).status());
  });
  auto c = test.Connect();
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->SendBytes("\xff\xff\xff\xff not a protobuf").ok());
  Status st = outcome.Get();
  EXPECT_EQ(st.code(), StatusCode::kCorrupt) << st.ToString();
  EXPECT_NE(st.message().find("ember.proto.TaskResult"), std::string::npos) << st.message();
}

TEST(NetConnection, CloseUnblocksABlockedReceive) {
  Counter handler_done;
  TestServer test([&](std::shared_ptr<Connection> c) {
    (void)c->SendBytes("hello");
    std::string ignored;
    while (Got(c->ReceiveBytes(&ignored))) {
    }
    handler_done.Add();
  });
  auto c = test.Connect();
  ASSERT_TRUE(c);
  Counter got_first;
  auto reader = std::async(std::launch::async, [&]() -> Result<bool> {
    std::string payload;
    auto first = c->ReceiveBytes(&payload);
    got_first.Add();
    if (!first.ok()) return first;
    return c->ReceiveBytes(&payload);  // blocks: the server sends nothing more
  });
  ASSERT_TRUE(got_first.WaitFor(1));
  c->Close();
  ASSERT_EQ(reader.wait_for(kGenerous), std::future_status::ready);
  auto result = reader.get();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_FALSE(*result);  // closed by us: a clean end
  EXPECT_TRUE(c->is_closed());
  EXPECT_EQ(c->SendBytes("late").code(), StatusCode::kIOError);
  EXPECT_TRUE(handler_done.WaitFor(1));  // and the server saw the end too
}

TEST(NetConnection, FrameHeaderRoundTrips) {
  for (uint64_t size : {uint64_t{0}, uint64_t{1}, uint64_t{1} << 40, ~uint64_t{0}}) {
    char header[kFrameHeaderSize];
    EncodeFrameHeader(size, header);
    EXPECT_EQ(static_cast<uint8_t>(header[0]), kFrameMagic);
    auto decoded = DecodeFrameHeader(header);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, size);
  }
  char bad[kFrameHeaderSize] = {'E'};
  EXPECT_EQ(DecodeFrameHeader(bad).status().code(), StatusCode::kCorrupt);
}

}  // namespace
}  // namespace ember::net
