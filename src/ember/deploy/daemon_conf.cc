#include "ember/deploy/daemon_conf.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "ember/net/bind_policy.h"

namespace ember::deploy {

namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

}  // namespace

std::string ConfDirFile(const std::string& name) {
  for (const char* var : {"SPARK_CONF_DIR", "EMBER_CONF_DIR"}) {
    const char* dir = std::getenv(var);
    if (!dir || !*dir) continue;
    std::string path = std::string(dir) + "/" + name;
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) return path;
  }
  return "";
}

namespace {

void AddJavaOpts(const char* env, Conf* conf) {
  const char* value = std::getenv(env);
  if (!value) return;
  std::istringstream words(value);
  std::string w;
  while (words >> w) {
    size_t eq = w.find('=');
    if (w.rfind("-D", 0) == 0 && eq != std::string::npos) (*conf)[w.substr(2, eq - 2)] = w.substr(eq + 1);
  }
}

}  // namespace

Result<Conf> ReadPropertiesFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return InvalidArgument("cannot read the properties file " + path);
  Conf conf;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    size_t sep = line.find_first_of("=: \t");
    if (sep == std::string::npos)
      return InvalidArgument(path + " line " + std::to_string(number) + ": '" + line +
                             "' has no value (key=value)");
    std::string value = Trim(line.substr(sep + 1));
    if (!value.empty() && (value[0] == '=' || value[0] == ':')) value = Trim(value.substr(1));
    conf[Trim(line.substr(0, sep))] = value;
  }
  return conf;
}

Result<Conf> LoadPropertiesFile(const std::string& properties_file) {
  std::string path = properties_file.empty() ? ConfDirFile("spark-defaults.conf") : properties_file;
  if (path.empty()) return Conf();
  return ReadPropertiesFile(path);
}

Result<Conf> LoadDaemonConf(const std::string& properties_file, const char* opts_env) {
  EMBER_ASSIGN_OR_RETURN(Conf conf, LoadPropertiesFile(properties_file));
  AddJavaOpts("SPARK_DAEMON_JAVA_OPTS", &conf);
  AddJavaOpts(opts_env, &conf);
  return conf;
}

Result<std::string> ConfiguredSecret(const Conf& conf) {
  std::string secret = GetString(conf, "spark.authenticate.secret");
  std::string file = GetString(conf, "spark.authenticate.secret.file");
  if (secret.empty() && !file.empty()) {
    std::ifstream in(file);
    if (!in) return NotFound("cannot read spark.authenticate.secret.file " + file);
    std::getline(in, secret);
    if (secret.empty()) return InvalidArgument("spark.authenticate.secret.file " + file + " is empty");
  }
  return secret;
}

Result<std::string> DaemonSecret(const Conf& conf, const std::string& bind_host, const std::string& daemon) {
  EMBER_ASSIGN_OR_RETURN(bool authenticate, GetBool(conf, "spark.authenticate"));
  if (authenticate) {
    EMBER_ASSIGN_OR_RETURN(std::string secret, ConfiguredSecret(conf));
    if (secret.empty())
      return InvalidArgument("spark.authenticate is true but neither spark.authenticate.secret nor "
                             "spark.authenticate.secret.file is set");
    return secret;
  }
  if (!net::IsLoopbackHost(bind_host))
    return InvalidArgument("the " + daemon + " refuses to listen on " + bind_host +
                           " without authentication: set spark.authenticate=true and "
                           "spark.authenticate.secret in its properties file, or bind to 127.0.0.1");
  return std::string(kUnauthenticatedSecret);
}

}  // namespace ember::deploy
