"""local-cluster: executors are processes of their own that reach the
driver only over authenticated TCP. Who may connect, what a stranger can
do (nothing), and where the secret must never appear."""

import pytest

from harness import ok_json, run_driver

pytestmark = pytest.mark.own_master

SECRET = "canary-secret-7f3a9c"


def test_executors_are_processes_and_the_secret_shows_nowhere(tmp_path):
    out = run_driver("""
        sc = make_context("local-cluster[2,1,512]", spark_authenticate_secret=%r)
        import glob
        def lineage(_):
            worker = os.getpid()
            daemon = os.getppid()
            executor = int(open("/proc/%%d/stat" %% daemon).read().split(")")[1].split()[1])
            return (worker, daemon, executor)
        rows = sc.parallelize(range(8), 8).map(lineage).collect()
        executors = sorted({r[2] for r in rows})
        found = []
        for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
            for part in ("cmdline", "environ"):
                try:
                    data = open("/proc/%%s/%%s" %% (pid, part), "rb").read()
                except OSError:
                    continue
                if %r.encode() in data and int(pid) != os.getpid():
                    found.append((pid, part))
        cmdlines = [open("/proc/%%d/cmdline" %% e, "rb").read().split(b"\\0") for e in executors]
        print(json.dumps({"driver": os.getpid(), "executors": executors, "found": found,
                          "cmd": [[a.decode() for a in c[1:3]] for c in cmdlines]}))
        sc.stop()
    """ % (SECRET, SECRET), tmp_path)
    assert SECRET not in out.stderr
    result = ok_json(out)
    assert result["found"] == []  # not on any command line, not in any environment
    assert len(result["executors"]) >= 1 and result["driver"] not in result["executors"]
    assert all(c[0] == "executor" for c in result["cmd"])


def test_strangers_are_refused_before_anything_is_read(tmp_path):
    canary = tmp_path / "canary"
    out = run_driver("""
        import hashlib, hmac, pickle, socket, struct
        sc = make_context("local-cluster[1,1,512]", spark_authenticate_secret=%r)
        host, port = sc._engine.driver_address.rsplit(":", 1)

        class Canary:
            def __reduce__(self):
                return (open, (%r, "w"))

        def closed_by_server(sock):
            sock.settimeout(20)
            try:
                return sock.recv(1) == b""
            except ConnectionResetError:
                return True

        def attempt(proof_key=None, payload=None):
            s = socket.create_connection((host, int(port)))
            s.sendall(b"ember2\\r\\n")
            nonce = s.recv(32, socket.MSG_WAITALL)
            mine = os.urandom(32)
            if payload is not None:
                s.sendall(payload)
            else:
                mac = hmac.new(proof_key, b"ember2-client" + nonce + mine, hashlib.sha256).digest()
                s.sendall(mine + mac)
            return s, nonce, mine

        frame = pickle.dumps(Canary())
        results = {}
        # a pickle framed as a message, sent without any handshake
        s, _, _ = attempt(payload=b"\\xe1" + struct.pack("<Q", len(frame)) + frame + b"\\0" * 64)
        results["raw_pickle_refused"] = closed_by_server(s)
        # a well-formed proof made with the wrong secret
        s, _, _ = attempt(proof_key=b"not-the-secret")
        results["wrong_secret_refused"] = closed_by_server(s)
        # the right secret: the server proves itself back (the test client is sound)
        s, nonce, mine = attempt(proof_key=%r.encode())
        reply = s.recv(32, socket.MSG_WAITALL)
        expected = hmac.new(%r.encode(), b"ember2-server" + mine + nonce, hashlib.sha256).digest()
        results["right_secret_accepted"] = reply == expected
        s.close()
        results["still_works"] = sc.parallelize(range(10), 2).sum()
        print(json.dumps(results))
        sc.stop()
    """ % (SECRET, str(canary), SECRET, SECRET), tmp_path)
    assert ok_json(out) == {"raw_pickle_refused": True, "wrong_secret_refused": True,
                            "right_secret_accepted": True, "still_works": 45}
    assert not canary.exists()
    assert SECRET not in out.stderr


def test_listening_beyond_loopback_needs_authentication(tmp_path):
    out = run_driver("""
        try:
            make_context("local-cluster[1,1,512]", spark_driver_bindAddress="10.1.2.3")
        except Exception as e:
            print(json.dumps(str(e)))
    """, tmp_path)
    message = ok_json(out)
    assert "spark.authenticate" in message and "10.1.2.3" in message
