// Fuzz target: the server side of the HMAC handshake (net/auth.h), as a
// real net::Server runs it on every TCP connection: the input is what an
// unauthenticated client sends.
#include "fuzz_server.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ember::fuzz::SendToServer(ember::fuzz::AsView(data, size), /*authenticate=*/false);
  return 0;
}
