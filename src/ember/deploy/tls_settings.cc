#include "ember/deploy/tls_settings.h"

namespace ember::deploy {

namespace {

constexpr char kPrefix[] = "spark.ssl.";

// The key that is set, spark.ssl.rpc.<name> before spark.ssl.<name>; the
// global one when neither is, so messages name what a user would set.
std::string KeyOf(const Conf& conf, const std::string& name) {
  std::string specific = std::string(kPrefix) + "rpc." + name;
  return conf.count(specific) ? specific : kPrefix + name;
}

net::TlsFile File(const Conf& conf, const std::string& name) {
  std::string key = KeyOf(conf, name);
  return {GetString(conf, key), key};
}

}  // namespace

Result<std::shared_ptr<const net::TlsContext>> TlsFromConf(const Conf& conf) {
  EMBER_ASSIGN_OR_RETURN(bool enabled, GetBool(conf, KeyOf(conf, "enabled")));
  if (!enabled) return std::shared_ptr<const net::TlsContext>();
  net::TlsOptions options;
  options.cert_chain = File(conf, "certChain");
  options.private_key = File(conf, "privateKey");
  options.trust_store = File(conf, "trustStore");
  EMBER_ASSIGN_OR_RETURN(options.need_client_auth,
                         GetBool(conf, KeyOf(conf, "needClientAuth")));
  std::string protocol_key = KeyOf(conf, "protocol");
  options.min_version = GetString(conf, protocol_key);
  if (options.min_version != "TLSv1.2" && options.min_version != "TLSv1.3")
    return InvalidArgument("invalid value '" + options.min_version + "' for setting " + protocol_key +
                           " (TLSv1.2 or TLSv1.3)");
  return net::TlsContext::Load(options);
}

Conf TlsSettings(const Conf& conf) {
  Conf settings;
  for (auto it = conf.lower_bound(kPrefix); it != conf.end() && it->first.starts_with(kPrefix); ++it)
    settings.insert(*it);
  return settings;
}

}  // namespace ember::deploy
