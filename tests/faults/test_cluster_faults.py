"""local-cluster under real process faults: an executor killed (SIGKILL)
in a map stage, in a result stage, while it holds the only cached copy of
a partition, and while it serves shuffle blocks to another executor; an
executor hung (SIGSTOP) past spark.network.timeout; an executor's work
directory wiped between jobs; the driver killed while executors run.

Contract of every test: the answer is exact, nothing hangs (a driver is
killed and the test fails after a generous deadline), and no process and
no application directory is left behind. Where the test can tell, it also
checks that exactly the lost work was redone — every computation of a
partition leaves a file naming its partition, attempt and executor — and
that the application is back to its W executors afterwards (W tasks that
each wait for the others can only finish on W live one-slot executors).
The kill tests set spark.task.maxFailures=1: a task lost with its
executor must be rerun without counting as a failure.

Determinism: no test depends on which executor runs a task, or on timing.
A fault is injected at a point the test waits for: "gated" tasks record
themselves and then wait for the test's go-ahead file, so the victim is
killed while they run, and the victim is chosen from what those records
say (whichever executor that is, the answer must be the same). A killed
executor is noticed at once (its connection closes); spark.network.timeout
is short only in the SIGSTOP test, where it is the mechanism under test,
so a loaded machine cannot lose a healthy executor in a test that counts
recomputations.
"""

import os
import re
import signal
import textwrap
import time
from collections import Counter
from types import SimpleNamespace

import pytest

from harness import (assert_clean, ember_processes, executor_processes, finish_driver,
                     killed_on_failure, ok_json, run_driver, start_driver, wait_for)

pytestmark = pytest.mark.own_master  # every test picks its cluster master
CLUSTER = "local-cluster[2,1,512]"  # two executors of one slot each
SETTINGS = {
    "spark.network.timeout": "20s",  # a safety net here: SIGKILL closes the connection at once
    "spark.executor.heartbeatInterval": "300ms",
    "spark.shuffle.io.maxRetries": "2",
    "spark.shuffle.io.retryWait": "100ms",
    "spark.task.maxFailures": "1",
    "spark.locality.wait": "100ms",
}

# Defined in every driver program; shipped to tasks by value (cloudpickle).
TASK_HELPERS = r'''
def wait_for_file(path, timeout=90):
    deadline = time.time() + timeout
    while not os.path.exists(path):
        if time.time() > deadline:
            raise RuntimeError("no %s after %d s" % (path, timeout))
        time.sleep(0.02)

def this_executor():
    """The id of the executor whose Python worker runs this: the worker's
    parent is the executor's daemon, whose parent is the executor."""
    with open("/proc/%d/stat" % os.getppid()) as f:
        executor = f.read().rsplit(")", 1)[1].split()[1]
    with open("/proc/%s/cmdline" % executor, "rb") as f:
        args = f.read().decode().split("\0")
    return args[args.index("--id") + 1]

def marked(tag, gate=False, gate_from=0):
    """A mapPartitions function that records each computation of a
    partition as the file MARKS/tag.partition.attempt.executor; with
    `gate`, a first attempt of a partition from `gate_from` on then waits
    for the test's file MARKS/go.tag."""
    def run(records):
        ctx = TaskContext.get()
        name = "%s.%d.%d.%s" % (tag, ctx.partitionId(), ctx.attemptNumber(), this_executor())
        open(os.path.join(MARKS, name), "w").close()
        if gate and ctx.attemptNumber() == 0 and ctx.partitionId() >= gate_from:
            wait_for_file(os.path.join(MARKS, "go." + tag))
        return records
    return run

def pause(name):
    """Between jobs: tell the test the driver is at `name`, wait for its go-ahead."""
    open(os.path.join(MARKS, "at." + name), "w").close()
    wait_for_file(os.path.join(MARKS, "go." + name))

def executors_meeting(sc, n, name):
    """The ids of n executors running a task at once: n tasks each wait
    until n distinct executors have one (every executor has one slot),
    so this returns only once the application has n working executors."""
    def meet(_):
        me = this_executor()
        open(os.path.join(MARKS, "meet-%s.%s" % (name, me)), "w").close()
        deadline = time.time() + 60
        while len([f for f in os.listdir(MARKS) if f.startswith("meet-%s." % name)]) < n:
            if time.time() > deadline:
                raise RuntimeError("fewer than %d executors took tasks within 60 s" % n)
            time.sleep(0.02)
        return [me]
    return sorted(sc.parallelize(range(n), n).mapPartitions(meet).collect())
'''


def program(marks, settings, body):
    return ("MARKS = %r\nSETTINGS = %r\n" % (str(marks), settings) + TASK_HELPERS
            + textwrap.dedent(body))


def directories(tmp_path):
    local, marks = tmp_path / "local", tmp_path / "marks"
    local.mkdir()
    marks.mkdir()
    return local, marks


def records(marks, tag):
    """[(partition, attempt, executor)] of the computations recorded under `tag`."""
    found = []
    for name in os.listdir(marks):
        parts = name.split(".")
        if len(parts) == 4 and parts[0] == tag:
            found.append((int(parts[1]), int(parts[2]), parts[3]))
    return sorted(found)


def computations(marks, tag):
    """{partition: how many times it was computed}"""
    return Counter(p for p, _, _ in records(marks, tag))


def running_first_attempts(marks, tag, n, gate_from=0):
    """Waits until n first attempts of `tag` (partitions from `gate_from`
    on) run on n distinct executors (their tasks are gated: they are all
    still running); returns them."""
    def ready():
        first = [r for r in records(marks, tag) if r[1] == 0 and r[0] >= gate_from]
        return first if len({e for _, _, e in first}) >= n else None
    return wait_for(ready, "%d first attempts of %s to run" % (n, tag))


def go(marks, name):
    open(os.path.join(marks, "go." + name), "w").close()


def signal_executor(local, executor, sig):
    """Send `sig` to executor `executor` of the application under `local`; its Executor."""
    target = executor_processes(local)[executor]
    os.kill(target.pid, sig)
    return target


def test_executor_killed_in_a_map_stage(tmp_path):
    # Maps 0 and 1 run first, one on each executor, and finish; 2 and 3
    # are gated: the victim has written a map output and is running a map.
    local, marks = directories(tmp_path)
    driver = start_driver(program(marks, SETTINGS, """
        sc = make_context(%r, **SETTINGS)
        sums = (sc.parallelize(range(1000), 4).mapPartitions(marked("map", gate=True, gate_from=2))
                .map(lambda x: (x %% 10, x)).reduceByKey(lambda a, b: a + b, 2))
        result = sorted(sums.collect())
        print(json.dumps({"result": result, "executors": executors_meeting(sc, 2, "after")}))
        sc.stop()
    """ % CLUSTER), local)
    with killed_on_failure(driver):
        running = running_first_attempts(marks, "map", 2, gate_from=2)
        victim = running[0][2]
        lost = {p for p, _, e in records(marks, "map") if e == victim}
        signal_executor(local, victim, signal.SIGKILL)
        go(marks, "map")
        out = finish_driver(driver, local)
    result = ok_json(out)
    assert result["result"] == [[k, sum(range(k, 1000, 10))] for k in range(10)]
    assert len(lost) == 2 and lost & {0, 1} and lost & {2, 3}  # one written, one running
    # Those two ran again, the survivor's outputs were kept.
    assert computations(marks, "map") == {p: 2 if p in lost else 1 for p in range(4)}
    assert len(result["executors"]) == 2 and victim not in result["executors"]


def test_executor_killed_in_a_result_stage(tmp_path):
    local, marks = directories(tmp_path)
    driver = start_driver(program(marks, SETTINGS, """
        sc = make_context(%r, **SETTINGS)
        pairs = sc.parallelize(range(1000), 4).mapPartitions(marked("map")).map(lambda x: (x %% 10, x))
        sums = pairs.reduceByKey(lambda a, b: a + b, 2).mapPartitions(marked("reduce", gate=True))
        result = sorted(sums.collect())
        print(json.dumps({"result": result, "executors": executors_meeting(sc, 2, "after")}))
        sc.stop()
    """ % CLUSTER), local)
    with killed_on_failure(driver):
        running = running_first_attempts(marks, "reduce", 2)
        lost_reducer, _, victim = running[0]
        lost_maps = {p for p, _, e in records(marks, "map") if e == victim}
        signal_executor(local, victim, signal.SIGKILL)
        go(marks, "reduce")
        out = finish_driver(driver, local)
    result = ok_json(out)
    assert result["result"] == [[k, sum(range(k, 1000, 10))] for k in range(10)]
    assert lost_maps  # each executor ran a map task: the first two went one to each
    # The lost executor's map outputs were computed once more, the others not.
    assert computations(marks, "map") == {p: 2 if p in lost_maps else 1 for p in range(4)}
    assert computations(marks, "reduce")[lost_reducer] >= 2
    assert len(result["executors"]) == 2 and victim not in result["executors"]


def test_executor_killed_while_holding_the_only_cached_copy(tmp_path):
    local, marks = directories(tmp_path)
    driver = start_driver(program(marks, SETTINGS, """
        sc = make_context(%r, **SETTINGS)
        cached = sc.parallelize(range(1000), 4).mapPartitions(marked("cache")).map(lambda x: 3 * x).cache()
        first = cached.sum()
        pause("cached")
        second = cached.map(lambda x: x + 1).sum()
        print(json.dumps({"first": first, "second": second,
                          "executors": executors_meeting(sc, 2, "after")}))
        sc.stop()
    """ % CLUSTER), local)
    with killed_on_failure(driver):
        wait_for(lambda: os.path.exists(marks / "at.cached"), "the first job")
        holders = {p: e for p, _, e in records(marks, "cache")}
        victim = holders[0]
        lost = {p for p, e in holders.items() if e == victim}
        killed = signal_executor(local, victim, signal.SIGKILL)
        # The driver noticed: it removes a lost executor's directory.
        wait_for(lambda: not os.path.exists(killed.work_dir), "the driver to reap the executor")
        go(marks, "cached")
        out = finish_driver(driver, local)
    result = ok_json(out)
    assert result["first"] == 3 * sum(range(1000))
    assert result["second"] == result["first"] + 1000
    assert lost != set(range(4))  # the survivor held some partitions: read, not recomputed
    assert computations(marks, "cache") == {p: 2 if p in lost else 1 for p in range(4)}
    assert len(result["executors"]) == 2 and victim not in result["executors"]


# Four map outputs of ~1.6 MB of incompressible records, read by two
# reducers one map output per request (spark.reducer.maxSizeInFlight), in
# map order. The reducers are gated before they read a record, far less
# than a block ahead of them is fetched then, so the reducer on the other
# executor still has to fetch the victim's output of the last map (at
# least) once the victim is gone.
FETCH_PROGRAM = """
    import random, zlib
    def rows(p):
        rng = random.Random(p)
        return [(100 * p + i, rng.randbytes(16384)) for i in range(100)]
    expected = sorted((k, zlib.crc32(v)) for p in range(4) for k, v in rows(p))
    sc = make_context(%r, **SETTINGS)
    blocks = (sc.parallelize(range(4), 4).mapPartitions(marked("map")).flatMap(rows)
              .partitionBy(2).mapPartitions(marked("reduce", gate=True)))
    result = sorted(blocks.map(lambda kv: (kv[0], zlib.crc32(kv[1]))).collect())
    print(json.dumps({"exact": result == expected, "rows": len(result),
                      "executors": executors_meeting(sc, 2, "after")}))
    sc.stop()
""" % CLUSTER


def run_fetch_fault(tmp_path, settings, sig):
    """FETCH_PROGRAM with `sig` sent to the executor that wrote the last
    map output while both reducers are running. Returns what happened
    (the driver's result and output, the victim, which map outputs it
    held, how often each was computed), having
    checked that the
    reducer on the other executor ran again (it could not fetch from the
    victim) and that the victim's outputs were computed again."""
    local, marks = directories(tmp_path)
    driver = start_driver(program(marks, settings, FETCH_PROGRAM), local)
    with killed_on_failure(driver):
        running = running_first_attempts(marks, "reduce", 2)
        writers = {p: e for p, _, e in records(marks, "map")}
        victim = writers[3]
        survivor_reducer = [p for p, _, e in running if e != victim][0]
        signal_executor(local, victim, sig)
        go(marks, "reduce")
        out = finish_driver(driver, local)
    result = ok_json(out)
    assert result["exact"] and result["rows"] == 400
    assert computations(marks, "reduce")[survivor_reducer] >= 2
    maps = computations(marks, "map")
    assert all(maps[p] >= 2 for p, e in writers.items() if e == victim), (writers, maps)
    assert len(result["executors"]) == 2 and victim not in result["executors"]
    return SimpleNamespace(result=result, out=out, victim=victim,
                           lost={p for p, e in writers.items() if e == victim}, maps=maps)


def test_executor_killed_while_serving_blocks_to_another(tmp_path):
    settings = dict(SETTINGS, **{"spark.reducer.maxSizeInFlight": "64k"})
    run = run_fetch_fault(tmp_path, settings, signal.SIGKILL)
    # One fetch failure lost all the victim's outputs: each ran once more, in
    # one stage attempt; the others were kept.
    assert run.maps == {p: 2 if p in run.lost else 1 for p in range(4)}


def test_hung_executor_is_lost_after_the_network_timeout(tmp_path):
    settings = dict(SETTINGS, **{"spark.reducer.maxSizeInFlight": "64k",
                                 "spark.network.timeout": "3s"})
    run = run_fetch_fault(tmp_path, settings, signal.SIGSTOP)
    # Lost for its silence, once the timeout had passed since its last
    # heartbeat (when that was depends on the load: the time from the
    # SIGSTOP is not checked). Said on stderr, as Spark's log: stdout is
    # the program's.
    silent = re.findall(r"lost executor %s: no heartbeat for (\d+) s" % run.victim, run.out.stderr)
    assert len(silent) == 1 and int(silent[0]) >= 3, run.out.stderr
    assert "lost executor" not in run.out.stdout


def test_work_dir_wiped_between_jobs(tmp_path):
    local, marks = directories(tmp_path)
    driver = start_driver(program(marks, SETTINGS, """
        from ember import SparkFiles
        added = os.path.join(os.path.dirname(MARKS), "factor.txt")
        with open(added, "w") as f:
            f.write("3")
        sc = make_context(%r, **SETTINGS)
        sc.addFile(added)  # executors keep their copies of added files and broadcasts
        offset = sc.broadcast(3)  # in their work dirs
        def factor():
            with open(SparkFiles.get("factor.txt")) as f:
                return int(f.read())
        pairs = (sc.parallelize(range(1000), 4).mapPartitions(marked("map"))
                 .map(lambda x: (x %% 10, x * factor())))
        sums = (pairs.reduceByKey(lambda a, b: a + b, 2)
                .mapValues(lambda v: (v * factor() + offset.value, SparkFiles.getRootDirectory())))
        first = sorted(sums.collect())
        pause("wiped")
        second = sorted(sums.collect())
        print(json.dumps({"first": [[k, v] for k, (v, _) in first],
                          "second": [[k, v] for k, (v, _) in second],
                          "roots": sorted({root for _, (_, root) in first + second}),
                          "executors": executors_meeting(sc, 2, "after")}))
        sc.stop()
    """ % CLUSTER), local)
    with killed_on_failure(driver):
        wait_for(lambda: os.path.exists(marks / "at.wiped"), "the first job")
        victim = records(marks, "map")[0][2]
        lost_maps = {p for p, _, e in records(marks, "map") if e == victim}
        wiped = []
        for root, _, files in os.walk(executor_processes(local)[victim].work_dir):
            for name in files:
                os.remove(os.path.join(root, name))
                wiped.append(name)
        go(marks, "wiped")
        out = finish_driver(driver, local)
    assert any(name.startswith("shuffle_") for name in wiped), wiped
    assert "factor.txt" in wiped and "broadcast_0" in wiped
    result = ok_json(out)
    expected = [[k, 9 * sum(range(k, 1000, 10)) + 3] for k in range(10)]
    assert result["first"] == expected and result["second"] == expected
    # Tasks read the executors' copies (the ones wiped), never the driver's.
    assert all("/executor-" in root for root in result["roots"]), result["roots"]
    # One fetch failure lost all the victim's outputs of the shuffle; only
    # they were computed again, in one stage attempt.
    assert computations(marks, "map") == {p: 2 if p in lost_maps else 1 for p in range(4)}
    assert result["executors"] == ["0", "1"]  # a missing file does not lose an executor


def test_killed_driver_takes_its_executors_and_its_dir_is_swept(tmp_path):
    local, marks = directories(tmp_path)
    driver = start_driver(program(marks, SETTINGS, """
        sc = make_context(%r, **SETTINGS)
        sc.parallelize(range(2), 2).mapPartitions(marked("run", gate=True)).collect()
    """ % CLUSTER), local)
    with killed_on_failure(driver):
        running_first_attempts(marks, "run", 2)  # both executors and their workers are busy
        app_dirs = {os.path.dirname(e.work_dir) for e in executor_processes(local).values()}
        assert len(app_dirs) == 1
        app_dir = app_dirs.pop()
        driver.kill()  # SIGKILL
        driver.wait()
    killed_at = time.time()
    while ember_processes(local) and time.time() < killed_at + 10:
        time.sleep(0.05)
    assert ember_processes(local) == []  # executors, their daemons and workers
    assert os.path.isdir(app_dir)  # nobody was left to remove it ...
    out = run_driver("""
        sc = make_context(%r)
        print(json.dumps(sc.parallelize(range(5)).count()))
        sc.stop()
    """ % CLUSTER, local)
    assert ok_json(out) == 5
    assert not os.path.exists(app_dir)  # ... until the next application started there
    assert_clean(local)
