"""Profilers (ember.profiler as ``pyspark.profiler``): SparkContext(profiler_cls=...)
with spark.python.profile=true; show_profiles/dump_profiles go through the
profiler class, a user's subclass included. Profiler classes defined in a
test function travel to the workers by value, as a user's __main__ ones do."""

import ast
import contextlib
import doctest
import io
import os
import pstats

import pytest

from ember.profiler import BasicProfiler, Profiler, ProfilerCollector, PStatsParam, UDFBasicProfiler
from reference import pyspark_file

PROFILE = {"spark.python.profile": "true"}


def test_pyspark_profiler_example_passes_against_ember(context_with):
    """The example of PySpark's Profiler docstring, with ember's imports and
    under the test's master, printing PySpark's RDD ids: a pipeline that
    take() only asked for its partitions gets no id."""
    tree = ast.parse(pyspark_file("profiler.py").read_text())
    [docstring] = [ast.get_docstring(n) for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Profiler"]
    examples = doctest.DocTestParser().get_examples(docstring)
    for example in examples:
        example.source = example.source.replace("from pyspark import", "from ember import")
    assert any("My custom profiles for RDD:1\nMy custom profiles for RDD:3\n" == e.want for e in examples)

    def spark_context(master, app_name, conf=None, **kwargs):
        return context_with(dict(conf.getAll()), **kwargs)
    globs = {"SparkContext": spark_context, "__name__": "profiler_example"}
    examples = [e for e in examples if "import SparkConf, SparkContext" not in e.source]
    examples.insert(0, doctest.Example("from ember import SparkConf\n", ""))
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out = io.StringIO()
    runner.run(doctest.DocTest(examples, globs, "pyspark.profiler", None, 0, None), out=out.write)
    assert runner.failures == 0, out.getvalue()


def test_a_subclass_shows_dumps_and_profiles_its_own_way(context_with, tmp_path):
    class CountingProfiler(BasicProfiler):
        """Counts the tasks it profiled; shows and dumps its own text."""

        def __init__(self, ctx):
            super().__init__(ctx)
            self.tasks = ctx.accumulator(0)

        def profile(self, func, *args, **kwargs):
            self.tasks.add(1)
            return super().profile(func, *args, **kwargs)

        def show(self, id):
            print("tasks of RDD %d: %d" % (id, self.tasks.value))

        def dump(self, id, path):
            with open(os.path.join(path, "tasks_%d.txt" % id), "w") as f:
                f.write(str(self.tasks.value))

    sc = context_with(PROFILE, profiler_cls=CountingProfiler)
    rdd = sc.parallelize(range(100), 4).map(lambda x: x * 2)
    assert rdd.sum() == 9900
    assert isinstance(sc.profiler_collector, ProfilerCollector)
    [(rdd_id, profiler, shown)] = sc.profiler_collector.profilers
    assert isinstance(profiler, CountingProfiler) and not shown
    assert isinstance(profiler.stats(), pstats.Stats)  # BasicProfiler's statistics still gathered
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        sc.show_profiles()
        sc.show_profiles()  # a profile is shown once
    assert out.getvalue() == "tasks of RDD %d: 4\n" % rdd_id
    sc.dump_profiles(str(tmp_path))
    assert os.listdir(tmp_path) == ["tasks_%d.txt" % rdd_id]
    assert (tmp_path / ("tasks_%d.txt" % rdd_id)).read_text() == "4"


def test_basic_profiler_shows_and_dumps_merged_cprofile_stats(context_with, tmp_path, capsys):
    sc = context_with(PROFILE)
    assert sc.profiler_collector.profiler_cls is BasicProfiler

    def square(x):
        return x * x
    assert sc.parallelize(range(300), 3).map(square).count() == 300
    [(rdd_id, profiler, _)] = sc.profiler_collector.profilers
    calls = [stat[1] for func, stat in profiler.stats().stats.items() if func[2] == "square"]
    assert calls == [300]  # the three tasks' statistics, merged
    sc.show_profiles()
    shown = capsys.readouterr().out
    assert "Profile of RDD<id=%d>" % rdd_id in shown and "square" in shown
    sc.dump_profiles(str(tmp_path))
    dumped = pstats.Stats(str(tmp_path / ("rdd_%d.pstats" % rdd_id)))
    assert [s[1] for f, s in dumped.stats.items() if f[2] == "square"] == [300]


def test_profiler_names_and_bad_classes(context_with):
    assert issubclass(BasicProfiler, Profiler) and issubclass(UDFBasicProfiler, BasicProfiler)
    assert PStatsParam.zero(None) is None
    with pytest.raises(NotImplementedError):
        Profiler(None).profile(len, [])
    with pytest.raises(TypeError, match="profiler_cls must be a subclass of ember.profiler.Profiler"):
        context_with(PROFILE, profiler_cls=dict)
    sc = context_with({}, profiler_cls=BasicProfiler)  # without spark.python.profile: no profiling
    assert sc.profiler_collector is None
    with pytest.raises(RuntimeError, match="spark.python.profile"):
        sc.dump_profiles("/nonexistent")
