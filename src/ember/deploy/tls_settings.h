// The application's TLS settings, Spark's names for them, and the TLS
// context they load (net/tls_context.h).
//
// Settings: each `spark.ssl.rpc.<name>` is read first, then
// `spark.ssl.<name>` (ember's connections are all what Spark calls RPC):
//   enabled          "true" turns TLS on for every connection (default false)
//   certChain        PEM certificate chain this process presents
//   privateKey       PEM private key of that certificate, unencrypted
//   trustStore       PEM CA certificates the peer's chain must lead to
//   needClientAuth   "true": servers also verify clients' chains (mutual TLS)
//   protocol         lowest TLS version: TLSv1.2 (default) or TLSv1.3
//
// Contract: TlsFromConf returns null when TLS is off; otherwise the loaded
// context, or InvalidArgument naming the setting (and the file) that is
// missing, unreadable, unparsable, or does not fit (a key that is not the
// certificate's). TlsSettings picks the spark.ssl.* entries of a
// configuration: what another process needs to load the same context.
#pragma once

#include <memory>

#include "ember/deploy/settings.h"
#include "ember/net/tls_context.h"

namespace ember::deploy {

Result<std::shared_ptr<const net::TlsContext>> TlsFromConf(const Conf& conf);
Conf TlsSettings(const Conf& conf);

}  // namespace ember::deploy
