"""Shared variables: broadcasts are shipped once per worker, not per task,
and fail clearly once destroyed; accumulators count each partition of an
action once however often its tasks are retried."""

import os
import pickle
import subprocess
import sys

import cloudpickle
import pytest

from ember import AccumulatorParam, PythonException, broadcast
from ember.errors import EmberError
from ember.rdd import _pickle_command

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_broadcast_is_loaded_once_per_worker_not_per_task(sc):
    big = sc.broadcast(b"x" * (20 << 20))
    rdd = sc.parallelize(range(100), 100).map(lambda i: (os.getpid(), id(big.value), len(big.value)))
    # the task's command carries a reference, not the 20 MB
    assert len(_pickle_command(rdd._command("pickle"), rdd)[0]) < 10_000
    seen = rdd.collect()
    assert {n for _, _, n in seen} == {20 << 20}
    copies = {(pid, obj) for pid, obj, _ in seen}
    workers = {pid for pid, _ in copies}
    assert len(copies) == len(workers) <= 2  # one copy per worker process
    big.destroy()


def test_unpersisted_broadcast_is_reloaded_and_destroyed_one_fails(sc):
    b = sc.broadcast({"k": [1, 2, 3]})
    ids = lambda: set(sc.parallelize(range(4), 4).map(lambda _: (os.getpid(), id(b.value))).collect())
    first = ids()
    workers = {pid for pid, _ in first}
    # Still cached: a worker that ran a task before shows the same object
    # (which workers get the next job's tasks is up to timing).
    assert {(pid, obj) for pid, obj in ids() if pid in workers} <= first
    b.unpersist()
    second = ids()
    assert not (second & first)  # every worker loaded it again
    assert sc.parallelize([0]).map(lambda _: b.value["k"][2]).collect() == [3]
    b.destroy()
    with pytest.raises(EmberError, match=r"broadcast\(\d+\) after it was destroyed"):
        b.value
    with pytest.raises(EmberError, match="after it was destroyed"):
        sc.parallelize([0]).map(lambda _: b.value).collect()


def test_large_closures_travel_as_broadcasts(sc):
    table = list(range(300_000))  # several MB pickled
    rdd = sc.parallelize(range(10), 5).map(lambda i: table[i * 1000])
    assert len(_pickle_command(rdd._command("pickle"), rdd)[0]) < 10_000
    assert rdd.collect() == [i * 1000 for i in range(10)]


def test_commands_name_the_broadcasts_they_use(sc):
    used, unused, inner = sc.broadcast(1), sc.broadcast(2), sc.broadcast(3)
    outer = sc.broadcast({"inner": inner})  # a broadcast inside a broadcast's value
    rdd = sc.parallelize(range(4), 2).map(lambda x: x + used.value).filter(lambda x: outer.value)
    data, ids = _pickle_command(rdd._command("pickle"), rdd)
    assert ids == sorted([used.bid, outer.bid, inner.bid])
    assert unused.bid not in ids
    assert _pickle_command(sc.parallelize([1]).map(str)._command("pickle"), rdd)[1] == []

    table = list(range(300_000))  # a command over 1 MiB travels as a broadcast of its own
    big = sc.parallelize(range(10), 5).map(lambda i: table[i * 1000] + used.value)
    data, ids = _pickle_command(big._command("pickle"), big)
    command_broadcast = cloudpickle.loads(data).pickled
    assert len(data) < 10_000
    assert ids == sorted([used.bid, command_broadcast.bid])
    assert big.collect() == [i * 1000 + 1 for i in range(10)]


def test_workers_read_broadcasts_where_the_executor_keeps_them(sc, master, tmp_path):
    if not master.startswith("local["):
        # There the executor sets the property to its own copies, over the
        # one planted here (test_files: test_cluster_tasks_read_their_executors_copies).
        pytest.skip("the executor process sets ember.broadcast.dir itself")
    b = sc.broadcast("the driver's copy")
    with open(tmp_path / ("broadcast_%d" % b.bid), "wb") as f:
        pickle.dump("the executor's copy", f)
    sc.setLocalProperty(broadcast.LOCAL_DIR_PROPERTY, str(tmp_path))  # what the executor sets
    try:
        got = sc.parallelize(range(2), 2).map(lambda _: b.value).collect()
        local_property = sc.parallelize([0]).map(
            lambda _: __import__("ember").TaskContext.get().getLocalProperty("ember.broadcast.dir")).collect()
    finally:
        sc.setLocalProperty(broadcast.LOCAL_DIR_PROPERTY, None)
    assert got == ["the executor's copy"] * 2
    assert local_property == [None]  # consumed by the worker, not a user property
    os.unlink(tmp_path / ("broadcast_%d" % b.bid))
    other = sc.broadcast("read from the driver")  # without the property: the driver's file
    assert sc.parallelize([0]).map(lambda _: other.value).collect() == ["read from the driver"]


def test_accumulator_types(sc):
    class VectorParam(AccumulatorParam):  # local: pickled by value, as in a user's script
        def zero(self, value):
            return [0] * len(value)

        def addInPlace(self, a, b):
            return [x + y for x, y in zip(a, b)]

    vec = sc.accumulator([0, 0, 0], VectorParam())
    sc.parallelize(range(30), 3).foreach(lambda x: vec.add([1, x, x % 2]))
    assert vec.value == [30, sum(range(30)), 15]
    c = sc.accumulator(1j)
    sc.parallelize([1, 2], 2).foreach(lambda x: c.add(x * 1j))
    assert c.value == 4j
    with pytest.raises(TypeError, match="No default accumulator param"):
        sc.accumulator("text")


def test_accumulator_value_in_a_task_is_an_error(sc):
    acc = sc.accumulator(0)
    with pytest.raises(PythonException, match="cannot be accessed inside tasks"):
        sc.parallelize([1]).map(lambda _: acc.value).collect()


RETRIES = r"""
import sys
sys.path.insert(0, sys.argv[1])
from ember import SparkContext, TaskContext
sc = SparkContext("local[2,3]")  # 3 attempts per task
acc = sc.accumulator(0)
def flaky(it):
    n = sum(1 for _ in it)
    acc.add(n)
    if TaskContext.get().attemptNumber() < 2:
        raise RuntimeError("transient failure")
sc.parallelize(range(100), 4).foreachPartition(flaky)
print(acc.value)
"""


def test_retried_tasks_do_not_double_count():
    out = subprocess.run([sys.executable, "-c", RETRIES, os.path.join(ROOT, "python")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "100"  # each partition's 25 once, despite 3 attempts each


PROFILE = r"""
import os, pstats, sys
sys.path.insert(0, sys.argv[1])
from ember import SparkConf, SparkContext
conf = SparkConf().set("spark.python.profile", "true").set("spark.python.profile.dump", sys.argv[2])
sc = SparkContext("local[2]", conf=conf)
def slow_square(x):
    return sum(range(200)) * 0 + x * x
rdd = sc.parallelize(range(2000), 4).map(slow_square)
print("sum", rdd.sum())
sc.show_profiles()
sc.stop()
files = sorted(os.listdir(sys.argv[2]))
print("files", files)
calls = [v[1] for k, v in pstats.Stats(os.path.join(sys.argv[2], files[0])).stats.items()
         if k[2] == "slow_square"]
print("calls", calls)
"""


def test_python_profiles_show_and_dump(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROFILE, os.path.join(ROOT, "python"), str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "sum %d" % sum(x * x for x in range(2000)) in out.stdout
    assert "Profile of RDD<id=" in out.stdout and "slow_square" in out.stdout
    assert "files ['rdd_" in out.stdout
    assert "calls [2000]" in out.stdout  # every call, from all four tasks, merged


def test_profiles_need_the_setting(sc):
    with pytest.raises(RuntimeError, match="spark.python.profile"):
        sc.show_profiles()


def test_workers_forget_copies_of_broadcasts_the_driver_no_longer_lists():
    saved = dict(broadcast._worker_values)
    try:
        broadcast._worker_values.clear()
        broadcast._worker_values.update({1: (0, "kept"), 2: (0, "destroyed"), 3: (0, "unpersisted"),
                                         4: (2, "loaded after the unpersist")})
        broadcast.prepare_worker({broadcast.LIVE_PROPERTY: "1:0,3:1,4:1"})
        assert broadcast._worker_values == {1: (0, "kept"), 4: (2, "loaded after the unpersist")}
    finally:
        broadcast._worker_values.clear()
        broadcast._worker_values.update(saved)


def test_collected_broadcasts_and_accumulators_are_forgotten(sc):
    import gc
    from ember import accumulators
    b = sc.broadcast(list(range(10)))
    acc = sc.accumulator(0)
    sc.parallelize(range(4), 2).foreach(lambda x: acc.add(b.value[x]))
    assert acc.value == 6
    path, bid, aid = b._path, b.bid, acc.aid
    assert bid in sc._broadcasts and aid in accumulators._driver_registry
    del b, acc
    gc.collect()
    assert bid not in sc._broadcasts and aid not in accumulators._driver_registry
    assert not os.path.exists(path)  # ContextCleaner: its file went with it

