"""Per-partition random sampling for sample, randomSplit and takeSample.

Each partition seeds its own generator from (seed, partition index), so a
sample is the same every time the partition is computed — a retried task
or a re-run job sees the same records.
"""

import itertools
import math
import random


def _rng(seed, split):
    return random.Random((seed * 1000003) ^ split)


def _poisson(rng, mean):
    """Knuth's method for small means, normal approximation for large."""
    if mean > 30:
        return max(0, int(round(rng.gauss(mean, math.sqrt(mean)))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def sample_partition(split, iterator, withReplacement, fraction, seed):
    rng = _rng(seed, split)
    if withReplacement:
        for x in iterator:
            for _ in range(_poisson(rng, fraction)):
                yield x
    else:
        for x in iterator:
            if rng.random() < fraction:
                yield x


def split_range_partition(split, iterator, lb, ub, seed):
    """Records whose draw falls in [lb, ub): the same draws for every split
    of one randomSplit, so the pieces are disjoint and cover the RDD."""
    rng = _rng(seed, split)
    for x in iterator:
        r = rng.random()
        if lb <= r < ub:
            yield x


def compute_fraction_for_sample_size(num, total, withReplacement):
    """A sampling fraction that yields at least `num` of `total` records
    with high probability (so takeSample rarely needs a second pass)."""
    fraction = float(num) / total
    if withReplacement:
        return fraction + (9.0 if num < 12 else 5.0) * math.sqrt(fraction / total)
    delta = 0.00005
    gamma = -math.log(delta) / total
    return min(1.0, fraction + gamma + math.sqrt(gamma * gamma + 2 * gamma * fraction))


def sample_by_key_partition(split, iterator, withReplacement, fractions, seed):
    """sampleByKey: each (k, v) kept with its key's fraction (a Poisson
    number of copies with replacement)."""
    rng = _rng(seed, split)
    for kv in iterator:
        fraction = fractions[kv[0]]
        if withReplacement:
            for _ in range(_poisson(rng, fraction)):
                yield kv
        elif rng.random() < fraction:
            yield kv


def reservoir(iterator, size, seed, split):
    """(number of records, a uniform sample of at most `size` of them).

    Li's Algorithm L: the gaps between replaced records are drawn directly
    and skipped at C speed, so a partition of n records costs
    O(size * log(n / size)) random draws rather than n."""
    rng = _rng(seed, split)
    counter = itertools.count()
    records = itertools.compress(iterator, counter)  # counts what it consumes
    next(counter)  # compress drops records whose count is 0: start at 1
    sample = list(itertools.islice(records, size))
    if len(sample) < size or size == 0:
        return next(counter) - 1, sample
    w = math.exp(math.log(rng.random()) / size)
    while True:
        gap = int(math.log(rng.random()) / math.log1p(-w)) if w < 1.0 else 0
        x = next(itertools.islice(records, gap, None), _END)
        if x is _END:
            return next(counter) - 1, sample
        sample[rng.randrange(size)] = x
        w *= math.exp(math.log(rng.random()) / size)


_END = object()
