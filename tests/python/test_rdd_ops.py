"""Every RDD operation against plain Python on the same data, with
hypothesis choosing the data and the number of partitions."""

import math
import statistics
from collections import Counter, defaultdict
from operator import add

import pytest
from hypothesis import given, settings, strategies as st

from ember.errors import PythonException

SETTINGS = settings(max_examples=20, deadline=None)
ints = st.lists(st.integers(-1000, 1000), max_size=60)
parts = st.integers(1, 7)
words = st.lists(st.sampled_from(["a", "b", "c", "dd", "é", "", "x y"]), max_size=60)
pairs = st.lists(st.tuples(st.sampled_from(["k1", "k2", "k3", None, 4, (1, "t")]),
                           st.integers(-50, 50)), max_size=60)


def slices(data, n):
    return [data[i * len(data) // n:(i + 1) * len(data) // n] for i in range(n)]


@SETTINGS
@given(ints, parts)
def test_parallelize_slices_like_pyspark(sc, data, n):
    assert sc.parallelize(data, n).glom().collect() == slices(data, n)
    assert sc.parallelize(range(len(data)), n).glom().collect() == slices(list(range(len(data))), n)


def test_a_parallelized_range_is_never_made_a_list(sc):
    # a list of 5 * 10**11 ints would not fit: the worker iterates the range
    rdd = sc.parallelize(range(10 ** 12), 2)
    assert rdd.take(3) == [0, 1, 2]
    assert rdd.map(lambda x: x * 2).filter(lambda x: x % 3 == 0).first() == 0


def test_parallelize_takes_any_collection_and_a_list_as_it_was(sc):
    # A list is read in place at parallelize() time: changing it afterwards
    # changes nothing, and every job re-reads the same slices. Other
    # iterables are sliced as their list, as in PySpark.
    data = list(range(10))
    rdd = sc.parallelize(data, 3)
    data[:] = ["changed"]
    assert rdd.glom().collect() == slices(list(range(10)), 3)
    assert rdd.map(lambda x: x + 1).sum() == 55
    assert sorted(sc.parallelize({3, 1, 2}, 2).collect()) == [1, 2, 3]
    assert sc.parallelize({"a": 1, "b": 2}, 2).glom().collect() == [["a"], ["b"]]
    assert sc.parallelize((x * x for x in range(5)), 2).glom().collect() == [[0, 1], [4, 9, 16]]
    assert sc.parallelize("abc", 2).collect() == ["a", "b", "c"]

    class Sequence:  # numpy-like: only __len__ and __getitem__
        def __len__(self):
            return 3

        def __getitem__(self, i):
            if i >= 3:
                raise IndexError(i)
            return [i]
    assert sc.parallelize(Sequence(), 2).glom().collect() == [[[0]], [[1], [2]]]


def test_parallelize_hands_each_element_of_a_list_out_once(sc):
    # however many slices: none walks the list from its start
    class Counting(list):
        handed = 0

        def __getitem__(self, i):
            got = super().__getitem__(i)
            Counting.handed += len(got) if isinstance(i, slice) else 1
            return got

        def __iter__(self):
            for x in super().__iter__():
                Counting.handed += 1
                yield x
    rdd = sc.parallelize(Counting(range(10_000)), 200)
    assert Counting.handed == 10_000
    assert rdd.glom().collect() == slices(list(range(10_000)), 200)


def test_a_large_slice_travels_in_batches_and_keeps_its_records(sc):
    # Slices far larger than one batch, with None, unhashable and mixed
    # records, read back whole and in order, job after job.
    data = [None, [1, 2], {"k": (3,)}, "s", 4.5] * 40_000
    rdd = sc.parallelize(data, 3)
    assert rdd.glom().collect() == slices(data, 3)
    assert rdd.map(lambda x: x).collect() == data


@SETTINGS
@given(ints, parts)
def test_narrow_transformations(sc, data, n):
    rdd = sc.parallelize(data, n)
    assert rdd.map(lambda x: x * 3).collect() == [x * 3 for x in data]
    assert rdd.filter(lambda x: x % 3 == 0).collect() == [x for x in data if x % 3 == 0]
    assert rdd.flatMap(lambda x: [x] * (x % 3)).collect() == [y for x in data for y in [x] * (x % 3)]
    assert rdd.mapPartitions(lambda it: [sum(it)]).collect() == [sum(s) for s in slices(data, n)]
    assert rdd.mapPartitionsWithIndex(lambda i, it: [(i, len(list(it)))]).collect() == \
        [(i, len(s)) for i, s in enumerate(slices(data, n))]
    assert rdd.keyBy(lambda x: x % 5).collect() == [(x % 5, x) for x in data]
    assert rdd.zipWithIndex().collect() == [(x, i) for i, x in enumerate(data)]
    ids = rdd.zipWithUniqueId().map(lambda kv: kv[1]).collect()
    assert len(set(ids)) == len(data)


@SETTINGS
@given(ints, parts)
def test_actions(sc, data, n):
    rdd = sc.parallelize(data, n)
    assert rdd.count() == len(data)
    assert rdd.sum() == sum(data)
    assert rdd.fold(0, add) == sum(data)
    assert rdd.aggregate(0, lambda a, x: a + x, add) == sum(data)
    assert rdd.treeAggregate(0, lambda a, x: a + x, add, depth=3) == sum(data)
    assert rdd.take(5) == data[:5]
    assert rdd.takeOrdered(4) == sorted(data)[:4]
    assert rdd.takeOrdered(4, key=lambda x: -x) == sorted(data, key=lambda x: -x)[:4]
    assert rdd.top(3) == sorted(data, reverse=True)[:3]
    assert rdd.isEmpty() == (not data)
    assert dict(rdd.countByValue()) == dict(Counter(data))
    assert list(rdd.toLocalIterator()) == data
    assert sorted(rdd.distinct().collect()) == sorted(set(data))
    if data:
        assert rdd.reduce(add) == sum(data)
        assert rdd.treeReduce(add) == sum(data)
        assert rdd.max() == max(data) and rdd.min() == min(data)
        assert rdd.first() == data[0]
        assert math.isclose(rdd.mean(), statistics.fmean(data), abs_tol=1e-9)
        assert math.isclose(rdd.variance(), statistics.pvariance(data), rel_tol=1e-9, abs_tol=1e-9)
        if len(data) > 1:
            assert math.isclose(rdd.sampleStdev(), statistics.stdev(data), rel_tol=1e-9, abs_tol=1e-9)


@SETTINGS
@given(pairs, parts, st.integers(1, 5))
def test_by_key_aggregations(sc, data, n, reducers):
    rdd = sc.parallelize(data, n)
    sums = defaultdict(int)
    groups = defaultdict(list)
    for k, v in data:
        sums[k] += v
        groups[k].append(v)
    assert dict(rdd.reduceByKey(add, reducers).collect()) == dict(sums)
    assert dict(rdd.foldByKey(0, add, reducers).collect()) == dict(sums)
    assert dict(rdd.aggregateByKey(0, add, add, reducers).collect()) == dict(sums)
    assert {k: sorted(v) for k, v in rdd.groupByKey(reducers).collect()} == \
        {k: sorted(v) for k, v in groups.items()}
    assert dict(rdd.combineByKey(lambda v: [v], lambda c, v: c + [v], add, reducers)
                .mapValues(sorted).collect()) == {k: sorted(v) for k, v in groups.items()}
    assert dict(rdd.countByKey()) == dict(Counter(k for k, _ in data))
    assert rdd.collectAsMap() == dict(data)
    assert sorted(rdd.keys().collect(), key=repr) == sorted((k for k, _ in data), key=repr)
    assert rdd.values().collect() == [v for _, v in data]
    assert rdd.mapValues(lambda v: v + 1).collect() == [(k, v + 1) for k, v in data]
    assert rdd.flatMapValues(lambda v: [v, v]).collect() == [(k, x) for k, v in data for x in (v, v)]


@SETTINGS
@given(pairs, st.integers(1, 6))
def test_partition_by_puts_each_key_in_one_partition(sc, data, n):
    from ember import portable_hash
    glommed = sc.parallelize(data, 3).partitionBy(n).glom().collect()
    assert len(glommed) == n
    for i, part in enumerate(glommed):
        for k, _ in part:
            assert portable_hash(k) % n == i
    assert sorted((x for p in glommed for x in p), key=repr) == sorted(data, key=repr)


@SETTINGS
@given(words, parts)
def test_group_by_and_word_count(sc, data, n):
    rdd = sc.parallelize(data, n)
    expected = defaultdict(list)
    for w in data:
        expected[len(w)].append(w)
    assert {k: sorted(v) for k, v in rdd.groupBy(len).collect()} == \
        {k: sorted(v) for k, v in expected.items()}
    counts = rdd.flatMap(lambda s: s.split()).map(lambda w: (w, 1)).reduceByKey(add).collect()
    assert dict(counts) == dict(Counter(w for s in data for w in s.split()))


def test_union_coalesce_repartition(sc):
    a, b = sc.parallelize(range(10), 3), sc.parallelize(range(10, 15), 2)
    u = a.union(b)
    assert u.getNumPartitions() == 5 and u.collect() == list(range(15))
    assert sc.union([a, b, a]).count() == 25
    c = u.coalesce(2)
    assert c.getNumPartitions() == 2 and c.collect() == list(range(15))
    r = u.repartition(4)
    assert r.getNumPartitions() == 4 and sorted(r.collect()) == list(range(15))


def test_sampling(sc):
    rdd = sc.parallelize(range(10000), 4)
    s = rdd.sample(False, 0.1, seed=7).collect()
    assert 800 < len(s) < 1200 and len(set(s)) == len(s)
    assert s == rdd.sample(False, 0.1, seed=7).collect()  # same seed, same sample
    pieces = rdd.randomSplit([1, 2, 3], seed=11)
    collected = [p.collect() for p in pieces]
    assert sorted(x for p in collected for x in p) == list(range(10000))
    assert 1300 < len(collected[0]) < 2000
    taken = rdd.takeSample(False, 50, seed=3)
    assert len(taken) == 50 and len(set(taken)) == 50
    assert len(rdd.takeSample(True, 20000, seed=3)) == 20000


def test_histogram_stats_and_pipe(sc):
    rdd = sc.parallelize([1, 2, 2, 3, 10], 2)
    assert rdd.histogram([0, 5, 10]) == ([0, 5, 10], [4, 1])
    assert rdd.histogram(3) == ([1, 4, 7, 10], [4, 0, 1])
    st_ = rdd.stats()
    assert st_.count() == 5 and st_.max() == 10
    assert sc.parallelize(["b", "a", "c"], 1).pipe("sort").collect() == ["a", "b", "c"]


def test_long_chain_of_maps(sc):
    rdd = sc.parallelize(range(10), 2)
    for _ in range(10000):
        rdd = rdd.map(lambda x: x + 1)
    assert rdd.collect() == [x + 10000 for x in range(10)]


def test_take_scans_incrementally(sc):
    acc = sc.accumulator(0)

    def touch(x):
        acc.add(1)
        return x
    rdd = sc.parallelize(range(100), 10).map(touch)
    assert rdd.take(3) == [0, 1, 2]
    assert acc.value == 3  # only the first partition ran, and only as far as needed


def test_accumulators_and_foreach(sc):
    acc = sc.accumulator(0)
    sc.parallelize(range(100), 4).foreach(lambda x: acc.add(x))
    assert acc.value == sum(range(100))
    facc = sc.accumulator(1.5)
    sc.parallelize([1.0, 2.0], 2).foreachPartition(lambda it: facc.add(sum(it)))
    assert facc.value == 4.5


def test_stop_iteration_in_user_code_fails_the_job_instead_of_dropping_records(sc):
    """map and filter end quietly on a StopIteration from their function;
    as in PySpark, it fails the task instead (also on the last record, and
    in a chain too long for the builtin iterators)."""
    def stop_at(n):
        def f(x):
            if x == n:
                raise StopIteration("stop at %d" % n)
            return x
        return f
    rdd = sc.parallelize(range(10), 2)
    long_chain = rdd
    for _ in range(20):
        long_chain = long_chain.map(lambda x: x)
    for job in (lambda: rdd.map(stop_at(3)).collect(),
                lambda: rdd.map(stop_at(9)).collect(),
                lambda: rdd.filter(stop_at(4)).collect(),
                lambda: rdd.flatMap(lambda x: [stop_at(5)(x)]).collect(),
                lambda: rdd.map(lambda x: (x, x)).mapValues(stop_at(6)).collect(),
                lambda: rdd.keyBy(stop_at(7)).collect(),
                lambda: long_chain.map(stop_at(8)).collect(),
                lambda: rdd.reduce(lambda a, b: stop_at(b)(b))):
        with pytest.raises(PythonException, match="StopIteration"):
            job()
    assert rdd.map(stop_at(-1)).flatMap(lambda x: [stop_at(-1)(x)]).collect() == list(range(10))
    assert rdd.map(stop_at(8)).take(3) == [0, 1, 2]  # stopped reading before it


def test_map_partitions_with_index_gets_its_own_rdds_partition_under_union_coalesce_and_cartesian(sc):
    # The split a function sees is its RDD's partition, not the task's.
    a = sc.parallelize(range(4), 2).mapPartitionsWithIndex(lambda split, it: [split])
    assert a.union(a).collect() == [0, 1, 0, 1]
    assert a.coalesce(1).collect() == [0, 1]
    assert sorted(a.cartesian(a).collect()) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert a.zip(a).collect() == [(0, 0), (1, 1)]
    ranges = sc.range(0, 6, numSlices=3).union(sc.range(6, 9, numSlices=2))
    assert ranges.collect() == list(range(9))


def test_a_job_hands_its_frames_over_one_at_a_time(sc):
    # The engine gives the driver a job's frames one by one (dropping each
    # as it goes), in partition order, rather than all of them as a list.
    from ember import serializers as ser
    frames = sc._run_frames(sc.parallelize([1, 2, 3, 4, 5], 3))
    assert iter(frames) is frames and not isinstance(frames, list)
    assert [ser.decode_frame(*f) for f in frames] == [[1], [2, 3], [4, 5]]
    assert list(frames) == []
