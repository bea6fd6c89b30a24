"""Python profiling of tasks (spark.python.profile=true), as in PySpark's
``pyspark.profiler``.

While profiling is on, each Python node gets a new profiler of the
context's ``profiler_cls`` (BasicProfiler by default) inside its pickled
command; a worker runs the node's task as ``profiler.profile(run)``.
BasicProfiler runs it under cProfile and adds the pstats.Stats to an
accumulator, so they reach the driver with the task's other accumulator
updates. The driver's ProfilerCollector keeps (node id, profiler) pairs;
``sc.show_profiles()`` / ``sc.dump_profiles(path)`` call each profiler's
show(id) / dump(id, path), so a subclass overriding them is what runs. At
interpreter exit the profiles not shown yet are shown (with
``spark.python.profile.dump`` set, they are dumped there when the context
stops instead).

UDFBasicProfiler is here for code that names it; ember has no SQL UDFs to
profile. PySpark's MemoryProfiler (SQL UDFs, needs memory_profiler) is not.
"""

import atexit
import cProfile
import os
import pstats

from .accumulators import AccumulatorParam


class PStatsParam(AccumulatorParam):
    """Merges pstats.Stats (None is the empty value)."""

    @staticmethod
    def zero(value):
        return None

    @staticmethod
    def addInPlace(value1, value2):
        if value1 is None:
            return value2
        if value2 is not None:
            value1.add(value2)
        return value1


class Profiler:
    """What a profiler class given as ``SparkContext(profiler_cls=...)``
    defines: profile(func, *args, **kwargs) runs func and returns its result,
    stats(), show(id), dump(id, path). A new one is made per profiled RDD
    on the driver, with the context, and shipped to the tasks."""

    def __init__(self, ctx):
        pass

    def profile(self, func, *args, **kwargs):
        """Run ``func(*args, **kwargs)`` profiled; return its result."""
        raise NotImplementedError

    def stats(self):
        """The collected statistics."""
        raise NotImplementedError

    def show(self, id):
        """Print the statistics of RDD `id` to stdout."""
        raise NotImplementedError

    def dump(self, id, path):
        """Write the statistics of RDD `id` under directory `path`."""
        raise NotImplementedError


class BasicProfiler(Profiler):
    """cProfile statistics of every task, merged in an accumulator."""

    _KIND = "RDD"
    _FILE_PREFIX = "rdd"

    def __init__(self, ctx):
        super().__init__(ctx)
        self._accumulator = ctx.accumulator(None, PStatsParam)

    def profile(self, func, *args, **kwargs):
        profile = cProfile.Profile()
        try:
            return profile.runcall(func, *args, **kwargs)
        finally:
            stats = pstats.Stats(profile)
            stats.stream = None  # a file object does not pickle
            stats.strip_dirs()
            self._accumulator.add(stats)

    def stats(self):
        return self._accumulator.value

    def show(self, id):
        stats = self.stats()
        if stats:
            print("=" * 60)
            print("Profile of %s<id=%d>" % (self._KIND, id))
            print("=" * 60)
            stats.sort_stats("time", "cumulative").print_stats()

    def dump(self, id, path):
        stats = self.stats()
        if stats:
            os.makedirs(path, exist_ok=True)
            stats.dump_stats(os.path.join(path, "%s_%d.pstats" % (self._FILE_PREFIX, id)))


class UDFBasicProfiler(BasicProfiler):
    """BasicProfiler naming what it profiled a UDF (udf_<id>.pstats)."""

    _KIND = "UDF"
    _FILE_PREFIX = "udf"


class ProfilerCollector:
    """The driver's profilers, one per profiled RDD, in creation order:
    ``profilers`` holds [id, profiler, shown] entries."""

    def __init__(self, profiler_cls, udf_profiler_cls=UDFBasicProfiler, memory_profiler_cls=None,
                 dump_path=None):
        for name, cls in (("profiler_cls", profiler_cls), ("udf_profiler_cls", udf_profiler_cls)):
            if not (isinstance(cls, type) and issubclass(cls, Profiler)):
                raise TypeError("%s must be a subclass of ember.profiler.Profiler, got %r" % (name, cls))
        self.profiler_cls = profiler_cls
        self.udf_profiler_cls = udf_profiler_cls
        self.memory_profiler_cls = memory_profiler_cls
        self.profile_dump_path = dump_path
        self.profilers = []

    def new_profiler(self, ctx):
        return self.profiler_cls(ctx)

    def new_udf_profiler(self, ctx):
        return self.udf_profiler_cls(ctx)

    def add_profiler(self, id, profiler):
        if not self.profilers and not self.profile_dump_path:
            atexit.register(self.show_profiles)
        self.profilers.append([id, profiler, False])

    def dump_profiles(self, path):
        """Dump every profile under `path`; they are then forgotten."""
        for id, profiler, _ in self.profilers:
            profiler.dump(id, path)
        self.profilers = []

    def show_profiles(self):
        """Print the profiles not shown before."""
        for entry in self.profilers:
            id, profiler, shown = entry
            if not shown:
                profiler.show(id)
                entry[2] = True
