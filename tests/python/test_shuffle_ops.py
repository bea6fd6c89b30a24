"""Joins, set operations, ordering, layout and keyed lookups against plain
Python on hypothesis data; partitioner awareness; hash stability across
processes."""

import os
import subprocess
import sys
import time
from collections import defaultdict
from operator import add

import pytest
from hypothesis import given, settings, strategies as st

from ember import PythonException
from standalone_cluster import executor_roots

SETTINGS = settings(max_examples=15, deadline=None)
parts = st.integers(1, 6)
# Keys Python can hash and compare for equality but not always order.
keys = st.sampled_from(["a", "b", "c", None, 4, 4.5, (1, "t"), ""])
pairs = st.lists(st.tuples(keys, st.integers(-20, 20)), max_size=40)
# Keys Python can order: ints and floats mixed.
ordered_keys = st.one_of(st.integers(-30, 30), st.floats(-30, 30, allow_nan=False))
ordered_pairs = st.lists(st.tuples(ordered_keys, st.integers(-5, 5)), max_size=60)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def by_key(data):
    groups = defaultdict(list)
    for k, v in data:
        groups[k].append(v)
    return groups


def plain_join(left, right, keep_left=False, keep_right=False):
    lg, rg = by_key(left), by_key(right)
    out = []
    for k in set(lg) | set(rg):
        ls, rs = lg.get(k, []), rg.get(k, [])
        if not rs and keep_left:
            rs = [None]
        if not ls and keep_right:
            ls = [None]
        out += [(k, (v, w)) for v in ls for w in rs]
    return out


def canon(records):
    """Order-free comparison of records whose keys may not be orderable."""
    return sorted(records, key=repr)


@SETTINGS
@given(pairs, pairs, parts, parts)
def test_join_family(sc, left, right, n1, n2):
    a, b = sc.parallelize(left, n1), sc.parallelize(right, n2)
    assert canon(a.join(b).collect()) == canon(plain_join(left, right))
    assert canon(a.leftOuterJoin(b).collect()) == canon(plain_join(left, right, keep_left=True))
    assert canon(a.rightOuterJoin(b).collect()) == canon(plain_join(left, right, keep_right=True))
    assert canon(a.fullOuterJoin(b, 3).collect()) == \
        canon(plain_join(left, right, keep_left=True, keep_right=True))


@SETTINGS
@given(pairs, pairs, pairs, parts)
def test_cogroup_and_group_with(sc, x, y, z, n):
    a, b, c = (sc.parallelize(d, n) for d in (x, y, z))
    gx, gy, gz = by_key(x), by_key(y), by_key(z)
    got = a.cogroup(b).mapValues(lambda vs: tuple(sorted(v) for v in vs)).collect()
    assert canon(got) == canon([(k, (sorted(gx.get(k, [])), sorted(gy.get(k, []))))
                                for k in set(gx) | set(gy)])
    got = a.groupWith(b, c).mapValues(lambda vs: tuple(sorted(v) for v in vs)).collect()
    assert canon(got) == canon([(k, tuple(sorted(g.get(k, [])) for g in (gx, gy, gz)))
                                for k in set(gx) | set(gy) | set(gz)])


@SETTINGS
@given(pairs, pairs, parts)
def test_set_operations(sc, x, y, n):
    a, b = sc.parallelize(x, n), sc.parallelize(y, 2)
    right_keys = {k for k, _ in y}
    assert canon(a.subtractByKey(b).collect()) == canon([kv for kv in x if kv[0] not in right_keys])
    assert canon(a.subtract(b).collect()) == canon([kv for kv in x if kv not in set(y)])
    assert canon(a.intersection(b).collect()) == canon(set(x) & set(y))
    assert canon(a.union(b).distinct().collect()) == canon(set(x) | set(y))


@SETTINGS
@given(ordered_pairs, parts, st.integers(1, 7), st.booleans())
def test_sort_by_key(sc, data, n, out_parts, ascending):
    rdd = sc.parallelize(data, n)
    result = rdd.sortByKey(ascending, out_parts)
    expected = sorted(data, key=lambda kv: kv[0], reverse=not ascending)
    got = result.collect()
    assert [k for k, _ in got] == [k for k, _ in expected]
    assert canon(got) == canon(data)
    assert result.getNumPartitions() == out_parts
    by_abs = rdd.sortByKey(True, out_parts, keyfunc=abs).keys().collect()
    assert [abs(k) for k in by_abs] == sorted(abs(k) for k, _ in data)


@SETTINGS
@given(st.lists(st.integers(-100, 100), max_size=60), parts)
def test_sort_by_is_stable_within_equal_keys_per_partition(sc, data, n):
    got = sc.parallelize(data, n).sortBy(lambda x: x % 7, numPartitions=1).collect()
    assert got == sorted(data, key=lambda x: x % 7)
    assert sc.parallelize(data, n).sortBy(lambda x: -x).collect() == sorted(data, reverse=True)


# Records of any kind, unhashable and None among them, sorted by an int.
sortable_records = st.lists(st.one_of(st.integers(-9, 9),
                                      st.lists(st.integers(-9, 9), min_size=1, max_size=2),
                                      st.tuples(st.integers(-9, 9), st.none())), max_size=60)


@SETTINGS
@given(sortable_records, parts, st.integers(1, 7), st.booleans())
def test_sort_by_orders_any_records_stably(sc, data, n, out_parts, ascending):
    # Equal keys keep their input order across partitions too, as PySpark's
    # keyBy + sortByKey + values keeps them.
    first_int = lambda record: record if isinstance(record, int) else record[0]  # noqa: E731
    result = sc.parallelize(data, n).sortBy(first_int, ascending, out_parts)
    assert result.collect() == sorted(data, key=first_int, reverse=not ascending)
    assert result.getNumPartitions() == out_parts and result.partitioner is None


def test_sort_by_key_balances_skewed_keys(sc):
    # Zipf-like: key k appears about 2000 / (k + 1) times.
    data = [(k, i) for k in range(200) for i in range(2000 // (k + 1))]
    sizes = sc.parallelize(data, 4).sortByKey(numPartitions=8).glom().map(len).collect()
    assert sum(sizes) == len(data)
    # No range partition holds much more than its share, except what one
    # hot key forces into one partition (key 0 alone is 2000 records).
    assert max(sizes) <= max(2000, 2.5 * len(data) / 8), sizes


def test_sort_empty_and_single_partition(sc):
    assert sc.parallelize([], 3).sortByKey().collect() == []
    assert sc.emptyRDD().sortBy(lambda x: x).collect() == []
    assert sc.parallelize([(2, 0), (1, 0)], 3).sortByKey(numPartitions=1).collect() == [(1, 0), (2, 0)]


@SETTINGS
@given(ordered_pairs, parts, st.booleans())
def test_repartition_and_sort_within_partitions(sc, data, n, ascending):
    got = sc.parallelize(data, n).repartitionAndSortWithinPartitions(
        3, lambda k: int(k) % 3, ascending).glom().collect()
    assert len(got) == 3
    for i, part in enumerate(got):
        assert all(int(k) % 3 == i for k, _ in part)
        assert [k for k, _ in part] == sorted((k for k, _ in part), reverse=not ascending)
    assert canon(x for p in got for x in p) == canon(data)


@SETTINGS
@given(st.lists(st.integers(), max_size=50), parts, st.integers(1, 8))
def test_repartition_and_coalesce(sc, data, n, m):
    rdd = sc.parallelize(data, n)
    for out in (rdd.repartition(m), rdd.coalesce(m, shuffle=True)):
        assert out.getNumPartitions() == m
        assert sorted(out.collect()) == sorted(data)
    narrow = rdd.coalesce(m)
    assert narrow.getNumPartitions() == min(n, m)
    assert narrow.collect() == data  # a narrow coalesce keeps the order


@SETTINGS
@given(st.lists(st.integers(0, 30), max_size=40), parts, st.integers(1, 9))
def test_partition_by_custom_function(sc, data, n, m):
    got = sc.parallelize([(k, None) for k in data], n).partitionBy(m, lambda k: k * 7).glom().collect()
    assert [sorted(k for k, _ in p) for p in got] == \
        [sorted(k for k in data if k * 7 % m == i) for i in range(m)]


@SETTINGS
@given(st.lists(st.integers(), max_size=12), st.lists(st.text(max_size=2), max_size=12),
       parts, parts)
def test_cartesian(sc, x, y, n1, n2):
    got = sc.parallelize(x, n1).cartesian(sc.parallelize(y, n2))
    assert got.getNumPartitions() == n1 * n2
    assert sorted(got.collect()) == sorted((a, b) for a in x for b in y)


@SETTINGS
@given(st.lists(st.integers(), max_size=40), parts)
def test_zip(sc, data, n):
    rdd = sc.parallelize(data, n)
    assert rdd.zip(rdd.map(str)).collect() == [(x, str(x)) for x in data]


def test_zip_mismatches_are_clear_errors(sc):
    with pytest.raises(ValueError, match="same number of partitions"):
        sc.parallelize(range(4), 2).zip(sc.parallelize(range(4), 3))
    with pytest.raises(PythonException, match="same number of elements in each partition"):
        sc.parallelize(range(4), 2).zip(sc.parallelize(range(5), 2)).collect()


def test_lookup_scans_only_the_keys_partition(sc):
    touched = sc.accumulator(0)

    def count_partition(it):
        touched.add(1)
        return it
    data = [(k % 10, k) for k in range(100)]
    rdd = sc.parallelize(data, 3).partitionBy(5).mapPartitions(count_partition, True)
    assert sorted(rdd.lookup(3)) == [k for k in range(100) if k % 10 == 3]
    assert touched.value == 1
    assert rdd.lookup("missing") == []
    plain = sc.parallelize(data, 3)
    assert sorted(plain.lookup(7)) == [k for k in range(100) if k % 10 == 7]


def test_sample_by_key(sc):
    data = [(k, i) for k in "abc" for i in range(2000)]
    rdd = sc.parallelize(data, 4)
    counts = rdd.sampleByKey(False, {"a": 0.0, "b": 0.5, "c": 1.0}, seed=3).countByKey()
    assert counts.get("a", 0) == 0 and counts["c"] == 2000
    assert 850 < counts["b"] < 1150
    assert rdd.sampleByKey(False, {"a": 0.1, "b": 0.5, "c": 1.0}, 5).collect() == \
        rdd.sampleByKey(False, {"a": 0.1, "b": 0.5, "c": 1.0}, 5).collect()
    with_replacement = rdd.sampleByKey(True, {"a": 2.0, "b": 0.0, "c": 0.0}, 1).countByKey()
    assert 3600 < with_replacement["a"] < 4400 and "b" not in with_replacement


@pytest.mark.parametrize("n,relative_sd", [(0, 0.05), (50, 0.05), (20000, 0.05), (20000, 0.01)])
def test_count_approx_distinct_within_documented_error(sc, n, relative_sd):
    rdd = sc.parallelize([str(i % n) if n else "" for i in range(3 * max(n, 1))], 4)
    if n == 0:
        rdd = rdd.filter(lambda x: False)
    est = rdd.countApproxDistinct(relative_sd)
    assert abs(est - n) <= max(2, 4 * relative_sd * n), est
    with pytest.raises(ValueError, match="relativeSD"):
        rdd.countApproxDistinct(0.000001)


@SETTINGS
@given(pairs, parts)
def test_reduce_by_key_locally_and_lookup_on_plain_data(sc, data, n):
    rdd = sc.parallelize(data, n)
    expected = {k: sum(vs) for k, vs in by_key(data).items()}
    if data:
        assert rdd.reduceByKeyLocally(add) == expected
    for k in expected:
        assert sorted(rdd.lookup(k)) == sorted(by_key(data)[k])


def test_unhashable_keys_are_a_clear_error(sc):
    rdd = sc.parallelize([([1], 2), ([1], 3)])
    with pytest.raises(PythonException, match="unhashable type: 'list'"):
        rdd.groupByKey().collect()
    with pytest.raises(PythonException, match="unhashable type: 'list'"):
        rdd.join(rdd).collect()


def test_many_partitions(sc):
    data = [(i % 37, i) for i in range(1000)]
    rdd = sc.parallelize(data, 200)
    assert rdd.getNumPartitions() == 200
    grouped = rdd.groupByKey(200).mapValues(sorted).collect()
    assert sorted(grouped) == sorted((k, sorted(v)) for k, v in by_key(data).items())
    assert rdd.sortByKey(numPartitions=200).keys().collect() == sorted(k for k, _ in data)


def test_wide_shuffle_of_mostly_empty_blocks(sc):
    # 2000 map outputs x 2000 reducers, 10 keys per map: each reducer reads
    # only the few blocks that hold its keys, and none is lost or doubled
    n = 2000
    data = [(x % 100, x) for x in range(10 * n)]
    sums = sc.parallelize(range(10 * n), n).map(lambda x: (x % 100, x)).reduceByKey(add, n)
    assert sorted(sums.collect()) == sorted((k, sum(v)) for k, v in by_key(data).items())


# ------------------------------------------------------ partitioner awareness
def shuffles(rdd):
    return sum(b"ShuffledRDD" in line for line in rdd.toDebugString().splitlines())


def test_co_partitioned_join_adds_no_shuffle(sc):
    a = sc.parallelize([(i % 20, i) for i in range(200)], 3).partitionBy(4)
    b = sc.parallelize([(i, str(i)) for i in range(20)], 2).partitionBy(4)
    joined = a.join(b)
    assert shuffles(joined) == 2  # the two partitionBy, nothing more
    assert joined.getNumPartitions() == 4
    assert joined.partitioner == a.partitioner
    assert sorted(joined.collect()) == sorted((i % 20, (i, str(i % 20))) for i in range(200))
    # not co-partitioned: the join shuffles each side (as Spark's CoGroupedRDD)
    assert shuffles(a.join(b.partitionBy(5))) == 5


def test_default_partition_counts_of_shuffles_and_joins(sc, context_with):
    a = sc.parallelize([(i % 5, i) for i in range(30)], 3)
    b = sc.parallelize([(i, -i) for i in range(5)], 2)
    # as PySpark: a shuffle keeps its input's count, a join has the union's
    assert a.reduceByKey(add).getNumPartitions() == 3
    assert a.join(b).getNumPartitions() == 5 and a.leftOuterJoin(b).getNumPartitions() == 5
    assert a.subtractByKey(b).getNumPartitions() == 5
    # spark.default.parallelism, when set, wins over both
    own = context_with({"spark.default.parallelism": "7"})
    a = own.parallelize([(i % 5, i) for i in range(30)], 3)
    b = own.parallelize([(i, -i) for i in range(5)], 2)
    assert a.reduceByKey(add).getNumPartitions() == 7 and a.join(b).getNumPartitions() == 7
    assert sorted(a.join(b).collect()) == sorted((i % 5, (i, -(i % 5))) for i in range(30))


def test_partitioner_kept_by_narrow_key_preserving_ops(sc):
    p = sc.parallelize([(i, i) for i in range(50)], 2).partitionBy(3)
    assert p.mapValues(str).partitioner == p.partitioner
    assert p.flatMapValues(lambda v: [v, v]).partitioner == p.partitioner
    assert p.filter(lambda kv: kv[1] > 3).partitioner == p.partitioner
    assert p.map(lambda kv: kv).partitioner is None
    assert p.mapPartitions(lambda it: it, preservesPartitioning=True).partitioner == p.partitioner
    reduced = p.reduceByKey(add, 3)
    assert shuffles(reduced) == 1 and reduced.partitioner == p.partitioner
    assert sorted(reduced.collect()) == [(i, i) for i in range(50)]
    both = p.union(p.mapValues(lambda v: -v))
    assert both.partitioner == p.partitioner and both.getNumPartitions() == 3
    assert sorted(both.collect()) == sorted([(i, i) for i in range(50)] + [(i, -i) for i in range(50)])
    mixed = p.union(sc.parallelize([(1, 1)], 1))
    assert mixed.partitioner is None and mixed.getNumPartitions() == 4


# ------------------------------------------------------- portable hashing
HASH_PROGRAM = """
import json, sys
sys.path.insert(0, sys.argv[1])
from ember import SparkContext
sc = SparkContext("local[2]", conf=None)
keys = ["alpha", "beta", "γ", b"raw", 7, 7.5, None, ("t", 1), frozenset([1, 2]), True]
rdd = sc.parallelize([(k, 1) for k in keys] * 3, 3)
out = rdd.partitionBy(5).glom().map(lambda p: sorted(repr(k) for k, _ in p)).collect()
out.append(sorted(repr(k) for k, _ in rdd.reduceByKey(lambda a, b: a + b, 4).glom().collect()[2]))
print(json.dumps(out))
"""


def test_same_key_same_partition_whatever_the_hash_seed():
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", HASH_PROGRAM, os.path.join(ROOT, "python")],
                             env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        outputs.add(out.stdout)
    assert len(outputs) == 1


# ------------------------------------------------------- ContextCleaner
def shuffle_files(sc):
    found = set()
    for top in executor_roots(sc):
        for root, _, files in os.walk(top):
            found.update(os.path.join(root, f) for f in files if f.startswith("shuffle_"))
    return found


def test_shuffle_files_go_with_their_rdd(sc):
    import gc
    before = shuffle_files(sc)
    data = [(i % 7, i) for i in range(100)]
    kept = sc.parallelize(data, 3).reduceByKey(add)
    dropped = sc.parallelize(range(100), 3).map(lambda x: (x % 5, x)).groupByKey()
    assert kept.count() == 7 and dropped.count() == 5
    written = shuffle_files(sc) - before
    assert len(written) == 2 * 3 * 2  # two shuffles of 3 map tasks, data + index each
    del dropped
    gc.collect()
    # Executor processes delete their files when the driver's message
    # reaches them (asynchronously, as Spark's ContextCleaner).
    left = settled(lambda: shuffle_files(sc) - before, lambda files: len(files) == 6)
    assert len(left) == 6 and left < written
    # the surviving shuffle is reused as it is: same files, same answer
    assert sorted(kept.collect()) == sorted((k, sum(v)) for k, v in by_key(data).items())
    assert shuffle_files(sc) - before == left
    del kept
    gc.collect()
    assert settled(lambda: shuffle_files(sc) - before, lambda files: not files) == set()


def settled(measure, done, timeout=10):
    """measure() once done(measure()) holds, or when `timeout` passed."""
    deadline = time.time() + timeout
    value = measure()
    while not done(value) and time.time() < deadline:
        time.sleep(0.02)
        value = measure()
    return value


def test_stop_removes_every_shuffle_file(tmp_path):
    program = ("import sys; sys.path.insert(0, sys.argv[1])\n"
               "from ember import SparkContext\n"
               "sc = SparkContext('local[2]')\n"
               "rdd = sc.parallelize(range(100), 4).map(lambda x: (x % 3, x)).reduceByKey(max)\n"
               "assert rdd.count() == 3\n"
               "print(sc._engine.local_dir)\n"
               "sc.stop()\n")
    out = subprocess.run([sys.executable, "-c", program, os.path.join(ROOT, "python")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert not os.path.exists(out.stdout.strip())
