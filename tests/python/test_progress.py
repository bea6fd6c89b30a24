"""The console progress bar (ember.progress): on a terminal a running stage
shows Spark's `[Stage N:===>   (done + running) / total]`, cleared when it
ends; nothing when stderr is not a terminal or the setting is off."""

import os
import pty
import re
import select
import subprocess
import sys
import time

from ember.progress import render

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BAR = re.compile(rb"\[Stage (\d+):[=> ]*\((\d+) \+ (\d+)\) / 4\]")

# Its 4 tasks wait for `gate` to exist; prints the count when they are done.
JOB = """\
import os, sys, time
from ember import SparkConf, SparkContext
sc = SparkContext("local[2]", "progress", conf=SparkConf().setAll(
    [kv.split("=", 1) for kv in sys.argv[2:]]))
gate = sys.argv[1]
def wait(it):
    while not os.path.exists(gate):
        time.sleep(0.05)
    return it
print("count", sc.parallelize(range(8), 4).mapPartitions(wait).count(), flush=True)
sc.stop()
"""


def _env():
    return dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"), COLUMNS="80")


def test_render_shares_the_width_and_draws_spark_s_bar():
    line = render([(3, 40, 12, 2)], 80)
    assert len(line) == 80 and line.startswith("[Stage 3:") and line.endswith("(12 + 2) / 40]")
    assert re.fullmatch(r"\[Stage 3:=+>\s+\(12 \+ 2\) / 40\]", line)
    assert line.count("=") == (80 - len("[Stage 3:") - len("(12 + 2) / 40]")) * 12 // 40
    two = render([(1, 4, 4, 0), (2, 10, 0, 2)], 80)
    assert len(two) == 80 and "[Stage 1:" in two and two.endswith("(0 + 2) / 10]")


def _read_until(fd, pattern, deadline):
    out = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            return out
        if not chunk:
            return out
        out += chunk
        if pattern is not None and re.search(pattern, out):
            return out
    raise AssertionError("timed out waiting for %r; got %r" % (pattern, out))


def test_a_running_stage_shows_a_bar_on_a_terminal_and_it_is_cleared(tmp_path):
    gate = tmp_path / "go"
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdout and stderr are the terminal
        os.execve(sys.executable, [sys.executable, "-c", JOB, str(gate)], _env())
    try:
        # The tasks wait until the bar shows both slots busy: no timing luck.
        seen = _read_until(fd, rb"\(0 \+ 2\) / 4\]", time.monotonic() + 120)
        gate.touch()
        rest = _read_until(fd, None, time.monotonic() + 120)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, seen + rest
    assert [m.groups()[1:] for m in BAR.finditer(seen)][-1] == (b"0", b"2")
    # cleared (a line of spaces) before the result is printed
    assert re.search(rb"\r {80}\r(.|\r|\n)*count 8", rest), rest


# Two threads, one single-task job each (one slot each), each waiting for
# its own gate; prints which job ended.
TWO_JOBS = """\
import os, sys, threading, time
from ember import SparkContext
sc = SparkContext("local[2]", "progress")
def job(gate):
    def wait(it):
        while not os.path.exists(gate):
            time.sleep(0.05)
        return it
    print("ended", os.path.basename(gate), sc.parallelize(range(3), 1).mapPartitions(wait).count(), flush=True)
threads = [threading.Thread(target=job, args=(g,)) for g in sys.argv[1:]]
for t in threads:
    t.start()
for t in threads:
    t.join()
sc.stop()
"""
ONE_TASK_BAR = rb"\[Stage (\d+):[=> ]*\(0 \+ 1\) / 1\]"


def test_a_job_ending_in_one_thread_leaves_another_thread_s_bar(tmp_path):
    gates = [tmp_path / "a", tmp_path / "b"]
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-c", TWO_JOBS] + [str(g) for g in gates], _env())
    try:
        # Both stages drawn on one line, then the first gate opens.
        seen = _read_until(fd, ONE_TASK_BAR + rb"\[Stage \d+:[=> ]*\(0 \+ 1\) / 1\]",
                           time.monotonic() + 120)
        gates[0].touch()
        ended_a = _read_until(fd, rb"ended a 3", time.monotonic() + 120)
        # The other job still runs: its bar comes back after the line is cleared.
        after = _read_until(fd, ONE_TASK_BAR, time.monotonic() + 120)
        gates[1].touch()
        rest = _read_until(fd, None, time.monotonic() + 120)
    finally:
        for gate in gates:
            gate.touch()
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, seen + ended_a + after + rest
    assert re.search(ONE_TASK_BAR, after), (seen, ended_a, after)
    assert b"ended b 3" in rest


def test_no_bar_when_stderr_is_not_a_terminal_or_the_setting_is_off(tmp_path):
    gate = tmp_path / "go"
    gate.touch()  # tasks run straight through; a stage of them lasts about a second:
    slow = JOB.replace("return it", "time.sleep(0.6)\n    return it")
    out = subprocess.run([sys.executable, "-c", slow, str(gate)], env=_env(), capture_output=True,
                         timeout=120)
    assert out.returncode == 0 and b"count 8" in out.stdout
    assert b"[Stage" not in out.stderr + out.stdout
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-c", slow, str(gate),
                                   "spark.ui.showConsoleProgress=false"], _env())
    try:
        seen = _read_until(fd, None, time.monotonic() + 120)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0 and b"count 8" in seen
    assert b"[Stage" not in seen
