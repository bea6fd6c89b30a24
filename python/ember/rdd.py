"""RDD: an immutable, partitioned collection computed by the engine.

Transformations build new RDDs lazily; actions run jobs. Narrow Python
transformations fuse into one PipelinedRDD (one engine node, one pass);
key-based aggregations shuffle through the engine (see shuffle.py).
Behaviour, names, signatures and defaults follow PySpark's RDD API.
"""

import copy
import functools
import heapq
import itertools
import math
import operator
import os
import random
import re
import shlex
import subprocess
import sys
import threading
import weakref
from collections import defaultdict, deque
from functools import reduce as _reduce

import cloudpickle

from . import approx, broadcast, errors, external, hadoop_formats, hyperloglog, join, pickle_file
from . import pipeline, sampling, serializers as ser, writables
from .errors import PicklingError, UnsupportedOperationException
from .hashing import portable_hash
from .partial import BoundedFloat  # noqa: F401 (pyspark.rdd's name)
from . import fastpath, shuffle
from .shuffle import Aggregator, Partitioner, RangeBounds
from .statcounter import StatCounter
from .storagelevel import StorageLevel


def _identity(x):
    return x


def _count(iterator):
    """Number of items, iterating in C."""
    counter = itertools.count()
    deque(zip(iterator, counter), maxlen=0)
    return next(counter)


def _count_partition(split, iterator):
    """count()'s partition function (ember/fastpath.py knows it)."""
    return [_count(iterator)]


def _split_second_side(iterator):
    """A pair node's input: the second parent's records (held in a list)
    and an iterator over the first parent's, which follow the section mark."""
    second = list(ser.before_section(iterator))
    return second, iterator


def _cartesian_partition(iterator):
    second, first = _split_second_side(iterator)
    for x in first:
        for y in second:
            yield x, y


def _zip_partition(iterator):
    second, first = _split_second_side(iterator)
    pairs = 0
    for pairs, x in enumerate(first, 1):
        if pairs > len(second):
            break
        yield x, second[pairs - 1]
    if pairs != len(second):
        raise ValueError("Can only zip RDDs with same number of elements in each partition")


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _call_site():
    """Where the user made an RDD, as Spark's creation site reads: "<the
    ember method called> at <user's file>:<line>" (the outermost ember
    frame and the frame that called it)."""
    frame, method = sys._getframe(1), None
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        method, frame = frame.f_code.co_name, frame.f_back
    if frame is None:
        return method or "<unknown>"
    return "%s at %s:%d" % (method, frame.f_code.co_filename, frame.f_lineno)


BROADCAST_COMMAND_BYTES = 1 << 20


class _BroadcastCommand:
    """A pipeline command too large to send with every task: it travels as a
    broadcast, loaded once per worker process."""

    def __init__(self, pickled, command):
        self.pickled = pickled
        self.output = command.output
        self.profile = command.profile
        self.serializer = command.serializer
        self.native = command.native

    @property
    def ops(self):
        return self._command().ops

    def compile(self):
        return self._command().compile()

    def _command(self):
        return cloudpickle.loads(self.pickled.value)


def _pickle_command(command, owner):
    """The pickled command of `owner`'s node — over 1 MiB, a broadcast of it
    that lives as long as `owner` — and the sorted ids of the broadcasts
    its tasks load (the command's own included), which executors fetch."""
    try:
        with broadcast.collect_ids() as used:
            data = cloudpickle.dumps(command, ser.PROTOCOL)
    except Exception as e:
        hint = (" (a closure must not capture objects that cannot be pickled, such as locks, "
                "sockets or open files)" if isinstance(e, TypeError) else "")
        raise PicklingError("Could not serialize the function of this RDD operation: %s: %s%s"
                            % (type(e).__name__, e, hint)) from None
    if len(data) <= BROADCAST_COMMAND_BYTES:
        return data, sorted(used)
    pickled = owner.ctx.broadcast(data)
    weakref.finalize(owner, pickled.destroy).atexit = False
    small = cloudpickle.dumps(_BroadcastCommand(pickled, command), ser.PROTOCOL)
    return small, sorted(used | {pickled.bid})


class RDD:
    """A Resilient Distributed Dataset.

    >>> rdd = sc.parallelize([1, 2, 3, 4], 2)
    >>> rdd.map(lambda x: x * 10).filter(lambda x: x > 10).collect()
    [20, 30, 40]
    """

    # What repr and toDebugString call this kind of RDD: the name of the
    # RDD class a PySpark user sees there.
    _kind = "RDD"

    def __init__(self, ctx, partitioner=None):
        self.ctx = ctx
        self.partitioner = partitioner
        self._name = None
        self._creation_site = _call_site()
        self._id = None
        self.is_cached = False
        self.is_checkpointed = False  # PySpark's: set by checkpoint(), before any job
        self.has_resource_profile = False
        self._resource_profile = None
        self._storage_level = None
        self._unpersist_on_gc = None
        self._nid = None
        self._release_node = None  # gives the engine node back when this object goes
        self._checkpoint_mode = None  # "reliable" or "local" once marked
        self._checkpointed = False
        self._checkpoint_file = None

    # ------------------------------------------------------------- engine
    def _node_id(self):
        """The engine node computing this RDD, built on first use (a
        checkpointed RDD's node reads its checkpoint files)."""
        if self._nid is None:
            self._set_node(self._build_node())
        return self._nid

    def _set_node(self, node):
        """Makes `node` (which the engine just added) this RDD's node, giving
        back the one it replaces (a checkpoint's). ContextCleaner: once this
        object is collected the engine frees the node and whatever only it
        reads (parallelized data, shuffle files), unless a live RDD or a
        running job still needs it; a stopped context ignores it."""
        if self._release_node is not None:
            self._release_node()
        self._nid = node
        self._release_node = weakref.finalize(self, self.ctx._engine.release_node, node)
        self._release_node.atexit = False

    def _build_node(self):
        raise NotImplementedError

    @property
    def context(self):
        return self.ctx

    def id(self):
        if self._id is None:
            self._id = self._node_id()
        return self._id

    def getNumPartitions(self):
        return self.ctx._call(self.ctx._engine.num_partitions, self._node_id())

    def name(self):
        return self._name

    def setName(self, name):
        self._name = name
        return self

    def __reduce__(self):
        # SPARK-5063: an RDD is a driver-side handle; tasks cannot use one.
        raise RuntimeError(
            "An RDD cannot be broadcast or used inside another RDD's action or transformation "
            "(e.g. rdd1.map(lambda x: rdd2.count() * x)): call rdd2's actions on the driver "
            "first; see SPARK-5063")

    def __repr__(self):
        """As Spark shows an RDD: "[name ]Kind[id] at method at file:line".

        >>> sc.parallelize([1, 2], 2).setName("pairs")
        pairs ParallelCollectionRDD[...] at parallelize at ...
        """
        return "%s%s[%d] at %s" % (self._name + " " if self._name else "", self._kind, self.id(),
                                   self._creation_site)

    def toDebugString(self):
        """The lineage as Spark prints it: "(partitions) RDD [storage]", one
        RDD a line; " |  " marks a narrow dependency, "+-(n)" the RDD before
        a shuffle, with what lies before it indented one step further.

        >>> print(sc.parallelize([(1, 2)], 2).reduceByKey(max).toDebugString().decode())
        (2) PythonRDD[...] at reduceByKey at ... []
         |  ShuffledRDD[...] at reduceByKey at ... []
         +-(2) PythonRDD[...] at reduceByKey at ... []
            |  ParallelCollectionRDD[...] at parallelize at ... []
        """
        def describe(rdd):
            level = rdd._storage_level
            return "%r [%s]" % (rdd, level if level is not None else "")

        def partitions(rdd):
            return "(%d)" % rdd.getNumPartitions()

        def child_prefix(prefix, count):
            left = (len(count) - 1) // 2
            return prefix + " " * left + "|" + " " * (len(count) - left)

        count = partitions(self)
        lines = ["%s %s" % (count, describe(self))]
        todo = [(parent, shuffled, child_prefix("", count), i == 0)
                for i, (parent, shuffled) in enumerate(reversed(self._lineage()))]
        while todo:
            rdd, shuffled, prefix, last = todo.pop()
            if shuffled:
                count = partitions(rdd)
                head = re.sub(r"\|\s+$", "", prefix)
                lines.append("%s+-%s %s" % (head, count, describe(rdd)))
                prefix = child_prefix(head + ("  " if last else "| "), count)
            else:
                lines.append(prefix + describe(rdd))
            todo += [(parent, parent_shuffled, prefix, i == 0)
                     for i, (parent, parent_shuffled) in enumerate(reversed(rdd._lineage()))]
        return "\n".join(lines).encode("utf-8")

    def _lineage(self):
        """[(parent RDD, 1 if a shuffle lies between else 0)]; nothing once
        checkpointed."""
        return [] if self._checkpointed else self._lineage_parents()

    def _lineage_parents(self):
        return []

    # ---------------------------------------------------------- persistence
    def cache(self):
        """Keep the partitions in memory once computed (MEMORY_ONLY).

        >>> rdd = sc.parallelize(range(4)).cache()
        >>> rdd.is_cached, rdd.getStorageLevel() == StorageLevel.MEMORY_ONLY
        (True, True)
        """
        return self.persist(StorageLevel.MEMORY_ONLY)

    def persist(self, storageLevel=StorageLevel.MEMORY_ONLY):
        """Keep the partitions in the executors' block stores at
        ``storageLevel`` from the next time they are computed. Partitions
        evicted from memory are recomputed from lineage, or read back from
        disk when the level allows disk. Replication beyond 1 has no second
        executor to go to in local mode.

        >>> rdd = sc.parallelize(range(4)).persist(StorageLevel.DISK_ONLY)
        >>> rdd.persist(StorageLevel.MEMORY_ONLY)
        Traceback (most recent call last):
          ...
        ember.errors.UnsupportedOperationException: Cannot change storage level of an RDD after it was already assigned a level
        """
        if self._storage_level is not None:
            if self._storage_level != storageLevel:
                raise UnsupportedOperationException(
                    "Cannot change storage level of an RDD after it was already assigned a level")
            return self
        node = self._node_id()
        engine = self.ctx._engine
        self.ctx._call(engine.persist, node, storageLevel.useMemory, storageLevel.useDisk,
                       storageLevel.replication)
        # ContextCleaner: the blocks go when this RDD object does.
        self._unpersist_on_gc = weakref.finalize(self, engine.unpersist, node)
        self._unpersist_on_gc.atexit = False
        self._storage_level = storageLevel
        self.is_cached = True
        return self

    def unpersist(self, blocking=False):
        """Stop caching and drop every cached partition.

        >>> rdd = sc.parallelize(range(4)).cache()
        >>> rdd.unpersist().is_cached
        False
        """
        if self._unpersist_on_gc is not None:
            self._unpersist_on_gc()  # runs engine.unpersist once
            self._unpersist_on_gc = None
        self._storage_level = None
        self.is_cached = False
        return self

    def getStorageLevel(self):
        """
        >>> print(sc.parallelize([1]).getStorageLevel())
        Serialized 1x Replicated
        """
        return self._storage_level or StorageLevel(False, False, False, False, 1)

    # ------------------------------------------------------------ resources
    def withResources(self, profile):
        """Ask for `profile`'s resources when computing this RDD. ember
        records the profile and reports it (getResourceProfile); tasks get
        spark.task.cpus cores whatever it asks (docs/status.md)."""
        from .resource import ResourceProfile
        if not isinstance(profile, ResourceProfile):
            raise TypeError("withResources() takes a ResourceProfile, not %s" % type(profile).__name__)
        self.has_resource_profile = True
        self._resource_profile = profile
        return self

    def getResourceProfile(self):
        """The ResourceProfile given to withResources, or None."""
        return self._resource_profile

    def _is_pipelinable(self):
        """Later narrow operations may fuse into this RDD's pipeline: not when
        it is persisted or checkpointed, since its computed partitions are
        what gets stored."""
        return self._storage_level is None and self._checkpoint_mode is None

    # ---------------------------------------------------------- checkpoints
    def checkpoint(self):
        """Save this RDD to files under the context's checkpoint directory
        after the next job that computes it, then read it from there: its
        lineage is forgotten. Persist it first, or it is computed twice."""
        if self.ctx._checkpoint_dir is None:
            raise UnsupportedOperationException(
                "Checkpoint directory has not been set in the SparkContext: call setCheckpointDir")
        self.is_checkpointed = True
        if self._checkpoint_mode is None:
            self._checkpoint_mode = "reliable"

    def localCheckpoint(self):
        """Like checkpoint(), but kept in the executors' block stores
        (MEMORY_AND_DISK unless already persisted) instead of files.

        >>> rdd = sc.parallelize(range(3)).map(lambda x: x + 1)
        >>> rdd.localCheckpoint()
        >>> rdd.sum(), rdd.isCheckpointed(), rdd.isLocallyCheckpointed()
        (6, True, True)
        """
        if self._storage_level is None:
            self.persist(StorageLevel.MEMORY_AND_DISK)
        if self._checkpoint_mode is None:
            self._checkpoint_mode = "local"

    def isCheckpointed(self):
        return self._checkpointed

    def isLocallyCheckpointed(self):
        """Marked for localCheckpoint (as Spark: before a job stored it;
        isCheckpointed says when it has been).

        >>> rdd = sc.range(3).map(lambda x: x)
        >>> rdd.localCheckpoint()
        >>> rdd.isLocallyCheckpointed(), rdd.isCheckpointed()
        (True, False)
        """
        return self._checkpoint_mode == "local"

    def getCheckpointFile(self):
        """The checkpoint's directory once written, else None."""
        return self._checkpoint_file

    def _checkpoint_after_job(self):
        """After a job on this RDD: checkpoint the nearest marked RDDs of its
        lineage that are not checkpointed yet (as Spark, not their marked
        ancestors)."""
        todo, seen = [self], set()
        while todo:
            rdd = todo.pop()
            if id(rdd) in seen or rdd._checkpointed:
                continue
            seen.add(id(rdd))
            if rdd._checkpoint_mode == "local":
                rdd._checkpointed = True  # its blocks were stored by this job
            elif rdd._checkpoint_mode == "reliable":
                rdd._write_checkpoint()
            else:
                todo.extend(parent for parent, _ in rdd._lineage_parents())

    def _write_checkpoint(self):
        directory = "%s/rdd-%d" % (self.ctx._checkpoint_dir, self.id())
        self._checkpointed = True  # the writing job must not checkpoint again
        try:
            files = self.ctx._save_as_frame_files(self, directory)
            self._set_node(self.ctx._call(self.ctx._engine.add_checkpoint, files))
        except BaseException:
            self._checkpointed = False
            raise
        self._checkpoint_file = directory
        self._forget_parents()

    def _forget_parents(self):
        """Drop references to parent RDDs once checkpointed, so they (and
        their shuffle files) can be collected."""

    # ------------------------------------------------------ narrow, Python
    def _pipe(self, kind, f, preservesPartitioning=False):
        return PipelinedRDD(self, (kind, f), preservesPartitioning)

    def map(self, f, preservesPartitioning=False):
        """
        >>> sc.parallelize(["b", "a", "c"]).map(lambda x: (x, 1)).collect()
        [('b', 1), ('a', 1), ('c', 1)]
        """
        return self._pipe(pipeline.MAP, f, preservesPartitioning)

    def flatMap(self, f, preservesPartitioning=False):
        """
        >>> sc.parallelize([2, 3, 4]).flatMap(lambda x: range(1, x)).collect()
        [1, 1, 2, 1, 2, 3]
        """
        return self._pipe(pipeline.FLATMAP, f, preservesPartitioning)

    def filter(self, f):
        """
        >>> sc.parallelize([1, 2, 3, 4, 5]).filter(lambda x: x % 2 == 0).collect()
        [2, 4]
        """
        return self._pipe(pipeline.FILTER, f, True)

    def mapPartitions(self, f, preservesPartitioning=False):
        """
        >>> sc.parallelize([1, 2, 3, 4], 2).mapPartitions(lambda it: [sum(it)]).collect()
        [3, 7]
        """
        return self._pipe(pipeline.PARTITION, lambda _, it: f(it), preservesPartitioning)

    def mapPartitionsWithIndex(self, f, preservesPartitioning=False):
        """
        >>> sc.parallelize([1, 2, 3, 4], 4).mapPartitionsWithIndex(lambda i, it: [i]).sum()
        6
        """
        return self._pipe(pipeline.PARTITION, f, preservesPartitioning)

    def barrier(self):
        """An RDDBarrier: its mapPartitions/mapPartitionsWithIndex run in a
        barrier stage (ember/barrier.py).

        >>> sc.parallelize([1, 2, 3, 4], 2).barrier().mapPartitions(lambda it: [sum(it)]).collect()
        [3, 7]
        """
        from .barrier import RDDBarrier
        return RDDBarrier(self)

    def _is_barrier(self):
        """Whether this RDD is computed in a barrier stage (as PySpark's).

        >>> rdd = sc.parallelize([1, 2], 2)
        >>> rdd._is_barrier(), rdd.barrier().mapPartitions(iter).map(str)._is_barrier()
        (False, True)
        """
        return self.ctx._engine.is_barrier(self._node_id())

    def mapPartitionsWithSplit(self, f, preservesPartitioning=False):
        return self.mapPartitionsWithIndex(f, preservesPartitioning)

    def glom(self):
        """
        >>> sc.parallelize([1, 2, 3, 4], 2).glom().collect()
        [[1, 2], [3, 4]]
        """
        return self.mapPartitions(lambda it: [list(it)])

    def keys(self):
        return self.map(lambda kv: kv[0])

    def values(self):
        return self.map(lambda kv: kv[1])

    def mapValues(self, f):
        """
        >>> sc.parallelize([("a", ["x", "y"]), ("b", ["p"])]).mapValues(len).collect()
        [('a', 2), ('b', 1)]
        """
        return self.map(lambda kv: (kv[0], f(kv[1])), preservesPartitioning=True)

    def flatMapValues(self, f):
        """
        >>> sc.parallelize([("a", ["x", "y"]), ("b", ["p"])]).flatMapValues(lambda v: v).collect()
        [('a', 'x'), ('a', 'y'), ('b', 'p')]
        """
        return self.flatMap(lambda kv: ((kv[0], v) for v in f(kv[1])), preservesPartitioning=True)

    def keyBy(self, f):
        return self.map(lambda x: (f(x), x))

    def zipWithUniqueId(self):
        """
        >>> sc.parallelize(["a", "b", "c", "d", "e"], 3).zipWithUniqueId().collect()
        [('a', 0), ('b', 1), ('c', 4), ('d', 2), ('e', 5)]
        """
        n = self.getNumPartitions()
        return self.mapPartitionsWithIndex(
            lambda k, it: ((x, i * n + k) for i, x in enumerate(it)))

    def zipWithIndex(self):
        """
        >>> sc.parallelize(["a", "b", "c", "d"], 3).zipWithIndex().collect()
        [('a', 0), ('b', 1), ('c', 2), ('d', 3)]
        """
        starts = [0]
        if self.getNumPartitions() > 1:
            counts = self.mapPartitions(lambda it: [_count(it)]).collect()
            for c in counts[:-1]:
                starts.append(starts[-1] + c)
        return self.mapPartitionsWithIndex(
            lambda k, it: ((x, i) for i, x in enumerate(it, starts[k])))

    def sample(self, withReplacement, fraction, seed=None):
        if fraction < 0:
            raise ValueError("Fraction must be nonnegative, got %r" % fraction)
        seed = random.randint(0, 2 ** 63 - 1) if seed is None else seed
        return self.mapPartitionsWithIndex(
            lambda split, it: sampling.sample_partition(split, it, withReplacement, fraction, seed),
            True)

    def randomSplit(self, weights, seed=None):
        total = float(sum(weights))
        if any(w < 0 for w in weights) or total <= 0:
            raise ValueError("Weights must be nonnegative with a positive sum, got %r" % (weights,))
        seed = random.randint(0, 2 ** 63 - 1) if seed is None else seed
        bounds = list(itertools.accumulate([w / total for w in weights], initial=0.0))
        return [self.mapPartitionsWithIndex(
                    lambda split, it, lb=lb, ub=ub: sampling.split_range_partition(split, it, lb, ub, seed),
                    True)
                for lb, ub in zip(bounds, bounds[1:])]

    def pipe(self, command, env=None, checkCode=False):
        """Pipe each partition's records, one per line, through a program
        (run without a shell: the command is split with shlex).

        >>> sc.parallelize(["b", "a"], 1).pipe("sort").collect()
        ['a', 'b']
        """
        argv = shlex.split(command)

        def run(iterator):
            proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

            def feed():
                try:
                    for x in iterator:
                        proc.stdin.write(str(x).encode("utf-8") + b"\n")
                finally:
                    proc.stdin.close()
            writer = threading.Thread(target=feed, daemon=True)
            writer.start()
            for line in proc.stdout:
                yield line.rstrip(b"\n").decode("utf-8")
            writer.join()
            code = proc.wait()
            if checkCode and code:
                raise RuntimeError("Pipe function `%s' exited with error code %d" % (command, code))
        return self.mapPartitions(run)

    # ----------------------------------------------------- narrow, structure
    def union(self, other):
        """
        >>> sc.parallelize([1, 2]).union(sc.parallelize([3])).collect()
        [1, 2, 3]
        """
        return self.ctx.union([self, other])

    def __add__(self, other):
        return self.union(other)

    def coalesce(self, numPartitions, shuffle=False):
        """
        >>> sc.parallelize([1, 2, 3, 4, 5], 3).coalesce(1).glom().collect()
        [[1, 2, 3, 4, 5]]
        """
        if shuffle:
            return self.repartition(numPartitions)
        n = self.getNumPartitions()
        k = max(1, min(int(numPartitions), n)) if n else 0
        groups = [list(range(i * n // k, (i + 1) * n // k)) for i in range(k)]
        node = self.ctx._call(self.ctx._engine.add_coalesce, self._node_id(), groups)
        return SourceRDD(self.ctx, node, [self], kind="CoalescedRDD")

    def repartition(self, numPartitions):
        """Reshuffle into ``numPartitions`` partitions of similar size."""
        def spread(split, iterator):
            rng = random.Random(split)
            for x in iterator:
                yield rng.randrange(numPartitions), x
        keyed = self.mapPartitionsWithIndex(spread)
        return keyed.partitionBy(numPartitions, lambda k: k).values()

    # ------------------------------------------------------------- shuffles
    def _defaultReducePartitions(self, partitions=None):
        """A shuffle's partition count when none is given: spark.default.parallelism
        when set, else `partitions` (by default this RDD's count)."""
        if self.ctx._conf.contains("spark.default.parallelism"):
            return self.ctx.defaultParallelism
        return self.getNumPartitions() if partitions is None else partitions

    def partitionBy(self, numPartitions, partitionFunc=portable_hash):
        """Hash-partition a (k, v) RDD: record goes to partitionFunc(k) % n.

        >>> sorted(sc.parallelize([(1, 'a'), (2, 'b'), (3, 'c')]).partitionBy(2).glom().collect())
        [[(1, 'a'), (3, 'c')], [(2, 'b')]]
        """
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()
        partitioner = Partitioner(numPartitions, partitionFunc)
        if self.partitioner == partitioner:
            return self
        return ShuffledRDD(self, partitioner)

    def combineByKey(self, createCombiner, mergeValue, mergeCombiners, numPartitions=None,
                     partitionFunc=portable_hash):
        """
        >>> sorted(sc.parallelize([("a", 1), ("b", 1), ("a", 2)]).combineByKey(
        ...     lambda v: [v], lambda c, v: c + [v], lambda a, b: a + b).collect())
        [('a', [1, 2]), ('b', [1])]
        """
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()
        agg = Aggregator(createCombiner, mergeValue, mergeCombiners)
        partitioner = Partitioner(numPartitions, partitionFunc)
        if self.partitioner == partitioner:
            return self.mapPartitions(lambda it: shuffle.combine_values(agg, it), True)
        combined = self.mapPartitionsWithIndex(shuffle.CombineLocally(agg), True)
        shuffled = combined.partitionBy(numPartitions, partitionFunc)
        return shuffled.mapPartitions(lambda it: shuffle.merge_combiners(agg, it), True)

    def reduceByKey(self, func, numPartitions=None, partitionFunc=portable_hash):
        """
        >>> from operator import add
        >>> sorted(sc.parallelize([("a", 1), ("b", 1), ("a", 1)]).reduceByKey(add).collect())
        [('a', 2), ('b', 1)]
        """
        return self.combineByKey(_identity, func, func, numPartitions, partitionFunc)

    def foldByKey(self, zeroValue, func, numPartitions=None, partitionFunc=portable_hash):
        """
        >>> from operator import add
        >>> sorted(sc.parallelize([("a", 1), ("b", 1), ("a", 1)]).foldByKey(0, add).collect())
        [('a', 2), ('b', 1)]
        """
        return self.combineByKey(lambda v: func(copy.deepcopy(zeroValue), v), func, func,
                                 numPartitions, partitionFunc)

    def aggregateByKey(self, zeroValue, seqFunc, combFunc, numPartitions=None,
                       partitionFunc=portable_hash):
        """
        >>> sorted(sc.parallelize([("a", 1), ("b", 2), ("a", 3)]).aggregateByKey(
        ...     0, lambda acc, v: acc + v, lambda a, b: a + b).collect())
        [('a', 4), ('b', 2)]
        """
        return self.combineByKey(lambda v: seqFunc(copy.deepcopy(zeroValue), v), seqFunc,
                                 combFunc, numPartitions, partitionFunc)

    def groupByKey(self, numPartitions=None, partitionFunc=portable_hash):
        """
        >>> sorted(sc.parallelize([("a", 1), ("b", 1), ("a", 1)]).groupByKey().mapValues(len).collect())
        [('a', 2), ('b', 1)]
        """
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()
        if self.partitioner == Partitioner(numPartitions, partitionFunc):
            return self.mapPartitions(
                lambda it: shuffle.group_values((kv[0], [kv[1]]) for kv in it), True)
        combined = self.mapPartitions(shuffle.group_locally, True)
        return (combined.partitionBy(numPartitions, partitionFunc)
                .mapPartitions(shuffle.group_values, True))

    def groupBy(self, f, numPartitions=None, partitionFunc=portable_hash):
        """
        >>> sorted((k, sorted(v)) for k, v in sc.parallelize([1, 1, 2, 3, 5, 8]).groupBy(
        ...     lambda x: x % 2).collect())
        [(0, [2, 8]), (1, [1, 1, 3, 5])]
        """
        return self.map(lambda x: (f(x), x)).groupByKey(numPartitions, partitionFunc)

    def distinct(self, numPartitions=None):
        """
        >>> sorted(sc.parallelize([1, 1, 2, 3]).distinct().collect())
        [1, 2, 3]
        """
        return (self.map(lambda x: (x, None))
                .reduceByKey(lambda x, _: x, numPartitions)
                .map(lambda kv: kv[0]))

    # ------------------------------------------------- joins and key sets
    def cogroup(self, other, numPartitions=None):
        """
        >>> x = sc.parallelize([("a", 1), ("b", 4)])
        >>> y = sc.parallelize([("a", 2)])
        >>> [(k, tuple(map(list, v))) for k, v in sorted(x.cogroup(y).collect())]
        [('a', ([1], [2])), ('b', ([4], []))]
        """
        return join.cogroup([self, other], numPartitions)

    def groupWith(self, other, *others):
        """cogroup of any number of RDDs: (k, (values in self, in other, ...))."""
        return join.cogroup([self, other, *others])

    def join(self, other, numPartitions=None):
        """
        >>> x = sc.parallelize([("a", 1), ("b", 4)])
        >>> y = sc.parallelize([("a", 2), ("a", 3)])
        >>> sorted(x.join(y).collect())
        [('a', (1, 2)), ('a', (1, 3))]
        """
        return join.join(self, other, numPartitions)

    def leftOuterJoin(self, other, numPartitions=None):
        """
        >>> x = sc.parallelize([("a", 1), ("b", 4)])
        >>> sorted(x.leftOuterJoin(sc.parallelize([("a", 2)])).collect())
        [('a', (1, 2)), ('b', (4, None))]
        """
        return join.join(self, other, numPartitions, keep_left=True)

    def rightOuterJoin(self, other, numPartitions=None):
        """
        >>> y = sc.parallelize([("a", 1), ("b", 4)])
        >>> sorted(sc.parallelize([("a", 2)]).rightOuterJoin(y).collect())
        [('a', (2, 1)), ('b', (None, 4))]
        """
        return join.join(self, other, numPartitions, keep_right=True)

    def fullOuterJoin(self, other, numPartitions=None):
        """
        >>> x = sc.parallelize([("a", 1), ("b", 4)])
        >>> sorted(x.fullOuterJoin(sc.parallelize([("a", 2), ("c", 8)])).collect())
        [('a', (1, 2)), ('b', (4, None)), ('c', (None, 8))]
        """
        return join.join(self, other, numPartitions, keep_left=True, keep_right=True)

    def subtractByKey(self, other, numPartitions=None):
        """
        >>> x = sc.parallelize([("a", 1), ("b", 4), ("b", 5), ("a", 2)])
        >>> sorted(x.subtractByKey(sc.parallelize([("a", 3), ("c", None)])).collect())
        [('b', 4), ('b', 5)]
        """
        return join.subtract_by_key(self, other, numPartitions)

    def subtract(self, other, numPartitions=None):
        """
        >>> sorted(sc.parallelize([1, 2, 2, 3, 4]).subtract(sc.parallelize([2, 4])).collect())
        [1, 3]
        """
        return join.subtract_by_key(self.map(lambda x: (x, True)),
                                    other.map(lambda x: (x, True)), numPartitions).keys()

    def intersection(self, other):
        """Distinct elements present in both RDDs.

        >>> sorted(sc.parallelize([1, 10, 2, 3, 4, 5, 2]).intersection(
        ...     sc.parallelize([1, 6, 2, 3, 7, 8, 2])).collect())
        [1, 2, 3]
        """
        return join.intersect_keys(self.map(lambda x: (x, None)), other.map(lambda x: (x, None)))

    # ------------------------------------------------------------ ordering
    def sortByKey(self, ascending=True, numPartitions=None, keyfunc=None):
        """Range-partition by sampled key bounds, then sort each partition.

        >>> rdd = sc.parallelize([("c", 3), ("a", 1), ("b", 2), ("d", 4)], 2)
        >>> rdd.sortByKey().glom().collect()
        [[('a', 1), ('b', 2)], [('c', 3), ('d', 4)]]
        >>> rdd.sortByKey(False, 1).keys().collect()
        ['d', 'c', 'b', 'a']
        """
        return self._range_sort(keyfunc, ascending, numPartitions, pairs=True)

    def sortBy(self, keyfunc, ascending=True, numPartitions=None):
        """The records ordered by keyfunc(record). Like PySpark's keyBy,
        sortByKey and values, without the (key, record) pairs: the records
        themselves are shuffled by the range of their key and sorted by it.

        >>> sc.parallelize([("a", 3), ("b", 1), ("c", 2)]).sortBy(lambda x: x[1]).collect()
        [('b', 1), ('c', 2), ('a', 3)]
        """
        return self._range_sort(keyfunc, ascending, numPartitions, pairs=False)

    def _range_sort(self, keyfunc, ascending, numPartitions, pairs):
        """Stable sort by keyfunc of the key of (k, v) pairs (by k when
        keyfunc is None), or of whole records when not `pairs`, into ranges
        of sampled bounds; only pairs keep the range partitioner."""
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()
        if keyfunc is not None and fastpath.is_identity(keyfunc):
            keyfunc = None  # sorting by lambda x: x is sorting by x, without a call per record
        sort_key = shuffle.record_key(keyfunc) if pairs else keyfunc
        sort_partition = functools.partial(shuffle.sort, key=sort_key, reverse=not ascending)
        if numPartitions == 1:
            rdd = self.coalesce(1) if self.getNumPartitions() > 1 else self
            return rdd.mapPartitions(sort_partition, pairs)
        if numPartitions == 0:
            return self  # no partitions, so no records to sort
        bounds = self._range_bounds(numPartitions, sort_key)
        partitioner = Partitioner(numPartitions, RangeBounds(bounds, keyfunc, ascending)) if pairs else None
        ranges = (numPartitions, RangeBounds(bounds, sort_key, ascending).buckets)
        return ShuffledRDD(self, partitioner, ranges).mapPartitions(sort_partition, pairs)

    def _range_bounds(self, numPartitions, sort_key):
        """At most numPartitions - 1 increasing key bounds cutting the keys into
        ranges of similar record counts, from one sampling pass: each
        partition returns its count and a uniform reservoir of its records,
        and a sampled key stands for count / len(sample) records."""
        per_partition = min(10_000, max(20, 60 * numPartitions // max(1, self.getNumPartitions())))
        sketches = self.mapPartitionsWithIndex(lambda split, it: [sampling.reservoir(
            it, per_partition, 1, split)]).collect()
        key = sort_key or _identity
        weighted = sorted(((key(x), n / len(sample)) for n, sample in sketches for x in sample),
                          key=operator.itemgetter(0))
        total = math.fsum(w for _, w in weighted)
        bounds, seen, cut = [], 0.0, 1
        for key, w in weighted:
            seen += w
            if cut < numPartitions and seen >= total * cut / numPartitions:
                if not bounds or bounds[-1] < key:
                    bounds.append(key)
                cut += 1
        return bounds

    def repartitionAndSortWithinPartitions(self, numPartitions=None, partitionFunc=portable_hash,
                                           ascending=True, keyfunc=None):
        """
        >>> rdd = sc.parallelize([(0, 5), (3, 8), (2, 6), (0, 8), (3, 8), (1, 3)])
        >>> rdd.repartitionAndSortWithinPartitions(2, lambda x: x % 2, True).glom().collect()
        [[(0, 5), (0, 8), (2, 6)], [(1, 3), (3, 8), (3, 8)]]
        """
        sort_partition = functools.partial(shuffle.sort_by_key, keyfunc=keyfunc, ascending=ascending)
        return self.partitionBy(numPartitions, partitionFunc).mapPartitions(sort_partition, True)

    # -------------------------------------------------------------- pairing
    def cartesian(self, other):
        """Every (a, b) with a in self, b in other; partition i * n + j pairs
        self's partition i with other's partition j.

        >>> sorted(sc.parallelize([1, 2]).cartesian(sc.parallelize(["x", "y"])).collect())
        [(1, 'x'), (1, 'y'), (2, 'x'), (2, 'y')]
        """
        node = self.ctx._call(self.ctx._engine.add_pair, self._node_id(), other._node_id(), True)
        pairs = SourceRDD(self.ctx, node, [self, other], kind="CartesianRDD")
        return pairs.mapPartitions(_cartesian_partition)

    def zip(self, other):
        """Pair the i-th records of both RDDs, which must have the same
        number of partitions and of records in each.

        >>> x = sc.parallelize(range(0, 5), 2)
        >>> x.zip(x.map(lambda v: v * 10)).collect()
        [(0, 0), (1, 10), (2, 20), (3, 30), (4, 40)]
        """
        node = self.ctx._call(self.ctx._engine.add_pair, self._node_id(), other._node_id(), False)
        pairs = SourceRDD(self.ctx, node, [self, other], kind="ZippedPartitionsRDD2")
        return pairs.mapPartitions(_zip_partition)

    # ------------------------------------------------------- keyed lookups
    def lookup(self, key):
        """The values for ``key``; only the key's partition is scanned when
        the RDD has a partitioner.

        >>> rdd = sc.parallelize([("a", 1), ("b", 2), ("a", 3)]).partitionBy(4)
        >>> sorted(rdd.lookup("a"))
        [1, 3]
        """
        values = self.filter(lambda kv: kv[0] == key).values()
        if self.partitioner is not None:
            return self.ctx.runJob(values, lambda it: it, [self.partitioner(key)])
        return values.collect()

    def sampleByKey(self, withReplacement, fractions, seed=None):
        """Sample each key with its own fraction (``fractions[key]``).

        >>> rdd = sc.parallelize([("a", i) for i in range(100)] + [("b", i) for i in range(100)])
        >>> s = rdd.sampleByKey(False, {"a": 0.0, "b": 1.0}, 2).countByKey()
        >>> dict(s)
        {'b': 100}
        """
        for key, fraction in fractions.items():
            if fraction < 0:
                raise ValueError("Negative fraction %r for key %r" % (fraction, key))
        seed = random.randint(0, 2 ** 63 - 1) if seed is None else seed
        return self.mapPartitionsWithIndex(
            lambda split, it: sampling.sample_by_key_partition(split, it, withReplacement,
                                                               fractions, seed), True)

    def countApprox(self, timeout, confidence=0.95):
        """count() within `timeout` milliseconds: exact if the job finishes
        by then, else estimated from the partitions done (ember/approx.py).

        >>> sc.parallelize(range(1000), 10).countApprox(60000, 1.0)
        1000
        """
        return int(self.mapPartitions(lambda it: [float(_count(it))]).sumApprox(timeout, confidence))

    def sumApprox(self, timeout, confidence=0.95):
        """sum() within `timeout` milliseconds, as a BoundedFloat: exact
        (low == high, confidence 1.0) if the job finishes by then, else an
        estimate whose bounds hold with `confidence`.

        >>> r = sc.parallelize(range(1000), 10).sumApprox(60000)
        >>> r, r.low, r.high, r.confidence
        (499500.0, 499500.0, 499500.0, 1.0)
        """
        approx.check_arguments(timeout, confidence)
        totals, n = approx.run_partial(self.mapPartitions(lambda it: [sum(it)]), timeout)
        return approx.estimate_sum(list(totals.values()), n, confidence)

    def meanApprox(self, timeout, confidence=0.95):
        """mean() within `timeout` milliseconds, as a BoundedFloat (see sumApprox).

        >>> sc.parallelize(range(1000), 10).meanApprox(60000)
        499.5
        """
        approx.check_arguments(timeout, confidence)

        def count_and_sum(iterator):
            count = total = 0
            for count, x in enumerate(iterator, 1):
                total += x
            return [(count, total)]
        parts, n = approx.run_partial(self.mapPartitions(count_and_sum), timeout)
        return approx.estimate_mean(list(parts.values()), n, confidence)

    def countApproxDistinct(self, relativeSD=0.05):
        """Approximate number of distinct elements (HyperLogLog).

        >>> n = sc.parallelize(range(1000)).map(str).countApproxDistinct()
        >>> 900 < n < 1100
        True
        """
        p = hyperloglog.precision_for(relativeSD)
        registers = self.mapPartitions(lambda it: [hyperloglog.sketch(it, p)]).fold(
            bytearray(1 << p), hyperloglog.merge)
        return hyperloglog.estimate(registers)

    def reduceByKeyLocally(self, func):
        """Merge the values of each key with ``func``; return a dict.

        >>> from operator import add
        >>> sorted(sc.parallelize([("a", 1), ("b", 1), ("a", 1)]).reduceByKeyLocally(add).items())
        [('a', 2), ('b', 1)]
        """
        def reduce_partition(iterator):
            merged = {}
            external.merge_into(merged, iterator, _identity, func)
            yield merged

        def merge(a, b):
            external.merge_into(a, b.items(), _identity, func)
            return a
        return self.mapPartitions(reduce_partition).reduce(merge)

    # -------------------------------------------------------------- actions
    def collect(self):
        return list(self.ctx._run(self))

    def collectAsMap(self):
        """
        >>> sc.parallelize([(1, 2), (3, 4)]).collectAsMap()[3]
        4
        """
        return dict(self.collect())

    def count(self):
        """
        >>> sc.parallelize([2, 3, 4]).count()
        3
        """
        return self.mapPartitionsWithIndex(_count_partition).sum()

    def sum(self):
        """
        >>> sc.parallelize([1.0, 2.0, 3.0]).sum()
        6.0
        """
        return self.mapPartitions(lambda it: [sum(it)]).fold(0, operator.add)

    def reduce(self, f):
        """
        >>> from operator import add
        >>> sc.parallelize([1, 2, 3, 4, 5]).reduce(add)
        15
        """
        def reduce_partition(iterator):
            it = iter(iterator)
            for first in it:
                yield _reduce(f, it, first)
                return
        values = self.mapPartitions(reduce_partition).collect()
        if not values:
            raise ValueError("Can not reduce() empty RDD")
        return _reduce(f, values)

    def treeReduce(self, f, depth=2):
        """
        >>> from operator import add
        >>> sc.parallelize([-5, -4, -3, -2, -1, 1, 2, 3, 4], 10).treeReduce(add, 2)
        -5
        """
        if depth < 1:
            raise ValueError("Depth cannot be smaller than 1 but got %d." % depth)
        # (value, is_empty) pairs: a sentinel object would not survive pickling.
        def op(x, y):
            if x[1]:
                return y
            if y[1]:
                return x
            return f(x[0], y[0]), False
        value, empty = self.map(lambda x: (x, False)).treeAggregate((None, True), op, op, depth)
        if empty:
            raise ValueError("Can not reduce() empty RDD")
        return value

    def fold(self, zeroValue, op):
        """
        >>> from operator import add
        >>> sc.parallelize([1, 2, 3, 4, 5]).fold(0, add)
        15
        """
        return self.aggregate(zeroValue, op, op)

    def aggregate(self, zeroValue, seqOp, combOp):
        """
        >>> sc.parallelize([1, 2, 3, 4]).aggregate((0, 0),
        ...     lambda acc, x: (acc[0] + x, acc[1] + 1), lambda a, b: (a[0] + b[0], a[1] + b[1]))
        (10, 4)
        """
        partial = self.mapPartitions(lambda it: [_reduce(seqOp, it, zeroValue)])
        return _reduce(combOp, partial.collect(), zeroValue)

    def treeAggregate(self, zeroValue, seqOp, combOp, depth=2):
        """
        >>> sc.parallelize(range(10), 6).treeAggregate(0, lambda a, x: a + x, lambda a, b: a + b)
        45
        """
        if depth < 1:
            raise ValueError("Depth cannot be smaller than 1 but got %d." % depth)
        n = self.getNumPartitions()
        if n == 0:
            return zeroValue

        partial = self.mapPartitions(lambda it: [_reduce(seqOp, it, zeroValue)])
        scale = max(int(math.ceil(math.pow(n, 1.0 / depth))), 2)
        while n > scale + n / scale:
            n //= scale
            target = n
            partial = (partial.mapPartitionsWithIndex(
                           lambda i, it, t=target: ((i % t, x) for x in it))
                       .reduceByKey(combOp, target).values())
        return _reduce(combOp, partial.collect(), zeroValue)

    def max(self, key=None):
        """
        >>> sc.parallelize([1.0, 5.0, 43.0, 10.0]).max()
        43.0
        """
        return self.reduce(max if key is None else (lambda a, b: max(a, b, key=key)))

    def min(self, key=None):
        """
        >>> sc.parallelize([2.0, 5.0, 43.0, 10.0]).min()
        2.0
        """
        return self.reduce(min if key is None else (lambda a, b: min(a, b, key=key)))

    def stats(self):
        """
        >>> sc.parallelize([1, 2, 3]).stats()
        (count: 3, mean: 2.0, stdev: 0.816496580927726, max: 3.0, min: 1.0)
        """
        return self.mapPartitions(lambda it: [StatCounter(it)]).reduce(
            lambda a, b: a.mergeStats(b))

    def mean(self):
        return self.stats().mean()

    def variance(self):
        return self.stats().variance()

    def stdev(self):
        return self.stats().stdev()

    def sampleVariance(self):
        return self.stats().sampleVariance()

    def sampleStdev(self):
        return self.stats().sampleStdev()

    def histogram(self, buckets):
        """
        >>> sc.parallelize(range(51)).histogram(2)
        ([0, 25, 50], [25, 26])
        >>> sc.parallelize([1, 2, 1, 3]).histogram([0, 2, 4])
        ([0, 2, 4], [2, 2])
        >>> sc.parallelize([1, 2, 1, 3]).histogram((0, 2, 4))
        ((0, 2, 4), [2, 2])
        """
        from .histogram import bucket_bounds, count_partition
        buckets = bucket_bounds(self, buckets)
        counts = self.mapPartitions(lambda it: [count_partition(it, buckets)]).reduce(
            lambda a, b: [x + y for x, y in zip(a, b)])
        return buckets, counts

    def countByValue(self):
        """
        >>> sorted(sc.parallelize([1, 2, 1, 2, 2], 2).countByValue().items())
        [(1, 2), (2, 3)]
        """
        def count_partition(iterator):
            counts = defaultdict(int)
            for x in iterator:
                counts[x] += 1
            yield counts

        def merge(a, b):
            for k, v in b.items():
                a[k] += v
            return a
        return self.mapPartitions(count_partition).reduce(merge) if self.getNumPartitions() else defaultdict(int)

    def countByKey(self):
        """
        >>> sorted(sc.parallelize([("a", 1), ("b", 1), ("a", 1)]).countByKey().items())
        [('a', 2), ('b', 1)]
        """
        return self.map(lambda kv: kv[0]).countByValue()

    def isEmpty(self):
        """
        >>> sc.parallelize([]).isEmpty()
        True
        """
        return self.getNumPartitions() == 0 or len(self.take(1)) == 0

    def first(self):
        """
        >>> sc.parallelize([2, 3, 4]).first()
        2
        """
        rs = self.take(1)
        if rs:
            return rs[0]
        raise ValueError("RDD is empty")

    def take(self, num):
        """The first ``num`` records, scanning 1 partition, then more (up to 4x
        the partitions scanned so far) until enough are found.

        >>> sc.parallelize([2, 3, 4, 5, 6], 3).take(2)
        [2, 3]
        """
        items = []
        total = self.getNumPartitions()
        scanned = 0
        while len(items) < num and scanned < total:
            to_try = 1
            if scanned > 0:
                if not items:
                    to_try = scanned * 4
                else:
                    to_try = int(1.5 * num * scanned / len(items)) - scanned
                    to_try = min(max(to_try, 1), scanned * 4)
            left = num - len(items)
            parts = range(scanned, min(scanned + to_try, total))
            items += self.ctx.runJob(self, lambda it, left=left: itertools.islice(it, left), parts)
            scanned += to_try
        return items[:num]

    def takeOrdered(self, num, key=None):
        """
        >>> sc.parallelize([10, 1, 2, 9, 3, 4, 5, 6, 7]).takeOrdered(6)
        [1, 2, 3, 4, 5, 6]
        """
        if num <= 0:
            return []
        return self.mapPartitions(lambda it: [heapq.nsmallest(num, it, key)]).fold(
            [], lambda a, b: heapq.nsmallest(num, a + b, key))

    def top(self, num, key=None):
        """
        >>> sc.parallelize([10, 4, 2, 12, 3]).top(3)
        [12, 10, 4]
        """
        if num <= 0:
            return []
        return self.mapPartitions(lambda it: [heapq.nlargest(num, it, key)]).fold(
            [], lambda a, b: heapq.nlargest(num, a + b, key))

    def takeSample(self, withReplacement, num, seed=None):
        """
        >>> len(sc.parallelize(range(0, 10)).takeSample(False, 5, 2))
        5
        >>> sc.parallelize(range(0, 10)).takeSample(False, sys.maxsize)
        Traceback (most recent call last):
          ...
        ValueError: Sample size cannot be greater than 9223372006484770808.
        """
        # As Spark: a sample this large could not be drawn (10 standard
        # deviations of headroom below the largest size), whatever the RDD.
        max_sample_size = sys.maxsize - int(10.0 * math.sqrt(sys.maxsize))
        if num < 0:
            raise ValueError("Sample size cannot be negative.")
        if num > max_sample_size:
            raise ValueError("Sample size cannot be greater than %d." % max_sample_size)
        if num == 0 or self.getNumPartitions() == 0:
            return []
        total = self.count()
        if total == 0:
            return []
        rng = random.Random(seed)
        if not withReplacement and num >= total:
            samples = self.collect()
            rng.shuffle(samples)
            return samples
        fraction = sampling.compute_fraction_for_sample_size(num, total, withReplacement)
        samples = self.sample(withReplacement, fraction, rng.randint(0, sys.maxsize)).collect()
        while len(samples) < num:
            samples = self.sample(withReplacement, fraction, rng.randint(0, sys.maxsize)).collect()
        rng.shuffle(samples)
        return samples[:num]

    def foreach(self, f):
        def run(iterator):
            for x in iterator:
                f(x)
            return iter(())
        self.mapPartitions(run).count()

    def foreachPartition(self, f):
        def run(iterator):
            f(iterator)
            return iter(())
        self.mapPartitions(run).count()

    def toLocalIterator(self, prefetchPartitions=False):
        """Records partition by partition, one job per partition.

        >>> list(sc.parallelize(range(5), 2).toLocalIterator())
        [0, 1, 2, 3, 4]
        """
        for p in range(self.getNumPartitions()):
            yield from self.ctx._run(self, [p])

    def saveAsTextFile(self, path, compressionCodecClass=None):
        """Write str(record) lines as part-NNNNN files under ``path`` (which
        must not exist), through a commit protocol: a failed job leaves no
        output, a finished one leaves _SUCCESS."""
        self.ctx._save_as_text_file(PipelinedRDD(self, None, output="lines"), path,
                                    compressionCodecClass or "")

    def saveAsSequenceFile(self, path, compressionCodecClass=None):
        """Write (key, value) records as Hadoop SequenceFiles, converted to
        Writables as PySpark converts them (ember/writables.py); the classes
        are those of the first record. With a codec, records are compressed
        (RECORD, Hadoop's default compression type)."""
        codec, kind = hadoop_formats.compression(None, compressionCodecClass)
        self._save_sequence(path, None, None, codec, kind)

    def saveAsPickleFile(self, path, batchSize=10):
        """Write records as PySpark's pickle files (SequenceFiles of pickled
        batches of `batchSize` records; 0 sizes batches by bytes), readable
        by pickleFile in ember and in PySpark."""
        batch = int(batchSize)
        pairs = self.mapPartitions(lambda it: pickle_file.encode_partition(it, batch))
        pairs._save_writables(path, writables.NULL, writables.BYTES, "", "NONE")

    def saveAsHadoopFile(self, path, outputFormatClass, keyClass=None, valueClass=None,
                         keyConverter=None, valueConverter=None, conf=None,
                         compressionCodecClass=None):
        """Write (key, value) records with an old-API Hadoop output format
        named by class: SequenceFileOutputFormat or TextOutputFormat
        ("key<TAB>value" lines). Compression from the codec given or the conf
        (mapreduce.output.fileoutputformat.compress[.codec|.type]); BLOCK
        compression's block size from io.seqfile.compress.blocksize."""
        hadoop_formats.check_no_converters(keyConverter, valueConverter)
        kind = hadoop_formats.output_kind(outputFormatClass)
        conf = hadoop_formats.job_conf(self.ctx._conf, conf)
        codec, compression = hadoop_formats.compression(conf, compressionCodecClass)
        if kind == "text":
            separator = hadoop_formats.setting(conf, hadoop_formats.TEXT_SEPARATOR, "\t")
            self.map(hadoop_formats.text_line(separator)).saveAsTextFile(path, codec or None)
        else:
            self._save_sequence(path, keyClass, valueClass, codec, compression,
                                hadoop_formats.sequence_block_size(conf))

    def saveAsNewAPIHadoopFile(self, path, outputFormatClass, keyClass=None, valueClass=None,
                               keyConverter=None, valueConverter=None, conf=None):
        """As saveAsHadoopFile, for the new-API (mapreduce) output format names."""
        self.saveAsHadoopFile(path, outputFormatClass, keyClass, valueClass, keyConverter,
                              valueConverter, conf)

    def saveAsHadoopDataset(self, conf, keyConverter=None, valueConverter=None):
        """As saveAsHadoopFile, everything read from the Hadoop conf dict:
        output directory, output format, key and value classes, compression."""
        hf = hadoop_formats
        path = hf.setting(conf, hf.OUTPUT_DIR)
        fmt = hf.setting(conf, hf.OUTPUT_FORMAT)
        if not path or not fmt:
            raise errors.EmberError("the conf must name the output directory (%s) and format (%s)"
                                    % (" or ".join(hf.OUTPUT_DIR), " or ".join(hf.OUTPUT_FORMAT)))
        key_class = hf.setting(conf, ("mapreduce.job.output.key.class", "mapred.output.key.class"))
        value_class = hf.setting(conf, ("mapreduce.job.output.value.class", "mapred.output.value.class"))
        self.saveAsHadoopFile(path, fmt, key_class, value_class, keyConverter, valueConverter, conf)

    def saveAsNewAPIHadoopDataset(self, conf, keyConverter=None, valueConverter=None):
        """As saveAsHadoopDataset, for the new-API (mapreduce) names."""
        self.saveAsHadoopDataset(conf, keyConverter, valueConverter)

    def _save_sequence(self, path, key_class, value_class, codec, compression, block_size=0):
        """SequenceFiles of the classes given, else of the first record's
        (NullWritable for an empty RDD)."""
        if not key_class or not value_class:
            first = self.take(1)
            if first and not (isinstance(first[0], (tuple, list)) and len(first[0]) == 2):
                raise writables.WritableError("saveAsSequenceFile needs (key, value) records, got %r"
                                              % (first[0],))
            k, v = first[0] if first else (None, None)
            key_class = key_class or writables.encode(k)[0]
            value_class = value_class or writables.encode(v)[0]
        self._save_writables(path, key_class, value_class, codec, compression, block_size)

    def _save_writables(self, path, key_class, value_class, codec, compression, block_size=0):
        pairs = PipelinedRDD(self, None, output=("writables", key_class, value_class))
        self.ctx._save_as_sequence_file(pairs, path, key_class, value_class, codec, compression, block_size)


class SourceRDD(RDD):
    """An RDD that is an engine node made by the context (parallelize,
    textFile, union...) or a structural node (coalesce). `kind` names it
    as Spark's RDD class of the same role ("UnionRDD"...); `name` is its
    initial name() (a file reader's path, as in Spark)."""

    def __init__(self, ctx, node, parents=(), partitioner=None, kind="RDD", name=None):
        super().__init__(ctx, partitioner)
        self._set_node(node)
        self._parents = list(parents)
        self._kind = kind
        self._name = name

    def _lineage_parents(self):
        return [(p, 0) for p in self._parents]

    def _forget_parents(self):
        self._parents = []


def _fuses(prev):
    """Whether what follows `prev` joins its pipeline instead of reading its
    node: it is a pipeline of pickled records, neither persisted nor
    checkpointed."""
    return isinstance(prev, PipelinedRDD) and prev._output == "pickle" and prev._is_pipelinable()


class PipelinedRDD(RDD):
    """Consecutive narrow Python operations fused into one engine node.

    Each PipelinedRDD links to its predecessor and adds one op; the op list
    is flattened iteratively when the node is built, so long chains neither
    copy lists quadratically nor recurse.
    """

    _kind = "PythonRDD"

    def __init__(self, prev, op, preservesPartitioning=False, output="pickle", barrier=False):
        super().__init__(prev.ctx, prev.partitioner if preservesPartitioning else None)
        if _fuses(prev):
            self._prev_pipeline, self._source = prev, prev._source
            barrier = barrier or prev._barrier
        else:
            self._prev_pipeline, self._source = None, prev
        self._op = op
        self._output = output
        self._barrier = barrier  # the pipeline holds a barrier().mapPartitions*

    def _ops(self):
        ops, rdd = [], self
        while rdd is not None:
            if rdd._op is not None:
                ops.append(rdd._op)
            rdd = rdd._prev_pipeline
        ops.reverse()
        return ops

    def getNumPartitions(self):
        # As PySpark's: a pipeline not built yet asks its source (it keeps
        # the source's partitions), so take() or a partitioner's default
        # does not build a node -- and give an RDD id -- it never runs.
        if self._nid is None and self._source is not None:
            return self._source.getNumPartitions()
        return super().getNumPartitions()

    def _command(self, output):
        ops = self._ops()
        native = fastpath.plan(ops) if self.ctx._fast_paths else None
        return pipeline.Command(ops, output, self.ctx._new_profile(), self.ctx._serializer_tag, native)

    def _build_node(self):
        command = self._command(self._output)
        node = self.ctx._call(self.ctx._engine.add_python, self._source._node_id(),
                              *_pickle_command(command, self), self._barrier)
        self.ctx._profile_node(node, command)
        return node

    def _lineage_parents(self):
        return [(self._source, 0)]

    def _forget_parents(self):
        self._source = self._prev_pipeline = self._op = None


class ShuffledRDD(RDD):
    """The output of a hash shuffle: (k, v) records, partitioned by key.

    The map side runs the parent's fused pipeline and buckets its records
    with the partitioner; the engine writes and reads the shuffle files and
    deletes them when this object is garbage-collected. A range shuffle
    (sortByKey, sortBy) gives `ranges`: its number of buckets and the
    function bucketing a chunk of records (RangeBounds.buckets), and the
    partitioner of its result, None when the records are not pairs.
    """

    _kind = "ShuffledRDD"

    def __init__(self, prev, partitioner, ranges=None):
        super().__init__(prev.ctx, partitioner)
        self._prev = prev
        if ranges is None:
            self._out = ("buckets", partitioner.numPartitions, partitioner.partitionFunc)
        else:
            self._out = ("ranges",) + ranges

    def _build_node(self):
        out = self._out
        prev = self._prev
        barrier = _fuses(prev) and prev._barrier
        if _fuses(prev):
            source, command = prev._source, prev._command(out)
        else:
            source, command = prev, pipeline.Command([], out, self.ctx._new_profile())
        engine = self.ctx._engine
        map_node = self.ctx._call(engine.add_python, source._node_id(), *_pickle_command(command, self),
                                  barrier)
        self.ctx._profile_node(map_node, command)
        try:
            return self.ctx._call(engine.add_shuffled, map_node, out[1])
        finally:  # the shuffled node holds its map side from now on
            engine.release_node(map_node)

    def _lineage_parents(self):
        return [(self._prev, 1)]

    def _forget_parents(self):
        self._prev = None
