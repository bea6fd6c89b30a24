"""Errors a user meets: each clear, naming the thing at fault, and the
context still usable afterwards."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from ember import SparkContext, TaskContext, errors

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_program(code, timeout=120):
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_user_exception_carries_traceback_stage_partition(sc, master):
    def fail(x):
        if x == 5:
            raise KeyError("bad record %d" % x)
        return x
    with pytest.raises(errors.PythonException) as info:
        sc.parallelize(range(10), 2).map(fail).collect()
    e = info.value
    assert "KeyError: 'bad record 5'" in str(e)
    assert "Traceback" in str(e) and "in fail" in str(e)
    attempts = 1 if master.startswith("local[") else 4  # spark.task.maxFailures
    assert e.partition == 1 and e.attempts == attempts and e.stage is not None
    assert "Task 1 in stage" in str(e)
    assert sc.parallelize(range(3)).count() == 3  # still usable


def test_exception_whose_str_raises(sc):
    class Weird(Exception):
        def __str__(self):
            raise RuntimeError("no str")

    def fail(_):
        raise Weird()
    with pytest.raises(errors.PythonException, match="Weird"):
        sc.parallelize([1]).map(fail).collect()


def test_unpicklable_closure_names_the_object(sc):
    lock = threading.Lock()
    with pytest.raises(errors.PicklingError, match="lock"):
        sc.parallelize([1]).map(lambda x: (x, lock)).collect()


def test_context_or_rdd_inside_a_task_is_refused_on_the_driver(sc):
    other = sc.parallelize([1, 2])
    with pytest.raises(errors.PicklingError, match="SPARK-5063.*") as info:
        sc.parallelize([1]).map(lambda x: other.count() * x).collect()
    assert "An RDD cannot be broadcast" in str(info.value)
    with pytest.raises(errors.PicklingError, match="SparkContext can only be used on the driver"):
        sc.parallelize([1]).map(lambda x: sc.defaultParallelism).collect()
    with pytest.raises(Exception, match="SPARK-5063"):
        sc.broadcast(other)


def test_second_context_and_stopped_context():
    out = run_program("""
        from ember import SparkContext
        sc = SparkContext("local[1]", "a")
        try:
            SparkContext("local[1]", "b")
        except ValueError as e:
            print("second:", e)
        rdd = sc.parallelize([1, 2])
        sc.stop()
        try:
            rdd.count()
        except Exception as e:
            print("stopped:", type(e).__name__, e)
        sc2 = SparkContext("local[1]", "c")
        print("again:", sc2.parallelize([1, 2, 3]).count())
    """)
    assert out.returncode == 0, out.stderr
    assert "second: Cannot run multiple SparkContexts at once" in out.stdout
    assert "stopped: IllegalArgumentException SparkContext has been stopped" in out.stdout
    assert "again: 3" in out.stdout


def test_bad_master_url():
    out = run_program("""
        from ember import SparkContext
        try:
            SparkContext("locall[2]", "a")
        except ValueError as e:
            print(e)
    """)
    assert "Could not parse Master URL: 'locall[2]'" in out.stdout, out.stderr


def test_worker_death_is_retried_in_local_n_f():
    out = run_program("""
        import os
        from ember import SparkContext, TaskContext
        sc = SparkContext("local[2,3]", "retry")
        def die_first(x):
            ctx = TaskContext.get()
            if ctx.partitionId() == 1 and ctx.attemptNumber() == 0:
                os._exit(3)
            return x
        print("sum:", sc.parallelize(range(100), 4).map(die_first).sum())
        def always_killed(x):
            os.kill(os.getpid(), 9)
        try:
            sc.parallelize([1], 1).map(always_killed).collect()
        except Exception as e:
            print("error:", e)
        print("after:", sc.parallelize(range(5)).count())
    """)
    assert out.returncode == 0, out.stderr
    assert "sum: 4950" in out.stdout
    assert "failed 3 times" in out.stdout
    assert "killed by signal 9 (SIGKILL)" in out.stdout
    assert "after: 5" in out.stdout


def test_a_dead_worker_daemon_is_replaced(sc):
    """A task that kills its worker daemon (as the OOM killer might) costs a
    task attempt; the executor starts a new daemon for the tasks after it."""
    def kill_daemon_once(x):
        if TaskContext.get().attemptNumber() == 0:
            os.kill(os.getppid(), signal.SIGKILL)  # the worker's parent: the daemon
            time.sleep(60)  # this worker dies with its daemon (PDEATHSIG) meanwhile
        return x
    if sc.master.startswith("local["):  # one attempt per task
        with pytest.raises(errors.PythonException, match="killed by signal 9|daemon died"):
            sc.parallelize([1], 1).map(kill_daemon_once).collect()
    else:  # retried on a new daemon
        assert sc.parallelize([1], 1).map(kill_daemon_once).collect() == [1]
    assert sc.parallelize(range(10), 4).map(lambda x: x * 2).sum() == 90


def test_no_processes_or_temp_dirs_left(tmp_path):
    out = run_program("""
        import os, sys
        from ember import SparkContext
        sc = SparkContext("local[2]", "clean", conf=None)
        sc.parallelize(range(100), 4).map(lambda x: (x % 3, x)).reduceByKey(lambda a, b: a + b).collect()
        print("dir:", sc._engine.local_dir)
        print("pid:", os.getpid())
        sc.stop()
    """)
    assert out.returncode == 0, out.stderr
    local_dir = out.stdout.split("dir: ")[1].split()[0]
    assert not os.path.exists(local_dir)
    ps = subprocess.run(["pgrep", "-f", local_dir], capture_output=True, text=True)
    assert ps.stdout.strip() == ""


def test_submit_runs_examples_with_right_answers(tmp_path):
    from collections import Counter
    sample = os.path.join(ROOT, "examples", "data", "sample.txt")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    ember = os.path.join(ROOT, "build", "ember")
    out = subprocess.run([ember, "submit", "--master", "local[2]", os.path.join(ROOT, "examples", "wordcount.py"),
                          sample, "5"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    with open(sample) as f:
        counts = Counter(w for line in f for w in line.split())
    expected = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert out.stdout.splitlines() == ["%s\t%d" % kv for kv in expected]

    log = os.path.join(ROOT, "examples", "data", "sample.log")
    out = subprocess.run([ember, "submit", os.path.join(ROOT, "examples", "logmining.py"), log],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    with open(log) as f:
        errs = [line for line in f if "ERROR" in line]
    assert out.stdout.splitlines() == ["errors\t%d" % len(errs),
                                       "mysql\t%d" % sum("mysql" in l for l in errs),
                                       "php\t%d" % sum("php" in l for l in errs)]

    out = subprocess.run([ember, "submit", "--master", "local[2]", os.path.join(ROOT, "examples", "pi.py"), "4"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert 3.0 < float(out.stdout.split()[-1]) < 3.3


def test_cancel_all_jobs_from_another_thread_stops_workers(sc):
    threading.Timer(0.5, sc.cancelAllJobs).start()
    start = time.time()
    with pytest.raises(errors.JobCancelledError, match="cancelAllJobs"):
        sc.parallelize(range(2), 2).map(lambda x: time.sleep(60)).collect()
    assert time.time() - start < 5
    start = time.time()
    assert sc.parallelize(range(3), 2).count() == 3  # the slots are free again
    assert time.time() - start < 5


def test_ctrl_c_cancels_the_job_and_keeps_the_context():
    out = run_program("""
        import os, signal, threading, time
        from ember import SparkContext
        # A shell's Ctrl-C handling, whatever this test process inherited
        # (a background job starts with SIGINT ignored).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sc = SparkContext("local[2]")
        threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        start = time.time()
        try:
            sc.parallelize(range(4), 2).map(lambda x: time.sleep(60)).collect()
        except KeyboardInterrupt:
            print("interrupted", time.time() - start < 5)
        print("after", sc.parallelize(range(10)).sum())
    """, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["interrupted True", "after 45"]


def test_max_result_size_names_the_setting():
    out = run_program("""
        from ember import SparkContext, SparkConf
        conf = SparkConf().set("spark.driver.maxResultSize", "1m")
        sc = SparkContext("local[2]", conf=conf)
        try:
            sc.parallelize(range(4), 4).map(lambda i: b"x" * 400_000).collect()
        except ValueError as e:
            print("error:", e)
        print("ok:", len(sc.parallelize(range(2), 2).map(lambda i: b"x" * 100_000).collect()))
    """)
    assert out.returncode == 0, out.stderr
    assert "spark.driver.maxResultSize" in out.stdout and "is bigger than" in out.stdout
    assert "ok: 2" in out.stdout
