"""RDD.histogram: bucket boundaries and per-partition counting.

Buckets are [b0, b1), [b1, b2), ..., [bn-1, bn] (the last one closed), as
PySpark documents. An integer asks for that many evenly spaced buckets
between the RDD's min and max; a list gives the boundaries, which must be
sorted, distinct and at least two.
"""

import bisect


def bucket_bounds(rdd, buckets):
    """The sorted boundaries for RDD.histogram's `buckets` argument."""
    if isinstance(buckets, int):
        if buckets < 1:
            raise ValueError("number of buckets must be >= 1")

        def minmax(a, b):
            return min(a[0], b[0]), max(a[1], b[1])
        try:
            lo, hi = rdd.map(lambda x: (x, x)).reduce(minmax)
        except ValueError as e:
            if "empty" in str(e):
                raise ValueError("can not generate buckets from empty RDD") from None
            raise
        if lo != lo or hi != hi or lo in (float("inf"), float("-inf")) \
                or hi in (float("inf"), float("-inf")):
            raise ValueError("Can not generate buckets with NaN or infinite values")
        if lo == hi:
            return [lo, hi]
        inc = (hi - lo) / buckets
        if isinstance(lo, int) and isinstance(hi, int) and inc * buckets == hi - lo:
            inc = int(inc)
        bounds = [lo + i * inc for i in range(buckets)] + [hi]
        return bounds
    bounds = list(buckets)
    if len(bounds) < 2:
        raise ValueError("buckets should have more than one value")
    if any(b != b for b in bounds):
        raise ValueError("can not have None or NaN in buckets")
    if sorted(bounds) != bounds or len(set(bounds)) != len(bounds):
        raise ValueError("buckets should be sorted and distinct")
    return buckets  # as given: PySpark hands a tuple back as a tuple


def count_partition(iterator, buckets):
    counts = [0] * (len(buckets) - 1)
    lo, hi = buckets[0], buckets[-1]
    last = len(counts) - 1
    for x in iterator:
        if x is None or x != x or x < lo or x > hi:
            continue
        counts[min(bisect.bisect_right(buckets, x) - 1, last)] += 1
    return counts
