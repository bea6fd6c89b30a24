"""Approximate actions: countApprox, sumApprox and meanApprox's job and estimates.

``run_partial`` computes a one-record-per-partition RDD (each partition's
(count, sum)) as one single-partition job per partition, run side by side
(the engine shares their parent shuffle stages), and returns the values of
the partitions that finished within the timeout. When the timeout passes
first, the jobs still queued or running are cancelled (Spark lets them
run to the end; ember frees their slots) and the estimate is made from
the finished partitions. A partition's job that fails before then fails
the action, as the job would.

The estimators treat the finished partitions as a sample of the RDD's
partitions: a sum is estimated as N times the mean partition sum, a mean
as the ratio of the sampled sums to the sampled counts; the bounds are a
Student-t interval (k - 1 degrees of freedom for k finished partitions)
with the finite-population correction, so they shrink to the exact value
as k reaches N. All N finished: the exact value, confidence 1.0 and
low == high. One finished: unbounded. None finished: 0 with confidence
0.0 and unbounded (a mean: NaN). countApprox, as in PySpark, is the int
of sumApprox over the partitions' counts.
"""

import concurrent.futures
import math
import uuid

from .partial import BoundedFloat

_MAX_PARALLEL_JOBS = 128


def check_arguments(timeout, confidence):
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout < 0:
        raise ValueError("timeout must be a non-negative number of milliseconds, got %r" % (timeout,))
    if not isinstance(confidence, (int, float)) or not 0.0 <= confidence <= 1.0:
        raise ValueError("confidence must be between 0.0 and 1.0, got %r" % (confidence,))


def run_partial(rdd, timeout):
    """({partition: its single record}, number of partitions) of the
    partitions of `rdd` that finished within `timeout` milliseconds."""
    ctx = rdd.ctx
    n = rdd.getNumPartitions()
    rdd._node_id()  # built once here, not by the threads at once
    tag = "ember-approx-" + uuid.uuid4().hex
    properties = dict(ctx._properties())
    properties["spark.job.tags"] = ",".join(sorted(ctx.getJobTags() | {tag}))

    def run(partition):
        for key, value in properties.items():  # this thread's jobs: the caller's properties and the tag
            ctx.setLocalProperty(key, value)
        (record,) = ctx._run(rdd, [partition])
        return record

    if n == 0:
        return {}, 0
    pool = concurrent.futures.ThreadPoolExecutor(min(n, _MAX_PARALLEL_JOBS), "ember-approx")
    futures = {pool.submit(run, p): p for p in range(n)}
    done = set()
    try:
        done, _ = concurrent.futures.wait(futures, timeout / 1000.0,
                                          concurrent.futures.FIRST_EXCEPTION)
        for future in done:
            if future.exception() is not None:
                raise future.exception()
        return {futures[f]: f.result() for f in done}, n
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        if len(done) < n:
            ctx.cancelJobsWithTag(tag)
            for future in futures:  # a cancelled job's error is expected, not reported
                future.add_done_callback(_ignore_cancellation)


def _ignore_cancellation(future):
    if not future.cancelled():
        future.exception()


def estimate_sum(totals, n, confidence):
    """The sum over n partitions, from the totals of the k finished ones."""
    k, seen = len(totals), float(sum(totals))
    if k == n:
        return BoundedFloat(seen, 1.0, seen, seen)
    if k == 0:
        return BoundedFloat(0.0, 0.0, -math.inf, math.inf)
    estimate = n * seen / k
    if k == 1:
        return BoundedFloat(estimate, confidence, -math.inf, math.inf)
    mean = seen / k
    variance = sum((t - mean) ** 2 for t in totals) / (k - 1)
    stderr = n * math.sqrt(variance / k * (1 - k / n))
    half = _t_quantile(k - 1, confidence) * stderr
    return BoundedFloat(estimate, confidence, estimate - half, estimate + half)


def estimate_mean(parts, n, confidence):
    """The mean over n partitions, from (count, sum) of the k finished ones."""
    k = len(parts)
    count = sum(c for c, _ in parts)
    total = float(sum(s for _, s in parts))
    if k == 0 or count == 0:
        if k == n:
            return BoundedFloat(math.nan, 1.0, math.nan, math.nan)
        return BoundedFloat(math.nan, 0.0, -math.inf, math.inf)
    mean = total / count
    if k == n:
        return BoundedFloat(mean, 1.0, mean, mean)
    if k == 1:
        return BoundedFloat(mean, confidence, -math.inf, math.inf)
    # The ratio estimator's variance, linearised: residuals of each
    # partition's sum against its count times the mean.
    residuals = sum((s - mean * c) ** 2 for c, s in parts) / (k - 1)
    per_partition = count / k
    stderr = math.sqrt(residuals / k * (1 - k / n)) / per_partition
    half = _t_quantile(k - 1, confidence) * stderr
    return BoundedFloat(mean, confidence, mean - half, mean + half)


def _t_quantile(df, confidence):
    """The two-sided Student-t factor: P(|T| <= q) = confidence, T with df
    degrees of freedom; found by bisection on the distribution function."""
    if confidence >= 1.0:
        return math.inf
    target = (1.0 + confidence) / 2.0
    low, high = 0.0, 1.0
    while _t_cdf(high, df) < target:
        high *= 2.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if _t_cdf(mid, df) < target:
            low = mid
        else:
            high = mid
        if high - low <= 1e-12 * high:
            break
    return (low + high) / 2.0


def _t_cdf(t, df):
    """P(T <= t) for t >= 0."""
    x = df / (df + t * t)
    return 1.0 - 0.5 * _regularized_beta(x, df / 2.0, 0.5)


def _regularized_beta(x, a, b):
    """I_x(a, b), by its continued fraction (modified Lentz), using the
    symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where it converges slowly."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    if x > (a + 1.0) / (a + b + 2.0):
        return 1.0 - _regularized_beta(1.0 - x, b, a)
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 500):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return math.exp(log_front) * result / a
