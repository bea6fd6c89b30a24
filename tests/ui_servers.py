"""The UI tests' reference material: a real PySpark application's event
log (tests/ui/pyspark_job.py run by the test venv's PySpark), Spark's own
History Server over it, and `ember history` over it.

shared_pyspark_log(tmp_path_factory) writes the log once per test session
(the pytest-xdist workers share it under a file lock) and returns its
directory. SparkHistoryServer and EmberHistory are context managers
whose `.url` serves /api/v1 once they are up; json_at(url) GETs JSON;
pools_shown(page) reads a page's fair scheduler pools table.
"""
import fcntl
import json
import os
import pathlib
import re
import socket
import subprocess
import sys
import urllib.request

from polling import wait_for
from reference import pyspark_file, venv_python

JOB = pathlib.Path(__file__).resolve().parent / "ui" / "pyspark_job.py"


def run_pyspark_job(log_dir, hold_file=None):
    """Starts the PySpark application writing its event log into log_dir."""
    args = [venv_python(), str(JOB), str(log_dir)] + ([str(hold_file)] if hold_file else [])
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=venv_python())
    env.pop("PYTHONPATH", None)  # PySpark's own pyspark, not ember's aliases
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def shared_pyspark_log(tmp_path_factory):
    # One log per pytest session: under xdist its workers' base dirs share a
    # parent made for the session; without xdist the parent is shared by
    # every session (pytest-of-USER), so a log written by an older session
    # would be reused.
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    log_dir = root / "pyspark-eventlog"
    with open(root / "pyspark-eventlog.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "pyspark-eventlog.done").exists():
            log_dir.mkdir(exist_ok=True)
            job = run_pyspark_job(log_dir)
            output = job.communicate(timeout=600)[0]
            if job.returncode != 0:
                raise RuntimeError("the PySpark job failed:\n" + output.decode(errors="replace"))
            (root / "pyspark-eventlog.done").touch()
    return log_dir


def json_at(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def pools_shown(page):
    """The "Fair Scheduler Pools" table of a page's HTML as {pool name:
    {data-field: cell text, "href": the name's link}}; None without one."""
    table = re.search(r'<table id="pools">.*?<tbody>(.*?)</tbody></table>', page)
    if table is None:
        return None
    pools = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(1)):
        cells = dict(re.findall(r'<td data-field="(\w+)">(.*?)</td>', row))
        href = re.search(r'href="([^"]*)"', cells["name"]).group(1)
        shown = {field: re.sub(r"<[^>]*>", "", text) for field, text in cells.items()}
        name = shown.pop("name")
        pools[name] = dict(shown, href=href.replace("&amp;", "&"))
    return pools


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _up(url):
    try:
        return json_at(url + "/api/v1/applications")
    except OSError:
        return None


class SparkHistoryServer:
    """Spark's HistoryServer (from PySpark's jars) over log_dir."""

    def __init__(self, log_dir):
        port = _free_port()
        jars = str(pyspark_file("jars")) + "/*"
        self.url = "http://127.0.0.1:%d" % port
        self._process = subprocess.Popen(
            ["java", "-Xmx512m", "-cp", jars, "-Dspark.history.fs.logDirectory=file:%s" % log_dir,
             "-Dspark.history.ui.port=%d" % port, "-Dspark.history.fs.update.interval=1s",
             "-Dspark.driver.bindAddress=127.0.0.1", "org.apache.spark.deploy.history.HistoryServer"],
            env=dict(os.environ, SPARK_LOCAL_IP="127.0.0.1"),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self):
        wait_for(lambda: _up(self.url), "Spark's history server to list the application", timeout=240)
        return self

    def __exit__(self, *exc):
        self._process.kill()
        self._process.wait()


class EmberHistory:
    """`ember history --dir log_dir --port 0` (any free port)."""

    def __init__(self, log_dir):
        self._process = subprocess.Popen(
            [os.environ.get("EMBER_EXECUTABLE", "build/ember"), "history", "--dir", str(log_dir),
             "--port", "0"], env=dict(os.environ, PYTHON=sys.executable),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self._process.stdout.readline()
        if " at http://" not in line:
            self._process.kill()
            raise RuntimeError("ember history did not start: %r %s" % (line, self._process.stderr.read()))
        self.url = line.strip().rsplit(" ", 1)[1]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._process.kill()
        self._process.wait()

    def stderr(self):
        """What it printed on stderr (after the context exits)."""
        return self._process.stderr.read()
