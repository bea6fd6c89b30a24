"""spark.ssl.enabled: a local-cluster application whose every connection
(driver <-> executors, executor <-> executor for shuffle blocks, files and
broadcasts) runs in TLS, and settings that cannot work refused up front."""

import pytest

from harness import ok_json, run_driver
from tls_certs import make_certificates

pytestmark = pytest.mark.own_master


def settings_code(settings):
    return ", ".join("%s=%r" % kv for kv in settings.items())


def test_a_job_with_a_shuffle_and_a_broadcast_runs_in_tls(tmp_path):
    certs = tmp_path / "certs"
    certs.mkdir()
    settings = make_certificates(certs)
    words = tmp_path / "words.txt"
    words.write_text("a b c a b a\n" * 200 + "d e\n" * 50)
    out = run_driver("""
        import socket, ssl
        from operator import add
        sc = make_context("local-cluster[2,1,1024]", %s)
        stop = sc.broadcast({"a"})
        counts = dict(sc.textFile(%r, 4).flatMap(str.split)
                        .filter(lambda w: w not in stop.value)
                        .map(lambda w: (w, 1)).reduceByKey(add, 3).collect())
        groups = sorted((k, sorted(v)) for k, v in
                        sc.parallelize(range(40), 4).map(lambda x: (x %% 4, x)).groupByKey(2).collect())

        host, port = sc._engine.driver_address.rsplit(":", 1)
        # The driver's port speaks TLS with the application's certificate:
        # a TLS client that trusts the CA gets the handshake's nonce inside TLS...
        context = ssl.create_default_context(cafile=%r)
        context.check_hostname = False
        with context.wrap_socket(socket.create_connection((host, int(port)), timeout=20)) as s:
            s.sendall(b"ember2\\r\\n")
            nonce = b""
            while len(nonce) < 32:
                chunk = s.recv(32 - len(nonce))
                if not chunk:
                    break
                nonce += chunk
        # ...and a plaintext hello gets no nonce at all.
        with socket.create_connection((host, int(port)), timeout=20) as s:
            s.sendall(b"ember2\\r\\n")
            reply = b""
            try:
                while True:
                    chunk = s.recv(64)
                    if not chunk:
                        break
                    reply += chunk
            except ConnectionResetError:
                pass
        print(json.dumps({"counts": counts, "groups": groups, "tls_nonce": len(nonce),
                          "plaintext_got_nonce": len(reply) >= 32 and reply[:1] not in (b"\\x15", b"\\x16"),
                          "after": sc.parallelize(range(10), 2).sum()}))
        sc.stop()
    """ % (settings_code(settings), str(words), settings["spark_ssl_trustStore"]), tmp_path)
    result = ok_json(out)
    assert result["counts"] == {"b": 400, "c": 200, "d": 50, "e": 50}
    assert result["groups"] == [[k, list(range(k, 40, 4))] for k in range(4)]
    assert result["tls_nonce"] == 32
    assert result["plaintext_got_nonce"] is False
    assert result["after"] == 45


@pytest.mark.parametrize("setting,value,expected", [
    ("spark_ssl_certChain", "MISSING", "spark.ssl.certChain %s: cannot read it: No such file"),
    ("spark_ssl_rpc_privateKey", "MISSING", "spark.ssl.rpc.privateKey %s: cannot read it: No such file"),
    ("spark_ssl_trustStore", None, "spark.ssl.trustStore is not set"),
    ("spark_ssl_protocol", "TLSv1.1", "invalid value 'TLSv1.1' for setting spark.ssl.protocol"),
])
def test_a_setting_that_cannot_work_fails_the_context_naming_it(tmp_path, setting, value, expected):
    certs = tmp_path / "certs"
    certs.mkdir()
    settings = make_certificates(certs)
    missing = str(tmp_path / "nowhere.pem")
    if value is None:
        del settings[setting]
    else:
        settings[setting] = missing if value == "MISSING" else value
    out = run_driver("""
        try:
            make_context("local-cluster[1,1,512]", %s)
            print(json.dumps("no error"))
        except Exception as e:
            print(json.dumps(str(e)))
    """ % settings_code(settings), tmp_path)
    message = ok_json(out)
    assert (expected % missing if "%s" in expected else expected) in message, message
