"""Joins, cogroup and key-set operations.

Joins, subtractByKey and intersection are hash joins of two inputs
(``hash_joined``): each input is hash-partitioned on its own, as it is,
without tags or map-side grouping (an input already partitioned that way
is not shuffled again), and the two are zipped partition by partition, so
a reduce task reads the right input's records, a section mark, then the
left input's. It holds the right side by key and streams the left side
through it (shuffle.hash_join; both sides spill above the memory budget).

cogroup (any number of inputs) needs every value of every side per key:
``cogroup_tagged`` groups each input's values by key on the map side, tags
each group (not each value) with the input's position, unions the tagged
RDDs (partitioner-aware) and merges the groups by key, giving
``(k, [(tag, [v, ...]), ...])``.
"""

import functools
import itertools

from . import _core, shuffle
from .resultiterable import ResultIterable


def hash_joined(left, right, numPartitions, func):
    """func(table, records) on each pair of partitions of left and right
    hash-partitioned alike: table is {k: [w, ...]} from right, records
    are left's (k, v). The partition count defaults to what a shuffle of
    left.union(right) would have, as PySpark's joins do."""
    from .rdd import SourceRDD
    ctx = left.ctx
    if numPartitions is None:
        co_partitioned = left.partitioner is not None and left.partitioner == right.partitioner
        numPartitions = left._defaultReducePartitions(
            left.getNumPartitions() if co_partitioned else left.getNumPartitions() + right.getNumPartitions())
    left, right = left.partitionBy(numPartitions), right.partitionBy(numPartitions)
    node = ctx._call(ctx._engine.add_pair, left._node_id(), right._node_id(), False)
    zipped = SourceRDD(ctx, node, [left, right], partitioner=left.partitioner,
                       kind="ZippedPartitionsRDD2")
    return zipped.mapPartitions(functools.partial(shuffle.hash_join, func=func), True)


# outputs per list the C++ probe hands over (and the longest value list it
# expands itself; a longer one is streamed)
JOIN_CHUNK = 4096


def join_pairs(table, records, keep_left, keep_right):
    """(k, (v, w)) for every left value v and right value w of a key; an
    unmatched side pairs with None when that side is kept (outer joins).
    The probe runs in C++ (ember._core.fast.join_block) a chunk at a time."""
    return itertools.chain.from_iterable(_joined_chunks(table, iter(records), keep_left, keep_right))


def _joined_chunks(table, records, keep_left, keep_right):
    matched = set() if keep_right else None
    ended = False
    while not ended:
        chunk, streamed, ended = _core.fast.join_block(table, records, keep_left, matched, JOIN_CHUNK)
        yield chunk
        if streamed is not None:
            k, v, values = streamed
            yield ((k, (v, w)) for w in values)
    if keep_right:
        for k, values in table.items():
            if k not in matched:
                yield ((k, (None, w)) for w in values)


def join(a, b, numPartitions, keep_left=False, keep_right=False):
    return hash_joined(a, b, numPartitions, functools.partial(
        join_pairs, keep_left=keep_left, keep_right=keep_right))


def _unmatched(table, records):
    return (kv for kv in records if kv[0] not in table)


def subtract_by_key(a, b, numPartitions=None):
    """(k, v) of a whose key is not in b."""
    return hash_joined(a, b, numPartitions, _unmatched)


def _common_keys(table, records):
    for k, _ in records:
        if k in table:
            del table[k]  # once each
            yield k


def intersect_keys(a, b, numPartitions=None):
    """The keys present in both (k, v) RDDs, once each."""
    return hash_joined(a, b, numPartitions, _common_keys)


class _TagGroups:
    """A partition of (k, v) -> (k, [(tag, [v, ...])]); a class, not a
    lambda, so it pickles small."""

    def __init__(self, tag):
        self.tag = tag

    def __call__(self, iterator):
        tag = self.tag
        return ((k, [(tag, values)]) for k, values in shuffle.group_locally(iterator))


def cogroup_tagged(rdds, numPartitions=None):
    ctx = rdds[0].ctx
    tagged = ctx.union([r.mapPartitions(_TagGroups(i), True) for i, r in enumerate(rdds)])
    return tagged.partitionBy(numPartitions).mapPartitions(shuffle.group_values, True)


def split_tagged(n, tagged):
    """The tagged groups of one key as n lists of values, one per input."""
    sides = [[] for _ in range(n)]
    for tag, values in tagged:
        sides[tag].extend(values)
    return sides


def cogroup(rdds, numPartitions=None):
    n = len(rdds)
    return cogroup_tagged(rdds, numPartitions).mapValues(
        lambda tagged: tuple(ResultIterable(side) for side in split_tagged(n, tagged)))
