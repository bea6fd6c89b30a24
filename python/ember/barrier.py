"""Barrier execution mode, as PySpark's: ``rdd.barrier().mapPartitions(f)``.

Every task of a barrier stage is launched at once (or none is), a failed
task fails the whole stage attempt (the other tasks are killed; a
shuffle-map stage runs again whole, a result stage fails its job), and the
tasks may synchronise through ``BarrierTaskContext.get()``: ``barrier()``
blocks until every task of the stage attempt called it (the n-th call of
each task meets the n-th of the others) and ``allGather(message)`` returns
every task's message by partition order. A sync that fails (a peer failed,
spark.barrier.sync.timeout passed, the tasks disagree on the kind of sync)
raises BarrierError in every waiting task. The engine side is
src/ember/scheduler/barrier_coordinator.h.
"""

from . import pipeline
from .errors import EmberError
from .taskcontext import TaskContext, _current


class BarrierError(EmberError, RuntimeError):
    """A barrier API used outside a barrier stage, or a sync that failed."""


class RDDBarrier:
    """Wraps an RDD whose next mapPartitions runs as a barrier stage; made
    by :meth:`RDD.barrier`.

    >>> rdd = sc.parallelize([1, 2, 3, 4], 2)
    >>> rdd.barrier()
    <ember.barrier.RDDBarrier ...>
    >>> rdd.barrier().mapPartitions(lambda it: [sum(it)]).collect()
    [3, 7]
    """

    def __init__(self, rdd):
        self.rdd = rdd

    def mapPartitions(self, f, preservesPartitioning=False):
        """RDD.mapPartitions with every task of the stage launched together.

        >>> sc.parallelize([1, 2, 3, 4], 2).barrier().mapPartitions(lambda it: [sum(it)]).collect()
        [3, 7]
        """
        return self._pipe(lambda _, it: f(it), preservesPartitioning)

    def mapPartitionsWithIndex(self, f, preservesPartitioning=False):
        """RDD.mapPartitionsWithIndex with every task launched together.

        >>> sc.parallelize([1, 2, 3, 4], 2).barrier().mapPartitionsWithIndex(lambda i, it: [(i, sum(it))]).collect()
        [(0, 3), (1, 7)]
        """
        return self._pipe(f, preservesPartitioning)

    def _pipe(self, f, preservesPartitioning):
        from .rdd import PipelinedRDD
        return PipelinedRDD(self.rdd, (pipeline.PARTITION, f), preservesPartitioning, barrier=True)


class BarrierTaskInfo:
    """A task of a barrier stage: ``address`` is "host:port" of the executor
    running it (in local[N], "localhost:0": the in-process executor has no
    endpoint)."""

    def __init__(self, address):
        self.address = address

    def __repr__(self):
        return "BarrierTaskInfo(address=%r)" % self.address


class BarrierTaskContext(TaskContext):
    """The TaskContext of a task in a barrier stage.

    >>> def f(it):
    ...     ctx = BarrierTaskContext.get()
    ...     ctx.barrier()
    ...     return ctx.allGather(str(ctx.partitionId()))
    >>> sc.parallelize(range(4), 2).barrier().mapPartitions(f).collect()
    ['0', '1', '0', '1']
    """

    def __init__(self, header, sync):
        super().__init__(header)
        self._sync_with_driver = sync

    @classmethod
    def get(cls):
        """The running barrier task's context; BarrierError outside one."""
        ctx = _current[0]
        if not isinstance(ctx, BarrierTaskContext):
            raise BarrierError("[NOT_IN_BARRIER_STAGE] It is not in a barrier stage.")
        return ctx

    def barrier(self):
        """Blocks until every task of this stage attempt called barrier()
        as many times as this one."""
        self._sync("barrier", "")

    def allGather(self, message=""):
        """Blocks like barrier(); returns every task's message, ordered by
        partition id."""
        if not isinstance(message, str):
            raise TypeError("Argument `message` must be of type `str`")
        return self._sync("allGather", message)

    def getTaskInfos(self):
        """BarrierTaskInfo of every task of this stage, ordered by partition id."""
        return [BarrierTaskInfo(a) for a in self._header["addresses"]]

    def _sync(self, kind, message):
        # The executor numbers the task's syncs: all of its Python workers
        # (a persisted RDD between two barrier functions) share one count.
        reply = self._sync_with_driver({"kind": kind, "message": message})
        if "error" in reply:
            raise BarrierError("%s() failed: %s" % (kind, reply["error"]))
        return reply["messages"]


def _enter_task(header, sync):
    """Worker side: makes TaskContext.get() the barrier context of a barrier task.
    `sync(request)` sends a request to the executor and returns its JSON answer."""
    _current[0] = BarrierTaskContext(header, sync)
