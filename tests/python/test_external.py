"""external.py: the spilling merger, grouper, hash join and sorter give the
answers of their in-memory equivalents, delete their files, and stay within
budget."""

import collections
import functools
import os
import subprocess
import sys
import textwrap
from operator import add

from hypothesis import given, settings, strategies as st

from ember import external, join
from ember.shuffle import Aggregator


class AlwaysOver(external.MemoryGauge):
    """A gauge that reports the budget exceeded at every check: every block
    of 7 records becomes a spill."""

    def __init__(self):
        super().__init__(0)
        self.block = 7
        self.spills = 0

    def over(self):
        return True

    def spilled(self):
        self.spills += 1


SUM = Aggregator(lambda v: v, add, add)
# -1 and -2 share a hash in CPython, so runs hold distinct keys under one hash.
keys = st.one_of(st.none(), st.integers(-3, 40), st.text(max_size=2), st.tuples(st.integers(0, 3)))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(keys, st.integers(-5, 5)), max_size=400))
def test_merger_spilling_equals_counter(tmp_path_factory, records):
    spill_dir = tmp_path_factory.mktemp("spill")
    expected = collections.Counter()
    for k, v in records:
        expected[k] += v
    merger = external.ExternalMerger(SUM, 0, str(spill_dir), AlwaysOver())
    merger.merge_values(records)
    got = list(merger.items())
    assert len(got) == len(expected)
    assert dict(got) == dict(expected)
    assert os.listdir(spill_dir) == []


def test_merge_combiners_after_map_side_flushes(tmp_path):
    records = [(i % 300, 1) for i in range(20000)]
    partial = list(external.combine_map_side(SUM, records, 0, AlwaysOver()))
    assert len(partial) > 300  # the map side flushed partial combiners
    merger = external.ExternalMerger(SUM, 0, str(tmp_path), AlwaysOver())
    merger.merge_combiners(partial)
    assert dict(merger.items()) == {k: 20000 // 300 + (k < 20000 % 300) for k in range(300)}


def test_group_map_side_caps_values_per_record():
    records = [("hot", i) for i in range(5000)] + [("cold", 1)]
    out = list(external.group_map_side(records, 1 << 30))
    assert max(len(vs) for _, vs in out) <= external.LIST_CHUNK
    assert sorted(v for k, vs in out if k == "hot" for v in vs) == list(range(5000))


def test_hot_key_group_moves_to_disk_and_keeps_every_value(tmp_path):
    gauge = AlwaysOver()
    hot = [("hot", [i]) for i in range(30000)]
    cold = [(k, [k]) for k in range(5000)]
    grouped = dict(external.group_by_key(hot + cold + hot[:10], 0, str(tmp_path), gauge))
    assert gauge.spills > 0
    assert len(grouped["hot"]) == 30010
    assert sorted(grouped["hot"]) == sorted(list(range(30000)) + list(range(10)))
    assert list(grouped["hot"]) == list(grouped["hot"])  # iterable twice
    assert all(list(grouped[k]) == [k] for k in range(5000))
    assert os.listdir(tmp_path)  # the hot key's values live in a spill file
    del grouped
    assert os.listdir(tmp_path) == []


def test_spilled_group_pickles_as_a_list(tmp_path):
    import pickle
    grouped = dict(external.group_by_key([(1, list(range(5000)))], 0, str(tmp_path), AlwaysOver()))
    assert pickle.loads(pickle.dumps(grouped[1])).data == list(range(5000))


def plain_join(left, right, keep_left, keep_right):
    """join/leftOuterJoin/rightOuterJoin/fullOuterJoin by nested loops."""
    out = [(k, (v, w)) for k, v in left for k2, w in right if k == k2]
    if keep_left:
        out += [(k, (v, None)) for k, v in left if all(k != k2 for k2, _ in right)]
    if keep_right:
        out += [(k, (None, w)) for k, w in right if all(k != k2 for k2, _ in left)]
    return out


JOINS = {  # the per-partition functions of join.py, each with its plain equivalent
    "join": (functools.partial(join.join_pairs, keep_left=False, keep_right=False),
             lambda left, right: plain_join(left, right, False, False)),
    "leftOuterJoin": (functools.partial(join.join_pairs, keep_left=True, keep_right=False),
                      lambda left, right: plain_join(left, right, True, False)),
    "rightOuterJoin": (functools.partial(join.join_pairs, keep_left=False, keep_right=True),
                       lambda left, right: plain_join(left, right, False, True)),
    "fullOuterJoin": (functools.partial(join.join_pairs, keep_left=True, keep_right=True),
                      lambda left, right: plain_join(left, right, True, True)),
    "subtractByKey": (join._unmatched,
                      lambda left, right: [kv for kv in left if all(kv[0] != k for k, _ in right)]),
    "intersection": (join._common_keys,
                     lambda left, right: list({k for k, _ in left} & {k for k, _ in right})),
}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(keys, st.integers(-5, 5)), max_size=150),
       st.lists(st.tuples(keys, st.integers(-5, 5)), max_size=150), st.sampled_from(sorted(JOINS)))
def test_spilled_hash_join_equals_nested_loops(tmp_path_factory, left, right, how):
    spill_dir = tmp_path_factory.mktemp("spill")
    func, plain = JOINS[how]
    gauge = AlwaysOver()
    joiner = external.HashJoin(0, str(spill_dir), gauge)
    joiner.build(right)
    got = list(joiner.probe(iter(left), func))
    assert sorted(got, key=repr) == sorted(plain(left, right), key=repr)
    assert gauge.spills >= len(right) // gauge.block
    assert os.listdir(spill_dir) == []


def test_hash_join_in_memory_does_not_touch_disk(tmp_path):
    joiner = external.HashJoin(1 << 30, str(tmp_path))
    joiner.build([(1, "a"), (2, "b"), (1, "c")])
    got = joiner.probe(iter([(1, 10), (3, 30)]), JOINS["fullOuterJoin"][0])
    assert sorted(got, key=repr) == [(1, (10, "a")), (1, (10, "c")), (2, (None, "b")), (3, (30, None))]
    assert os.listdir(tmp_path) == []


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(-10, 10), st.integers()), max_size=500), st.booleans())
def test_sorter_is_sorted_and_stable(tmp_path_factory, records, reverse):
    spill_dir = tmp_path_factory.mktemp("spill")
    sorter = external.ExternalSorter(0, str(spill_dir), AlwaysOver())
    got = list(sorter.sorted(records, key=lambda kv: kv[0], reverse=reverse))
    assert got == sorted(records, key=lambda kv: kv[0], reverse=reverse)
    assert os.listdir(spill_dir) == []


def test_unconsumed_spills_are_deleted_with_their_iterator(tmp_path):
    sorter = external.ExternalSorter(0, str(tmp_path), AlwaysOver())
    it = sorter.sorted(range(10000, 0, -1))
    assert next(it) == 1
    assert os.listdir(tmp_path)
    del it
    assert os.listdir(tmp_path) == []


BOUNDED = textwrap.dedent("""
    import itertools, sys
    from ember import external
    from ember.shuffle import Aggregator
    limit, spill_dir, what = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    n = 2_000_000   # ~10x the budget as Python objects
    before = external._rss()
    if what == "group":
        records = ((i % 1000 if i % 2 else "hot", ["v%d" % i]) for i in range(n))
        got = sum(len(vs) for _, vs in external.group_by_key(records, limit, spill_dir))
    elif what == "merge":
        agg = Aggregator(lambda v: [v], lambda c, v: c + [v], lambda a, b: a + b)
        merger = external.ExternalMerger(agg, limit, spill_dir)
        merger.merge_values(("k%d" % i, i) for i in range(n))
        got = sum(len(c) for _, c in merger.items())
    elif what == "sort":
        s = external.ExternalSorter(limit, spill_dir).sorted("%09d" % ((i * 7919) % n) for i in range(n))
    else:  # by a key function making a new object as big as the record
        backwards = lambda x: x[::-1]
        records = (("%09d" % ((i * 7919) % n))[::-1] for i in range(n))
        s = map(backwards, external.ExternalSorter(limit, spill_dir).sorted(records, key=backwards))
    if what.startswith("sort"):
        prev, got = "", 0
        for x in s:
            assert x >= prev
            prev, got = x, got + 1
    assert got == n, got
    # VmHWM: peak RSS of this image (ru_maxrss would include the parent's
    # footprint from before exec).
    with open("/proc/self/status") as f:
        peak = next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmHWM:"))
    print(peak - before)
""")


def test_real_memory_stays_within_twice_the_budget(tmp_path):
    limit = 24 << 20
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(external.__file__)))
    for what in ("group", "merge", "sort", "sort by key"):
        out = subprocess.run([sys.executable, "-c", BOUNDED, str(limit), str(tmp_path), what],
                             capture_output=True, text=True, timeout=240, env=env)
        assert out.returncode == 0, out.stderr
        growth = int(out.stdout)
        print(what, growth >> 20, "MiB")
        assert growth <= 2 * limit, (what, growth >> 20)
        assert os.listdir(tmp_path) == []
