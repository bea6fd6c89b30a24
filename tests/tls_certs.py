"""Throwaway TLS certificates for tests, made when they run with the
openssl program (nothing private is checked in): a CA, a certificate it
signed for localhost / 127.0.0.1, and that certificate's key."""

import subprocess

OPENSSL = "/usr/bin/openssl"
EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc"]


def make_certificates(directory):
    """Writes ca.pem, cert.pem and key.pem into `directory` (a pathlib.Path);
    returns the spark.ssl.* settings that use them, keyed as make_context()
    takes them."""
    d = directory
    run = lambda *args: subprocess.run([OPENSSL, *args], check=True, capture_output=True)
    run("req", "-x509", *EC_KEY, "-days", "2", "-subj", "/CN=ember test CA",
        "-keyout", str(d / "ca-key.pem"), "-out", str(d / "ca.pem"),
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", *EC_KEY, "-subj", "/CN=localhost", "-keyout", str(d / "key.pem"), "-out", str(d / "cert.csr"))
    (d / "ext.cnf").write_text("basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"
                               "extendedKeyUsage=serverAuth,clientAuth\n")
    run("x509", "-req", "-days", "2", "-in", str(d / "cert.csr"), "-CA", str(d / "ca.pem"),
        "-CAkey", str(d / "ca-key.pem"), "-CAcreateserial", "-extfile", str(d / "ext.cnf"),
        "-out", str(d / "cert.pem"))
    return {"spark_ssl_enabled": "true", "spark_ssl_certChain": str(d / "cert.pem"),
            "spark_ssl_privateKey": str(d / "key.pem"), "spark_ssl_trustStore": str(d / "ca.pem")}
