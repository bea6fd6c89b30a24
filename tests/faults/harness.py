"""Runs a driver program in its own process with its own spark.local.dir,
and checks that it left no ember process and no temp directory behind."""

import os
import subprocess
import sys
import textwrap
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PRELUDE = """
import os, sys, json, time
sys.path.insert(0, {python!r})
from ember import SparkConf, SparkContext, TaskContext, StorageLevel
def make_context(master=None, **settings):
    master = master or os.environ.get("EMBER_FAULTS_MASTER", "local[2,4]")
    conf = SparkConf().set("spark.local.dir", {local_dir!r})
    for key, value in settings.items():
        conf.set(key.replace("_", "."), str(value))
    return SparkContext(master, "faults", conf=conf)
"""


def run_driver(program, local_dir, timeout=120, check_clean=True):
    """Run `program` (after PRELUDE) as a driver; returns CompletedProcess."""
    os.makedirs(local_dir, exist_ok=True)
    code = PRELUDE.format(python=os.path.join(ROOT, "python"), local_dir=str(local_dir))
    code += textwrap.dedent(program)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    if check_clean:
        assert_clean(local_dir)
    return out


def ember_processes(local_dir):
    """pids of processes whose command line names `local_dir` (the daemon
    and workers of an application rooted there)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(local_dir) in cmd and "ember" in cmd and int(pid) != os.getpid():
            found.append(int(pid))
    return found


def assert_clean(local_dir, wait=10):
    """No process and no application directory left under local_dir."""
    deadline = time.time() + wait
    while time.time() < deadline and ember_processes(local_dir):
        time.sleep(0.1)
    assert ember_processes(local_dir) == []
    left = [d for d in os.listdir(local_dir) if d.startswith("ember-")]
    assert left == [], left


def ok_json(out):
    """The last stdout line of a driver that succeeded, parsed."""
    assert out.returncode == 0, out.stderr[-3000:]
    return __import__("json").loads(out.stdout.strip().splitlines()[-1])
