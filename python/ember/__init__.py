"""ember: Spark's RDD engine in C++ with a PySpark-compatible Python API.

Replace ``pyspark`` by ``ember`` in an import and an RDD program runs:

    from ember import SparkContext
    sc = SparkContext("local[2]", "wordcount")
"""

from .accumulators import Accumulator, AccumulatorParam
from .barrier import BarrierTaskContext, BarrierTaskInfo, RDDBarrier
from .broadcast import Broadcast
from .conf import SparkConf
from .context import SparkContext, __version__
from .errors import EmberError, PythonException
from .files import SparkFiles
from .hashing import portable_hash
from .profiler import BasicProfiler, Profiler
from .rdd import RDD
from .resultiterable import ResultIterable
from .serializers import CPickleSerializer, MarshalSerializer
from .statcounter import StatCounter
from .status import SparkJobInfo, SparkStageInfo, StatusTracker
from .storagelevel import StorageLevel
from .taskcontext import TaskContext
from .util import InheritableThread, inheritable_thread_target

__all__ = [
    "Accumulator", "AccumulatorParam", "BarrierTaskContext", "BarrierTaskInfo", "BasicProfiler",
    "Broadcast", "CPickleSerializer", "EmberError", "InheritableThread", "MarshalSerializer",
    "Profiler", "PythonException", "RDD", "RDDBarrier", "ResultIterable", "SparkConf",
    "SparkContext", "SparkFiles", "SparkJobInfo", "SparkStageInfo", "StatCounter", "StatusTracker",
    "StorageLevel", "TaskContext", "inheritable_thread_target", "portable_hash", "__version__",
]

# The names of pyspark.__all__ (SQL aside) that ember serves; `import
# ember.pyspark_compat` makes `from pyspark import X` give them.
PYSPARK_ALL = [
    "SparkConf", "SparkContext", "SparkFiles", "RDD", "StorageLevel", "Broadcast", "Accumulator",
    "AccumulatorParam", "MarshalSerializer", "CPickleSerializer", "StatusTracker", "SparkJobInfo",
    "SparkStageInfo", "Profiler", "BasicProfiler", "TaskContext", "RDDBarrier", "BarrierTaskContext",
    "BarrierTaskInfo", "InheritableThread", "inheritable_thread_target", "__version__",
]
