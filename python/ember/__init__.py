"""ember: Spark's RDD engine in C++ with a PySpark-compatible Python API.

Replace ``pyspark`` by ``ember`` in an import and an RDD program runs:

    from ember import SparkContext
    sc = SparkContext("local[2]", "wordcount")
"""

import importlib
import os

# A directory holding another build's _core, found before the package's own:
# the sanitizer runs' instrumented one (docs/testing.md). Every process that
# imports ember (driver, workers, test subprocesses) inherits the choice.
if os.environ.get("EMBER_CORE_DIR"):
    __path__.insert(0, os.environ["EMBER_CORE_DIR"])

# Each public name (``__all__``) and the module that defines it, imported on
# first use (PEP 562), so a worker process, which needs none of the
# driver's modules (the context, the web UI, the profiler), starts without
# them: `import ember.worker` costs its own imports only.
_HOMES = {
    "Accumulator": "accumulators", "AccumulatorParam": "accumulators",
    "BarrierTaskContext": "barrier", "BarrierTaskInfo": "barrier", "RDDBarrier": "barrier",
    "Broadcast": "broadcast", "SparkConf": "conf", "SparkContext": "context", "__version__": "context",
    "EmberError": "errors", "PythonException": "errors", "SparkFiles": "files",
    "portable_hash": "hashing", "BasicProfiler": "profiler", "Profiler": "profiler", "RDD": "rdd",
    "ResultIterable": "resultiterable", "CPickleSerializer": "serializers",
    "MarshalSerializer": "serializers", "StatCounter": "statcounter", "SparkJobInfo": "status",
    "SparkStageInfo": "status", "StatusTracker": "status", "StorageLevel": "storagelevel",
    "TaskContext": "taskcontext", "InheritableThread": "util", "inheritable_thread_target": "util",
}


def __getattr__(name):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError("module 'ember' has no attribute %r" % name)
    value = getattr(importlib.import_module("." + home, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_HOMES))


__all__ = sorted(_HOMES)

# The names of pyspark.__all__ (SQL aside) that ember serves; `import
# ember.pyspark_compat` makes `from pyspark import X` give them.
PYSPARK_ALL = [
    "SparkConf", "SparkContext", "SparkFiles", "RDD", "StorageLevel", "Broadcast", "Accumulator",
    "AccumulatorParam", "MarshalSerializer", "CPickleSerializer", "StatusTracker", "SparkJobInfo",
    "SparkStageInfo", "Profiler", "BasicProfiler", "TaskContext", "RDDBarrier", "BarrierTaskContext",
    "BarrierTaskInfo", "InheritableThread", "inheritable_thread_target", "__version__",
]
