"""Runs a driver program in its own process with its own spark.local.dir,
and checks that it left no ember process and no temp directory behind."""

import collections
import contextlib
import os
import subprocess
import sys
import tempfile
import textwrap
import time

from polling import wait_for  # noqa: F401  (the fault tests import it from here)

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


def driver_code(program, local_dir):
    os.makedirs(local_dir, exist_ok=True)
    code = PRELUDE.format(python=os.path.join(ROOT, "python"), local_dir=str(local_dir))
    return code + textwrap.dedent(program)


def run_driver(program, local_dir, timeout=120, check_clean=True):
    """Run `program` (after PRELUDE) as a driver; returns CompletedProcess."""
    code = driver_code(program, local_dir)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    if check_clean:
        assert_clean(local_dir)
    return out


def start_driver(program, local_dir):
    """Start `program` (after PRELUDE) as a driver and return at once;
    finish_driver() collects it. Its output goes to files, so a chatty
    driver never blocks on a full pipe while the test is busy."""
    code = driver_code(program, local_dir)
    out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
    driver = subprocess.Popen([sys.executable, "-c", code], stdout=out, stderr=err, text=True)
    driver.output_files = (out, err)
    return driver


def finish_driver(driver, local_dir, timeout=120):
    """Wait for a driver from start_driver(), check that it left nothing
    behind; returns CompletedProcess. A driver that overstays `timeout` is
    killed and the test fails: a hang must not block the suite."""
    try:
        driver.wait(timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        driver.kill()
        driver.wait()
        hung = True
    stdout, stderr = [(f.seek(0), f.read())[1] for f in driver.output_files]
    for f in driver.output_files:
        f.close()
    assert not hung, "the driver hung (killed after %d s); stdout:\n%s\nstderr:\n%s" % (
        timeout, stdout[-3000:], stderr[-3000:])
    assert_clean(local_dir)
    return subprocess.CompletedProcess(driver.args, driver.returncode, stdout, stderr)


@contextlib.contextmanager
def killed_on_failure(driver):
    """A test that fails while its driver runs kills the driver (its
    executors follow) rather than leaving it to wait for a go-ahead that
    never comes; the driver's stderr is printed for the report."""
    try:
        yield driver
    except BaseException:
        driver.kill()
        driver.wait()
        err = driver.output_files[1]
        if not err.closed:
            err.seek(0)
            print(err.read()[-3000:])
        raise



Executor = collections.namedtuple("Executor", "id pid work_dir")


def executor_processes(local_dir):
    """{id: Executor} of the live executor processes of applications under
    `local_dir`, read from their command lines (`ember executor ... --id N
    ... --work-dir <local_dir>/ember-<app>/executor-N`); zombies are not
    live. A stopped (SIGSTOP) executor is."""
    found = {}
    prefix = os.path.join(str(local_dir), "")
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                args = f.read().decode(errors="replace").split("\0")
            with open("/proc/%s/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if len(args) < 2 or args[1] != "executor" or state in ("Z", "X"):
            continue
        if "--id" not in args or "--work-dir" not in args:
            continue
        work_dir = args[args.index("--work-dir") + 1]
        if work_dir.startswith(prefix):
            executor = args[args.index("--id") + 1]
            found[executor] = Executor(executor, int(pid), work_dir)
    return found


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
