// What a process that launches an executor (the driver's ClusterBackend,
// a worker daemon) hands it on its stdin before anything else: all the
// executor needs to connect to the driver. Never on the command line or
// in the environment, where other users of the machine could read it.
//
// Format (UTF-8 lines ending in "\n"):
//   <the application's shared secret>
//   <key>=<value>          each spark.ssl.* setting (tls_settings.h), any order
//   <an empty line>        the end
//
// Contract: WriteBootstrap writes it to `fd` in one go and refuses
// (InvalidArgument, before writing anything) an empty secret or a value
// holding a line break. ReadBootstrap reads exactly up to the empty line,
// so the stream can be read on (for its end) afterwards, and returns the
// credentials the lines describe: the secret and the TLS context loaded
// from the settings (null when TLS is off). A stream that ends early, a
// line that is not key=value or a key outside spark.ssl.* is
// InvalidArgument; a setting that does not load, as tls_settings.h says.
#pragma once

#include <istream>
#include <string>

#include "ember/deploy/settings.h"
#include "ember/net/credentials.h"

namespace ember::deploy {

Status WriteBootstrap(int fd, const std::string& secret, const Conf& conf);
Result<net::Credentials> ReadBootstrap(std::istream& in);

}  // namespace ember::deploy
