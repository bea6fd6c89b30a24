"""cache/persist: cached partitions are read without recomputing their
lineage (counted with an accumulator), every StorageLevel keeps its
promise under a small memory budget, and unpersist drops the blocks."""

import gc
import os
import subprocess
import sys
import time

import pytest

from ember import StorageLevel
from ember.errors import UnsupportedOperationException
from standalone_cluster import executor_roots

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def counted(sc, data, parts):
    """An RDD of `data` whose every computed record adds 1 to the returned accumulator."""
    calls = sc.accumulator(0)

    def touch(x):
        calls.add(1)
        return x
    return sc.parallelize(data, parts).map(touch), calls


def blocks_gone(sc, blocks, timeout=10):
    """Whether `blocks` disappear from the executors within `timeout`:
    unpersist() is asynchronous (blocking=False), as in PySpark, and an
    executor process deletes its blocks when the message reaches it."""
    deadline = time.time() + timeout
    while set(block_files(sc)) & blocks and time.time() < deadline:
        time.sleep(0.02)
    return not set(block_files(sc)) & blocks


def block_files(sc):
    found = []
    for top in executor_roots(sc):
        for root, _, files in os.walk(top):
            found += [f for f in files if f.startswith("rdd_") and ".tmp" not in f]
    return found


@pytest.mark.parametrize("level", [StorageLevel.MEMORY_ONLY, StorageLevel.MEMORY_AND_DISK,
                                   StorageLevel.DISK_ONLY, StorageLevel.MEMORY_ONLY_2,
                                   StorageLevel.MEMORY_AND_DISK_2, StorageLevel.DISK_ONLY_2,
                                   StorageLevel.OFF_HEAP])
def test_cached_partitions_are_not_recomputed(sc, level):
    rdd, calls = counted(sc, range(1000), 4)
    rdd.persist(level)
    assert rdd.is_cached and rdd.getStorageLevel() == level
    assert rdd.sum() == sum(range(1000))
    assert calls.value == 1000
    # further actions, and narrow children, read the cached blocks
    assert rdd.count() == 1000
    assert sorted(rdd.map(lambda x: -x).collect()) == sorted(-x for x in range(1000))
    assert rdd.filter(lambda x: x % 2).count() == 500
    assert calls.value == 1000
    rdd.unpersist()


def test_cache_of_a_shuffled_rdd_skips_the_reduce_pipeline(sc):
    calls = sc.accumulator(0)

    def merge(a, b):
        calls.add(1)
        return a + b
    sums = sc.parallelize([(i % 10, 1) for i in range(200)], 4).reduceByKey(merge).cache()
    assert sorted(sums.collect()) == [(k, 20) for k in range(10)]
    after_first = calls.value
    assert sorted(sums.mapValues(lambda v: v * 2).collect()) == [(k, 40) for k in range(10)]
    assert calls.value == after_first
    sums.unpersist()


def test_unpersist_drops_blocks_and_recomputes(sc):
    rdd, calls = counted(sc, range(100), 2)
    rdd.persist(StorageLevel.DISK_ONLY)
    before = set(block_files(sc))
    rdd.count()
    cached = set(block_files(sc)) - before
    assert len(cached) == 2
    rdd.unpersist()
    assert not rdd.is_cached
    assert blocks_gone(sc, cached)
    rdd.count()
    assert calls.value == 200
    # a different level is allowed after unpersist
    rdd.persist(StorageLevel.MEMORY_ONLY)
    rdd.count()
    rdd.count()
    assert calls.value == 300
    rdd.unpersist()


def test_blocks_go_when_the_rdd_is_collected(sc):
    rdd, _ = counted(sc, range(100), 3)
    before = set(block_files(sc))
    rdd.persist(StorageLevel.DISK_ONLY).count()
    cached = set(block_files(sc)) - before
    assert len(cached) == 3
    del rdd
    gc.collect()
    assert blocks_gone(sc, cached)


def test_changing_the_level_raises(sc):
    rdd = sc.parallelize([1, 2]).persist(StorageLevel.MEMORY_AND_DISK)
    rdd.persist(StorageLevel.MEMORY_AND_DISK)  # the same level is fine
    with pytest.raises(UnsupportedOperationException, match="Cannot change storage level"):
        rdd.cache()
    rdd.unpersist()
    assert sc.parallelize([1]).getStorageLevel() == StorageLevel(False, False, False, False, 1)


def test_children_made_after_cache_do_not_fuse_through_it(sc):
    rdd, calls = counted(sc, range(10), 2)
    rdd.cache()
    child = rdd.map(lambda x: x + 1)
    assert child.sum() == 55
    assert child.sum() == 55
    assert calls.value == 10
    rdd.unpersist()


EVICTION = r"""
import json, os, sys
sys.path.insert(0, sys.argv[1])
from ember import SparkConf, SparkContext, StorageLevel
# 4 MiB of executor memory x 0.5: a 2 MiB store; 8 partitions of ~0.45 MiB pickled
conf = SparkConf().set("spark.executor.memory", "4m").set("spark.memory.fraction", "0.5")
sc = SparkContext("local[2]", conf=conf)
out = {}
for name in ("MEMORY_ONLY", "MEMORY_AND_DISK"):
    calls = sc.accumulator(0)
    def touch(x, calls=calls):
        calls.add(1)
        return x
    rdd = sc.parallelize(range(8 * 5000), 8).map(lambda i: (i, "%080d" % i)).map(touch)
    rdd.persist(getattr(StorageLevel, name))
    first = rdd.count()
    computed = calls.value
    second = rdd.map(lambda kv: kv[0]).sum()
    blocks = [f for r, _, fs in os.walk(sc._engine.local_dir) for f in fs if f.startswith("rdd_")]
    out[name] = [first, computed, second, calls.value, len(blocks)]
    rdd.unpersist()
print(json.dumps(out))
"""


def test_eviction_under_a_small_memory_budget():
    out = subprocess.run([sys.executable, "-c", EVICTION, os.path.join(ROOT, "python")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    import json
    got = json.loads(out.stdout)
    n = 8 * 5000
    first, computed, second, total, files = got["MEMORY_ONLY"]
    assert (first, computed, second) == (n, n, n * (n - 1) // 2)
    # some partitions were evicted (and recomputed), but not all of them
    assert n < total < 2 * n
    assert files == 0
    first, computed, second, total, files = got["MEMORY_AND_DISK"]
    assert (first, computed, second) == (n, n, n * (n - 1) // 2)
    assert total == n  # evicted partitions were read back from disk
    assert files > 0


# ------------------------------------------------------------ checkpoints
def test_checkpoint_needs_a_directory():
    program = ("import sys; sys.path.insert(0, sys.argv[1])\n"
               "from ember import SparkContext\n"
               "sc = SparkContext('local[1]')\n"
               "try:\n"
               "    sc.parallelize([1]).checkpoint()\n"
               "except Exception as e:\n"
               "    print(type(e).__name__, e)\n")
    out = subprocess.run([sys.executable, "-c", program, os.path.join(ROOT, "python")],
                         capture_output=True, text=True, timeout=60)
    assert "Checkpoint directory has not been set" in out.stdout, out.stderr


def test_checkpoint_truncates_lineage_and_is_read_back(sc, tmp_path):
    import weakref
    sc.setCheckpointDir(str(tmp_path))
    assert sc.getCheckpointDir().startswith(str(tmp_path))
    base, calls = counted(sc, range(100), 4)
    pairs = base.map(lambda x: (x % 10, x)).reduceByKey(lambda a, b: a + b)
    shuffled = weakref.ref(pairs._source)
    pairs.checkpoint()
    assert not pairs.isCheckpointed() and pairs.getCheckpointFile() is None
    expected = sorted((k, sum(range(k, 100, 10))) for k in range(10))
    assert sorted(pairs.collect()) == expected
    assert pairs.isCheckpointed()
    directory = pairs.getCheckpointFile()
    assert sorted(os.listdir(directory)) == ["part-%05d" % i for i in range(pairs.getNumPartitions())]
    assert calls.value == 100  # the checkpoint job reused the map outputs
    assert sorted(pairs.collect()) == expected
    assert sorted(pairs.mapValues(lambda v: -v).collect()) == [(k, -v) for k, v in expected]
    assert calls.value == 100  # read from the files since
    assert len(pairs.toDebugString().splitlines()) == 1
    gc.collect()
    assert shuffled() is None  # the parents can be collected
    assert pairs.partitioner is not None
    assert pairs.join(pairs).count() == 10  # still co-partitioned with itself


def test_cache_then_checkpoint_computes_once(sc, tmp_path):
    sc.setCheckpointDir(str(tmp_path))
    rdd, calls = counted(sc, range(50), 2)
    rdd.cache().checkpoint()
    assert rdd.sum() == sum(range(50))
    assert calls.value == 50 and rdd.isCheckpointed()
    rdd.unpersist()


def test_checkpoint_read_by_a_later_context_and_missing_files(sc, tmp_path):
    sc.setCheckpointDir(str(tmp_path))
    rdd = sc.parallelize(["a", "b", "c"], 2).map(str.upper)
    rdd.checkpoint()
    rdd.count()
    directory = rdd.getCheckpointFile()
    program = ("import sys; sys.path.insert(0, sys.argv[1])\n"
               "from ember import SparkContext\n"
               "sc = SparkContext('local[1]')\n"
               "print(sc._checkpointFile(sys.argv[2]).collect())\n")
    out = subprocess.run([sys.executable, "-c", program, os.path.join(ROOT, "python"), directory],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "['A', 'B', 'C']", out.stderr
    os.unlink(os.path.join(directory, "part-00001"))
    from ember.errors import EmberError
    with pytest.raises(EmberError, match="part-00001"):
        rdd.collect()


def test_local_checkpoint(sc):
    rdd, calls = counted(sc, range(30), 3)
    rdd.localCheckpoint()
    assert rdd.getStorageLevel() == StorageLevel.MEMORY_AND_DISK
    assert rdd.count() == 30 and rdd.isLocallyCheckpointed()
    assert len(rdd.map(lambda x: x).toDebugString().splitlines()) == 2
    assert rdd.sum() == sum(range(30)) and calls.value == 30
    rdd.unpersist()
