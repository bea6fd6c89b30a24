// Throwaway certificates for tests and benchmarks, made when they run with
// the openssl program (nothing private is checked in): a CA, a
// certificate it signed for localhost / 127.0.0.1 with its key, and a
// second, unrelated CA with its own signed certificate and key.
//
// Contract: MakeTestCertificates writes PEM files into `dir` (which must
// exist) and returns their paths, or an error naming the openssl command
// that failed. Runs openssl by exec, never through a shell.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "ember/common/process.h"
#include "ember/common/status.h"

namespace ember::testing {

struct TestCertificates {
  std::string ca;          // the CA's certificate: the trust store
  std::string cert;        // signed by `ca`
  std::string key;         // cert's private key
  std::string other_ca;    // a CA that signed nothing of the above
  std::string other_cert;  // signed by other_ca
  std::string other_key;
};

inline Status RunOpenssl(std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/openssl");
  EMBER_ASSIGN_OR_RETURN(ChildProcess child, SpawnChild(args, ChildEnvironment(), true));
  ::close(child.stdin_fd);
  char buf[4096];
  while (::read(child.stdout_fd, buf, sizeof buf) > 0) {
  }
  ::close(child.stdout_fd);
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::OK();
  return Internal("openssl " + args[1] + " " + DescribeWaitStatus(status));
}

// A CA named `name`, and a certificate for localhost it signed.
inline Status MakeCaAndLeaf(const std::string& dir, const std::string& name, std::string* ca,
                            std::string* cert, std::string* key) {
  std::string base = dir + "/" + name;
  *ca = base + "-ca.pem";
  *cert = base + "-cert.pem";
  *key = base + "-key.pem";
  const std::vector<std::string> ec_key = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                           "-noenc"};
  std::vector<std::string> make_ca = {"req", "-x509", "-days", "2", "-subj", "/CN=" + name + " test CA",
                                      "-keyout", base + "-ca-key.pem", "-out", *ca,
                                      "-addext", "basicConstraints=critical,CA:TRUE",
                                      "-addext", "keyUsage=critical,keyCertSign,cRLSign"};
  make_ca.insert(make_ca.begin() + 2, ec_key.begin(), ec_key.end());
  EMBER_RETURN_IF_ERROR(RunOpenssl(make_ca));
  std::vector<std::string> make_csr = {"req", "-subj", "/CN=localhost", "-keyout", *key, "-out", base + ".csr"};
  make_csr.insert(make_csr.begin() + 1, ec_key.begin(), ec_key.end());
  EMBER_RETURN_IF_ERROR(RunOpenssl(make_csr));
  std::string extensions = base + "-ext.cnf";
  std::ofstream(extensions) << "basicConstraints=CA:FALSE\n"
                               "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                               "extendedKeyUsage=serverAuth,clientAuth\n";
  return RunOpenssl({"x509", "-req", "-days", "2", "-in", base + ".csr", "-CA", *ca, "-CAkey",
                     base + "-ca-key.pem", "-CAcreateserial", "-extfile", extensions, "-out", *cert});
}

inline Result<TestCertificates> MakeTestCertificates(const std::string& dir) {
  TestCertificates c;
  EMBER_RETURN_IF_ERROR(MakeCaAndLeaf(dir, "ember", &c.ca, &c.cert, &c.key));
  EMBER_RETURN_IF_ERROR(MakeCaAndLeaf(dir, "other", &c.other_ca, &c.other_cert, &c.other_key));
  return c;
}

}  // namespace ember::testing
