// TlsContext: the loaded TLS configuration of an application — its
// certificate chain, private key and trust store — which every connection
// of every process of the application uses (credentials.h).
//
// Contract:
// - Load reads PEM files: `cert_chain` (this side's certificate first,
//   then any intermediates), `private_key` (unencrypted) and `trust_store`
//   (the CA certificates a peer's chain must lead to). It checks that each
//   file is readable and parses, and that the key matches the certificate;
//   any failure is InvalidArgument naming the setting (TlsFile::setting)
//   and the file. Nothing is read after Load.
// - Every connection uses TLS 1.2 or later (`min_version` "TLSv1.3" raises
//   the floor), without renegotiation or session tickets. Each side
//   presents the certificate chain; a client always verifies the server's
//   chain against the trust store; a server verifies the client's only
//   with `need_client_auth` (then a client without a valid chain is
//   refused). Host names are not checked: holding a certificate of the
//   application's CA, and then the shared secret, is what is proven.
// - Immutable once loaded; shared by any number of connections and threads.
#pragma once

#include <memory>
#include <string>

#include "ember/common/status.h"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace asio::ssl {
class context;
}

namespace ember::net {

struct TlsFile {
  std::string path;
  std::string setting;  // what error messages call it, e.g. "spark.ssl.certChain"
};

struct TlsOptions {
  TlsFile cert_chain{"", "certificate chain"};
  TlsFile private_key{"", "private key"};
  TlsFile trust_store{"", "trust store"};
  bool need_client_auth = false;
  std::string min_version = "TLSv1.2";  // or "TLSv1.3"
};

class TlsContext {
 public:
  static Result<std::shared_ptr<const TlsContext>> Load(const TlsOptions& options);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  ssl_ctx_st* native() const;  // for SSL_new, which is thread-safe
  bool need_client_auth() const { return need_client_auth_; }

 private:
  TlsContext(std::unique_ptr<asio::ssl::context> context, bool need_client_auth);
  const std::unique_ptr<asio::ssl::context> context_;
  const bool need_client_auth_;
};

}  // namespace ember::net
