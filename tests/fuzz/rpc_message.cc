// Fuzz target: what an authenticated peer sends a real net::Server —
// message framing (net/frame_header.h), Connection::Receive and the
// decoding of ember.proto's RpcMessage.
#include "fuzz_server.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ember::fuzz::SendToServer(ember::fuzz::AsView(data, size), /*authenticate=*/true);
  return 0;
}
