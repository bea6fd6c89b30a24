"""Key-based aggregation, grouping and sorting on each side of a shuffle.

``combine_locally`` and ``group_locally`` run before the shuffle (map-side
combine) and hand partial results downstream whenever the worker's memory
budget is reached; ``merge_combiners``, ``group_values``, ``hash_join`` and
``sort`` run after it and spill to disk above the budget (see external.py). The budget is
``spark.python.worker.memory`` (the executor passes it to workers as
EMBER_PYTHON_WORKER_MEMORY) and spill files go to the executor's scratch
directory (EMBER_SPILL_DIR), which is removed with the executor.
"""

import bisect
import functools
import operator
import os
import tempfile

from . import external
from .hashing import portable_hash
from .serializers import before_section


class Aggregator:
    def __init__(self, createCombiner, mergeValue, mergeCombiners):
        self.createCombiner = createCombiner
        self.mergeValue = mergeValue
        self.mergeCombiners = mergeCombiners


class Partitioner:
    """Which partition a key goes to: partitionFunc(key) % numPartitions.
    Two partitioners are equal when both parts are, so an RDD already
    partitioned the same way is not shuffled again."""

    def __init__(self, numPartitions, partitionFunc=portable_hash):
        self.numPartitions = numPartitions
        self.partitionFunc = partitionFunc

    def __eq__(self, other):
        return (isinstance(other, Partitioner) and self.numPartitions == other.numPartitions
                and self.partitionFunc == other.partitionFunc)

    def __hash__(self):
        return hash((self.numPartitions, id(self.partitionFunc)))

    def __call__(self, key):
        return self.partitionFunc(key) % self.numPartitions


class RangeBounds:
    """sortByKey's partitionFunc: the index of the key range holding
    keyfunc(key) (the key itself when keyfunc is None), counted from the
    top when descending. buckets() gives it for many keys at once, by
    nested maps that run in C but for keyfunc (a range shuffle's map side)."""

    def __init__(self, bounds, keyfunc, ascending):
        self.bounds = bounds
        self.keyfunc = keyfunc
        self.ascending = ascending
        self._from_top = None if ascending else list(range(len(bounds), -1, -1))

    def __call__(self, key):
        return next(self.buckets((key,)))

    def buckets(self, keys):
        if self.keyfunc is not None:
            keys = map(self.keyfunc, keys)
        found = map(functools.partial(bisect.bisect_left, self.bounds), keys)
        return found if self.ascending else map(self._from_top.__getitem__, found)


def _budget():
    return int(os.environ.get("EMBER_PYTHON_WORKER_MEMORY", 512 << 20))


def _spill_dir():
    return os.environ.get("EMBER_SPILL_DIR") or tempfile.gettempdir()


class CombineLocally:
    """combineByKey's map side as a partition function (split, iterator);
    a class so that ember/fastpath.py can see its aggregator."""

    def __init__(self, agg):
        self.agg = agg

    def __call__(self, split, iterator):
        return combine_locally(self.agg, iterator)


def combine_locally(agg, iterator):
    """(k, v) records -> (k, combiner), at most one per key between flushes."""
    return external.combine_map_side(agg, iterator, _budget())


def group_locally(iterator):
    """(k, v) records -> (k, [values]) records, a bounded chunk of one key each."""
    return external.group_map_side(iterator, _budget())


def combine_values(agg, iterator):
    """(k, v) records of a partition already holding all of each key's
    records -> (k, combiner), one per key."""
    merger = external.ExternalMerger(agg, _budget(), _spill_dir())
    merger.merge_values(iterator)
    return merger.items()


def merge_combiners(agg, iterator):
    """(k, combiner) records from every map task -> one combiner per key."""
    merger = external.ExternalMerger(agg, _budget(), _spill_dir())
    merger.merge_combiners(iterator)
    return merger.items()


def group_values(iterator):
    """(k, list of values) from every map task -> (k, all values of k)."""
    return external.group_by_key(iterator, _budget(), _spill_dir())


def hash_join(iterator, func):
    """A zipped partition (the table side's (k, w) records, a section mark,
    the probe side's (k, v) records) -> func(table, probe records), table
    being {k: [w, ...]} (see external.HashJoin)."""
    iterator = iter(iterator)
    joiner = external.HashJoin(_budget(), _spill_dir())
    joiner.build(before_section(iterator))
    return joiner.probe(iterator, func)


def sort(iterator, key=None, reverse=False):
    """The records in sorted order (stable, like sorted())."""
    return external.ExternalSorter(_budget(), _spill_dir()).sorted(iterator, key=key, reverse=reverse)


def record_key(keyfunc):
    """The sort key of a (k, v) record: keyfunc(k), or k when keyfunc is None."""
    return operator.itemgetter(0) if keyfunc is None else (lambda kv: keyfunc(kv[0]))


def sort_by_key(iterator, keyfunc=None, ascending=True):
    """(k, v) records ordered by keyfunc(k), or by k when keyfunc is None."""
    return sort(iterator, key=record_key(keyfunc), reverse=not ascending)
