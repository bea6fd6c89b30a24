// Credentials: what every ember network connection of an application
// proves and protects itself with, passed as one value to Server, Connect
// and everything built on them.
//
// Contract: `secret` is the shared secret of the HMAC handshake (auth.h);
// it is always required, with TLS or without. `tls`, when set, wraps every
// connection in TLS (tls_stream.h) before that handshake, with the
// certificates of the loaded context (tls_context.h); null means plain TCP.
// Both ends of a connection must agree on TLS: a mismatch is refused at
// once, on both sides. Cheap to copy (the context is shared, immutable).
#pragma once

#include <memory>
#include <string>

namespace ember::net {

class TlsContext;  // tls_context.h

struct Credentials {
  std::string secret;
  std::shared_ptr<const TlsContext> tls = nullptr;  // plain TCP
};

}  // namespace ember::net
