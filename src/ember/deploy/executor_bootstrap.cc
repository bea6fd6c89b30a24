#include "ember/deploy/executor_bootstrap.h"

#include "ember/common/frame.h"
#include "ember/deploy/tls_settings.h"

namespace ember::deploy {

namespace {
bool HasLineBreak(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; }
}  // namespace

Status WriteBootstrap(int fd, const std::string& secret, const Conf& conf) {
  if (secret.empty() || HasLineBreak(secret))
    return InvalidArgument("an executor's secret must be one non-empty line");
  std::string text = secret + "\n";
  for (const auto& [key, value] : TlsSettings(conf)) {
    if (HasLineBreak(value)) return InvalidArgument("setting " + key + " holds a line break");
    text += key + "=" + value + "\n";
  }
  text += "\n";
  return WriteAll(fd, text);
}

Result<net::Credentials> ReadBootstrap(std::istream& in) {
  net::Credentials credentials;
  if (!std::getline(in, credentials.secret) || credentials.secret.empty())
    return InvalidArgument("expected the shared secret on the first line of stdin");
  Conf settings;
  for (std::string line;;) {
    if (!std::getline(in, line))
      return InvalidArgument("stdin ended before the empty line that ends the executor's settings");
    if (line.empty()) break;
    auto equals = line.find('=');
    if (equals == std::string::npos || !line.starts_with("spark.ssl."))
      return InvalidArgument("expected a spark.ssl.* key=value line on stdin, got '" +
                             line.substr(0, equals) + "'");
    settings[line.substr(0, equals)] = line.substr(equals + 1);
  }
  EMBER_ASSIGN_OR_RETURN(credentials.tls, TlsFromConf(settings));
  return credentials;
}

}  // namespace ember::deploy
