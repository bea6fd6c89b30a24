"""A real HDFS for the tests: Hadoop's MiniDFSCluster (tests/java/src/
MiniHdfs.java) with one datanode and WebHDFS, on 127.0.0.1.

Contract: the session-scoped ``hdfs`` fixture starts one cluster per test
process (a small JVM heap) and gives a MiniHdfs with ``uri``
("hdfs://127.0.0.1:<rpc>"), ``http`` ("127.0.0.1:<http>", its WebHDFS
address) and ``seconds_to_start``; ``hdfs.list(path)`` and
``hdfs.read(path)`` ask the namenode over WebHDFS directly and
``hdfs.write(path, data)`` creates a file the same way (urllib, not
ember), so tests compare ember with what HDFS itself holds. A cluster
that does not come up within START_TIMEOUT raises with the end of its
log; the JVM is stopped (stdin closed, then killed if it lingers) and its
directory removed at the end of the session."""

import getpass
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from reference import java_command

START_TIMEOUT = 120


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None  # the 307 surfaces as an HTTPError carrying Location


_NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects)


class MiniHdfs:
    def __init__(self, root):
        self.root = root
        self.log_path = os.path.join(root, "minihdfs.log")
        self.uri = self.http = None
        self.seconds_to_start = None
        self._proc = None

    def start(self):
        started = time.monotonic()
        with open(self.log_path, "wb") as log:
            self._proc = subprocess.Popen(java_command("MiniHdfs", os.path.join(self.root, "data"), heap="384m"),
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        line = self._first_line()
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError("HDFS mini cluster did not start (got %r); end of its log:\n%s"
                               % (line, self._log_tail()))
        self.uri, http = line.split()[1:3]
        self.http = http[len("http="):]
        self.seconds_to_start = time.monotonic() - started
        return self

    def _first_line(self):
        """Its READY line, or "" if it exits or START_TIMEOUT passes first."""
        lines = []
        reader = threading.Thread(target=lambda: lines.append(self._proc.stdout.readline().decode()), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        return lines[0].strip() if lines else ""

    def _log_tail(self):
        with open(self.log_path, "rb") as log:
            return log.read()[-4000:].decode("utf-8", "replace")

    def stop(self):
        if self._proc and self._proc.poll() is None:
            self._proc.stdin.close()
            try:
                self._proc.wait(30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    def _url(self, path, op, **params):
        query = urllib.parse.urlencode({"op": op, "user.name": getpass.getuser(), **params})
        return "http://%s/webhdfs/v1%s?%s" % (self.http, urllib.parse.quote(path), query)

    def _get(self, path, op):
        with urllib.request.urlopen(self._url(path, op), timeout=60) as answer:
            return answer.read()

    def write(self, path, data, **params):
        """Creates `path` with bytes `data` (CREATE's parameters, e.g.
        blocksize=1048576): CREATE at the namenode, whose 307 names the
        datanode that takes the data."""
        try:
            _NO_REDIRECTS.open(urllib.request.Request(self._url(path, "CREATE", **params), method="PUT"),
                               timeout=60)
            raise AssertionError("WebHDFS CREATE did not redirect to a datanode")
        except urllib.error.HTTPError as redirect:
            if redirect.code != 307:
                raise
            location = redirect.headers["Location"]
        urllib.request.urlopen(urllib.request.Request(location, data=data, method="PUT"), timeout=60).close()

    def list(self, path):
        """{name: length} of a directory's children, as the namenode lists them."""
        statuses = json.loads(self._get(path, "LISTSTATUS"))["FileStatuses"]["FileStatus"]
        return {s["pathSuffix"]: s["length"] for s in statuses}

    def read(self, path):
        return self._get(path, "OPEN")


@pytest.fixture(scope="session")
def hdfs():
    root = tempfile.mkdtemp(prefix="ember-minihdfs-")
    cluster = MiniHdfs(root)
    try:
        yield cluster.start()
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
