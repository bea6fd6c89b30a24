#include "ember/net/tls_context.h"

#include <openssl/ssl.h>

#include <asio/ssl/context.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace ember::net {

namespace {

Status Unusable(const TlsFile& file, const std::string& why) {
  return InvalidArgument(file.setting + " " + file.path + ": " + why);
}

// Named before OpenSSL reads it, so a missing file says so plainly.
Status CheckReadable(const TlsFile& file) {
  if (file.path.empty()) return InvalidArgument(file.setting + " is not set (TLS needs it)");
  std::ifstream in(file.path);
  if (!in) return Unusable(file, std::string("cannot read it: ") + std::strerror(errno));
  return Status::OK();
}

Status Check(const TlsFile& file, const asio::error_code& ec, const std::string& what) {
  if (!ec) return Status::OK();
  return Unusable(file, "not " + what + " (" + ec.message() + ")");
}

Result<asio::ssl::context::options> VersionOptions(const std::string& min_version) {
  asio::ssl::context::options off = asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                                    asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1;
  if (min_version == "TLSv1.2") return off;
  if (min_version == "TLSv1.3") return off | asio::ssl::context::no_tlsv1_2;
  return InvalidArgument("unsupported lowest TLS version '" + min_version + "' (TLSv1.2 or TLSv1.3)");
}

}  // namespace

Result<std::shared_ptr<const TlsContext>> TlsContext::Load(const TlsOptions& options) {
  for (const TlsFile* file : {&options.cert_chain, &options.private_key, &options.trust_store})
    EMBER_RETURN_IF_ERROR(CheckReadable(*file));
  EMBER_ASSIGN_OR_RETURN(auto version_options, VersionOptions(options.min_version));

  auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls);
  asio::error_code ec;
  context->set_options(version_options | asio::ssl::context::default_workarounds, ec);
  if (ec) return Internal("cannot configure TLS: " + ec.message());
  SSL_CTX* ctx = context->native_handle();
  // Every connection is between processes of one application: no session
  // resumption to manage, and nothing may renegotiate under a running stream.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
  SSL_CTX_set_num_tickets(ctx, 0);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  // An encrypted key fails to load instead of OpenSSL prompting on a terminal.
  context->set_password_callback(
      [](std::size_t, asio::ssl::context::password_purpose) { return std::string(); }, ec);

  context->use_certificate_chain_file(options.cert_chain.path, ec);
  EMBER_RETURN_IF_ERROR(Check(options.cert_chain, ec, "a PEM certificate chain"));
  context->use_private_key_file(options.private_key.path, asio::ssl::context::pem, ec);
  // OpenSSL checks here that the key is the certificate's.
  EMBER_RETURN_IF_ERROR(Check(options.private_key, ec,
                              "an unencrypted PEM private key of the certificate in " +
                                  options.cert_chain.setting + " " + options.cert_chain.path));
  context->load_verify_file(options.trust_store.path, ec);
  EMBER_RETURN_IF_ERROR(Check(options.trust_store, ec, "PEM CA certificates"));
  return std::shared_ptr<const TlsContext>(new TlsContext(std::move(context), options.need_client_auth));
}

TlsContext::TlsContext(std::unique_ptr<asio::ssl::context> context, bool need_client_auth)
    : context_(std::move(context)), need_client_auth_(need_client_auth) {}

TlsContext::~TlsContext() = default;

ssl_ctx_st* TlsContext::native() const { return context_->native_handle(); }

}  // namespace ember::net
