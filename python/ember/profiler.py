"""Python profiling of tasks (spark.python.profile=true), as in PySpark.

Each Python node built while profiling is on carries a profile
accumulator; a worker runs the node's task under cProfile and adds the
statistics to it, so they reach the driver with the task's other
accumulator updates. ``show_profiles()`` prints them per RDD,
``dump_profiles(path)`` writes ``rdd_<id>.pstats`` files that pstats reads;
with ``spark.python.profile.dump`` set they are dumped there at exit.
"""

import cProfile
import os
import pstats

from .accumulators import AccumulatorParam, new_accumulator


class _StatsParam(AccumulatorParam):
    """Accumulates cProfile statistics (the dict pstats calls ``stats``)."""

    def zero(self, value):
        return {}

    def addInPlace(self, value1, value2):
        for func, stat in value2.items():
            if func in value1:
                value1[func] = pstats.add_func_stats(value1[func], stat)
            else:
                value1[func] = stat
        return value1


class _Loaded:
    """What pstats.Stats accepts in place of a Profile: .stats, create_stats()."""

    def __init__(self, stats):
        self.stats = stats

    def create_stats(self):
        pass


def new_profile_accumulator():
    return new_accumulator({}, _StatsParam())


def run_profiled(accumulator, fn):
    """fn() under cProfile; its statistics are added to `accumulator`."""
    profile = cProfile.Profile()
    profile.enable()
    try:
        return fn()
    finally:
        profile.disable()
        profile.create_stats()
        accumulator.add(profile.stats)


class ProfileCollector:
    """The driver's profiles: (RDD id, accumulator) in creation order."""

    def __init__(self, dump_path=None):
        self.profiles = []
        self.dump_path = dump_path

    def add(self, rdd_id, accumulator):
        self.profiles.append((rdd_id, accumulator))

    def _stats(self):
        for rdd_id, acc in self.profiles:
            if acc.value:
                yield rdd_id, pstats.Stats(_Loaded(acc.value))

    def show(self):
        for rdd_id, stats in self._stats():
            print("=" * 60)
            print("Profile of RDD<id=%d>" % rdd_id)
            print("=" * 60)
            stats.sort_stats("time", "cumulative").print_stats()

    def dump(self, path):
        os.makedirs(path, exist_ok=True)
        for rdd_id, stats in self._stats():
            stats.dump_stats(os.path.join(path, "rdd_%d.pstats" % rdd_id))
