// Settings files, read the way Spark reads them: the properties file of
// `ember submit` / `ember shell` and of the `ember master` / `ember worker`
// daemons.
//
// Contract: LoadPropertiesFile reads `properties_file`, else
// $SPARK_CONF_DIR/spark-defaults.conf or $EMBER_CONF_DIR/spark-defaults.conf
// when one exists (an empty Conf when none does). LoadDaemonConf reads
// that, then the `-Dkey=value` words of
// $SPARK_DAEMON_JAVA_OPTS and of `opts_env` (SPARK_MASTER_OPTS or
// SPARK_WORKER_OPTS); later sources win. Properties files are Java-style:
// `key=value`, `key: value` or `key value` lines, `#`/`!` comments, blank
// lines ignored, surrounding blanks trimmed. A file that cannot be read
// or a line without a value is InvalidArgument naming file and line.
//
// DaemonSecret decides what a daemon's connections prove (net/auth.h):
// with spark.authenticate the configured secret (spark.authenticate.secret
// or the first line of spark.authenticate.secret.file; missing is an
// error); without it kUnauthenticatedSecret, which everybody knows — so
// then `bind_host` must be a loopback address, else InvalidArgument
// saying how to turn authentication on.
#pragma once

#include <string>

#include "ember/common/status.h"
#include "ember/deploy/settings.h"

namespace ember::deploy {

// What daemons and drivers prove to each other on a cluster without
// spark.authenticate. Not a secret: such a cluster listens on loopback only.
inline constexpr const char* kUnauthenticatedSecret = "ember-unauthenticated-loopback-cluster";

// The first of $SPARK_CONF_DIR/<name> and $EMBER_CONF_DIR/<name> that
// exists; "" when neither does.
std::string ConfDirFile(const std::string& name);
Result<Conf> ReadPropertiesFile(const std::string& path);
Result<Conf> LoadPropertiesFile(const std::string& properties_file);
Result<Conf> LoadDaemonConf(const std::string& properties_file, const char* opts_env);

// The secret set by spark.authenticate.secret or spark.authenticate.secret.file; "" if neither.
Result<std::string> ConfiguredSecret(const Conf& conf);
Result<std::string> DaemonSecret(const Conf& conf, const std::string& bind_host, const std::string& daemon);

}  // namespace ember::deploy
