"""ember: Spark's RDD engine in C++ with a PySpark-compatible Python API.

Replace ``pyspark`` by ``ember`` in an import and an RDD program runs:

    from ember import SparkContext
    sc = SparkContext("local[2]", "wordcount")
"""

from .accumulators import Accumulator, AccumulatorParam
from .broadcast import Broadcast
from .conf import SparkConf
from .context import SparkContext, __version__
from .errors import EmberError, PythonException
from .files import SparkFiles
from .hashing import portable_hash
from .rdd import RDD
from .resultiterable import ResultIterable
from .statcounter import StatCounter
from .status import SparkJobInfo, SparkStageInfo, StatusTracker
from .storagelevel import StorageLevel
from .taskcontext import TaskContext
from .util import InheritableThread, inheritable_thread_target

__all__ = [
    "Accumulator", "AccumulatorParam", "Broadcast", "EmberError", "PythonException", "RDD",
    "ResultIterable", "SparkConf", "SparkContext", "SparkFiles", "StatCounter", "StorageLevel",
    "TaskContext", "portable_hash", "__version__",
    "InheritableThread", "inheritable_thread_target", "SparkJobInfo", "SparkStageInfo", "StatusTracker",
]
