"""countApprox / sumApprox / meanApprox: exact when the job finishes within
the timeout; otherwise an estimate from the finished partitions, the rest
cancelled. The partial case is made certain by a partition whose task
waits for a file the test writes only after the action returned."""

import ast
import doctest
import io
import math
import os
import time

import pytest

from ember.approx import _t_quantile, estimate_mean, estimate_sum
from ember.partial import BoundedFloat
from ember.rdd import BoundedFloat as RDDBoundedFloat
from polling import wait_for
from reference import pyspark_file


def test_pyspark_examples_pass_against_ember(sc):
    """The examples of PySpark's RDD.countApprox/sumApprox/meanApprox docstrings."""
    tree = ast.parse(pyspark_file("core/rdd.py").read_text())
    methods = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    runner = doctest.DocTestRunner()
    out = io.StringIO()
    for name in ("countApprox", "sumApprox", "meanApprox"):
        examples = doctest.DocTestParser().get_examples(ast.get_docstring(methods[name]))
        assert examples, name
        runner.run(doctest.DocTest(examples, {"sc": sc}, name, None, 0, None), out=out.write)
    assert runner.failures == 0, out.getvalue()


def test_fast_jobs_give_exact_results(sc):
    rdd = sc.parallelize(range(1000), 10)
    count = rdd.countApprox(60000, 1.0)
    assert count == 1000 and type(count) is int
    for result, exact in [(rdd.sumApprox(60000), 499500.0), (rdd.meanApprox(60000, 0.5), 499.5)]:
        assert isinstance(result, BoundedFloat)
        assert (result, result.low, result.high, result.confidence) == (exact, exact, exact, 1.0)
    empty = sc.parallelize([], 2)
    assert empty.countApprox(60000) == 0
    assert empty.sumApprox(60000) == 0.0
    assert math.isnan(empty.meanApprox(60000))


def _blocked_last_partition(sc, flag):
    """4 partitions holding the same values; the last one's task waits
    until `flag` exists."""
    def block(index, iterator):
        if index == 3:
            while not os.path.exists(flag):
                time.sleep(0.02)
        return iterator
    return sc.parallelize([x % 10 for x in range(400)], 4).mapPartitionsWithIndex(block)


@pytest.mark.parametrize("action, truth", [("countApprox", 400), ("sumApprox", 1800.0),
                                           ("meanApprox", 4.5)])
def test_a_partition_still_running_at_the_timeout_gives_an_estimate(sc, tmp_path, action, truth):
    flag = str(tmp_path / "go")
    rdd = _blocked_last_partition(sc, flag)
    sc.parallelize(range(4), 4).count()  # workers up: the three free partitions take milliseconds
    try:
        result = getattr(rdd, action)(5000, 0.9)
        # The blocked partition cannot have finished. The others take
        # milliseconds, but the test does not count on it: with 1 to 3 of
        # them done the estimate is the truth (each partition holds the same
        # values), with none it is the empty estimate.
        if action != "countApprox":
            assert result.confidence in (0.9, 0.0)  # not 1.0: not exact
        if action == "meanApprox" and math.isnan(result):
            pass  # none finished
        elif result != 0:
            assert result == truth
            if action != "countApprox":
                assert result.confidence == 0.9 and result.low <= truth <= result.high
        # ember cancels the jobs still running
        wait_for(lambda: not sc.statusTracker().getActiveJobsIds(), "the blocked job to be cancelled")
    finally:
        open(flag, "w").close()
    assert getattr(rdd, action)(60000, 0.9) == truth  # now exact


def test_a_failing_partition_fails_the_action(sc):
    def fail(index, iterator):
        if index == 1:
            raise ZeroDivisionError("partition one")
        return iterator
    with pytest.raises(Exception, match="partition one"):
        sc.parallelize(range(10), 2).mapPartitionsWithIndex(fail).sumApprox(60000)


def test_bad_arguments_are_named(sc):
    rdd = sc.parallelize([1])
    with pytest.raises(ValueError, match="timeout must be .* got -1"):
        rdd.sumApprox(-1)
    with pytest.raises(ValueError, match="confidence must be between 0.0 and 1.0, got 1.5"):
        rdd.meanApprox(1000, 1.5)


def test_bounded_float_is_pysparks():
    b = BoundedFloat(100.0, 0.95, 95.0, 105.0)
    assert BoundedFloat is RDDBoundedFloat
    assert (b, b.confidence, b.low, b.high) == (100.0, 0.95, 95.0, 105.0)
    assert isinstance(b, float) and b + 1 == 101.0
    import pickle
    c = pickle.loads(pickle.dumps(b))
    assert (c, c.confidence, c.low, c.high) == (100.0, 0.95, 95.0, 105.0)


def test_student_t_factors():
    # Two-sided factors from a t table.
    for df, confidence, factor in [(1, 0.95, 12.706), (2, 0.95, 4.303), (10, 0.95, 2.228),
                                   (30, 0.99, 2.750), (1000, 0.95, 1.962)]:
        assert _t_quantile(df, confidence) == pytest.approx(factor, abs=1e-3)
    assert _t_quantile(3, 1.0) == math.inf


def test_sum_estimate_from_some_partitions():
    # 3 of 4 partitions: mean total 20, sample variance 100.
    r = estimate_sum([10, 20, 30], 4, 0.95)
    half = 4.30265 * 4 * math.sqrt(100 / 3 * (1 - 3 / 4))
    assert (r, r.confidence) == (80.0, 0.95)
    assert (r.low, r.high) == (pytest.approx(80 - half, rel=1e-5), pytest.approx(80 + half, rel=1e-5))
    one = estimate_sum([7], 3, 0.95)
    assert (one, one.low, one.high) == (21.0, -math.inf, math.inf)
    none = estimate_sum([], 3, 0.95)
    assert (none, none.confidence, none.low, none.high) == (0.0, 0.0, -math.inf, math.inf)
    assert estimate_sum([1, 2], 2, 0.95).confidence == 1.0


def test_mean_estimate_from_some_partitions():
    # (count, sum) of 3 of 5 partitions; ratio estimate 60/30 = 2.
    r = estimate_mean([(10, 10), (10, 20), (10, 30)], 5, 0.9)
    residual_variance = ((10 - 20) ** 2 + 0 + (30 - 20) ** 2) / 2
    half = _t_quantile(2, 0.9) * math.sqrt(residual_variance / 3 * (1 - 3 / 5)) / 10
    assert (r, r.confidence) == (2.0, 0.9)
    assert (r.low, r.high) == (pytest.approx(2 - half), pytest.approx(2 + half))
    exact = estimate_mean([(2, 3), (2, 5)], 2, 0.9)
    assert (exact, exact.low, exact.high, exact.confidence) == (2.0, 2.0, 2.0, 1.0)
    assert math.isnan(estimate_mean([], 2, 0.9))
