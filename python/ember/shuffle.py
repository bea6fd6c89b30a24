"""Key-based aggregation on each side of a shuffle.

``combine_locally`` runs before the shuffle (map-side combine) and
``merge_combiners`` after it; both keep one combiner per key in a dict.
(Spilling to disk above spark.python.worker.memory is not implemented yet:
a partition's distinct keys must fit in a worker's memory.)
"""

from .hashing import portable_hash

_MISSING = object()


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


def _merge(items, first, merge):
    combiners = {}
    get = combiners.get
    for k, v in items:
        c = get(k, _MISSING)
        combiners[k] = first(v) if c is _MISSING else merge(c, v)
    return iter(combiners.items())


def combine_locally(agg, iterator):
    """(k, v) records -> (k, combiner) with one combiner per key."""
    return _merge(iterator, agg.createCombiner, agg.mergeValue)


def merge_combiners(agg, iterator):
    """(k, combiner) records from every map task -> one combiner per key."""
    return _merge(iterator, lambda c: c, agg.mergeCombiners)
