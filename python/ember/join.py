"""Joins, cogroup and key-set operations, all built on one primitive.

``cogroup_tagged`` groups each input RDD's values by key on the map side
and tags each group (not each value) with the input's position, unions
the tagged RDDs (partitioner-aware: inputs already partitioned the same
way are not shuffled again) and merges the groups by key, giving
``(k, [(tag, [v, ...]), ...])``. Every operation here is a per-key
function of those tagged groups, applied with flatMapValues so the
partitioner is kept.
"""

import itertools

from . import shuffle
from .resultiterable import ResultIterable


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


class _Pairs:
    """Per key: the (v, w) pairs of a join; an unmatched side pairs with
    None when that side is kept (outer joins)."""

    def __init__(self, keep_left, keep_right):
        self.keep_left = keep_left
        self.keep_right = keep_right

    def __call__(self, tagged):
        left, right = split_tagged(2, tagged)
        if not right and self.keep_left:
            right = [None]
        if not left and self.keep_right:
            left = [None]
        return itertools.product(left, right)


def join(a, b, numPartitions, keep_left=False, keep_right=False):
    return cogroup_tagged([a, b], numPartitions).flatMapValues(_Pairs(keep_left, keep_right))


def cogroup(rdds, numPartitions=None):
    n = len(rdds)
    return cogroup_tagged(rdds, numPartitions).mapValues(
        lambda tagged: tuple(ResultIterable(side) for side in split_tagged(n, tagged)))


def subtract_by_key(a, b, numPartitions=None):
    """(k, v) of a whose key is not in b."""
    def left_if_unmatched(tagged):
        left, right = split_tagged(2, tagged)
        return () if right else left
    return cogroup_tagged([a, b], numPartitions).flatMapValues(left_if_unmatched)


def intersect_keys(a, b, numPartitions=None):
    """The keys present in both (k, v) RDDs, once each."""
    def in_both(kv):
        tags = {tag for tag, _ in kv[1]}  # a side's groups are never empty
        return len(tags) == 2
    return cogroup_tagged([a, b], numPartitions).filter(in_both).keys()
