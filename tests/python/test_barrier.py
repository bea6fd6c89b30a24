"""Barrier execution mode (rdd.barrier(), BarrierTaskContext) under every
master: results, the ordering barrier() guarantees, allGather, task infos,
the slot check, forbidden shapes, and what a failing task does to its stage
attempt. Every test has 2 tasks, as each master has 2 slots; none sleeps."""

import os
import re

import pytest

from ember import BarrierTaskContext, BarrierTaskInfo, RDDBarrier, TaskContext
from ember.barrier import BarrierError
from ember.errors import EmberError

SMALL_SLOT_CHECKS = {
    "spark.scheduler.barrier.maxConcurrentTasksCheck.interval": "0.2",
    "spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures": "2",
}


def local(master):
    return master.startswith("local[")


def test_barrier_map_partitions_results(sc):
    rdd = sc.parallelize(range(8), 2)
    assert isinstance(rdd.barrier(), RDDBarrier)
    assert rdd.barrier().mapPartitions(lambda it: [sum(it)]).collect() == [6, 22]
    assert rdd.barrier().mapPartitionsWithIndex(lambda i, it: [(i, len(list(it)))]).collect() == [(0, 4), (1, 4)]
    # A barrier stage feeding a shuffle, then read by an ordinary stage.
    pairs = rdd.barrier().mapPartitions(lambda it: ((x % 3, x) for x in it)).reduceByKey(lambda a, b: a + b)
    assert sorted(pairs.collect()) == [(0, 9), (1, 12), (2, 7)]
    assert not rdd._is_barrier() and not pairs._is_barrier()
    assert rdd.barrier().mapPartitions(iter).map(str)._is_barrier()


def test_task_context_get_is_the_barrier_context(sc):
    def kinds(it):
        ctx = TaskContext.get()
        return [(type(ctx).__name__, ctx is BarrierTaskContext.get(), ctx.partitionId())]
    assert sc.parallelize([1, 2], 2).barrier().mapPartitions(kinds).collect() == [
        ("BarrierTaskContext", True, 0), ("BarrierTaskContext", True, 1)]


def test_barrier_context_outside_a_barrier_stage_is_an_error(sc):
    with pytest.raises(EmberError, match="NOT_IN_BARRIER_STAGE"):
        sc.parallelize([1], 1).map(lambda x: BarrierTaskContext.get()).collect()
    with pytest.raises(BarrierError, match="not in a barrier stage"):
        BarrierTaskContext.get()  # on the driver


def test_barrier_orders_every_task_after_all_writes(sc, tmp_path):
    """Round after round, each task writes its file then waits in barrier():
    after it, every task sees every task's file of that round."""
    root = str(tmp_path)

    def rounds(it):
        ctx = BarrierTaskContext.get()
        seen = []
        for r in range(3):
            with open(os.path.join(root, "r%d-p%d" % (r, ctx.partitionId())), "w"):
                pass
            ctx.barrier()
            seen.append(sorted(f for f in os.listdir(root) if f.startswith("r%d-" % r)))
        return [seen]

    for seen in sc.parallelize(range(2), 2).barrier().mapPartitions(rounds).collect():
        assert seen == [["r%d-p0" % r, "r%d-p1" % r] for r in range(3)]


def test_all_gather_returns_every_message_in_partition_order(sc):
    def gather(it):
        ctx = BarrierTaskContext.get()
        first = ctx.allGather("m%d" % ctx.partitionId())
        second = ctx.allGather(str(sum(it)))
        return [(first, second)]
    got = sc.parallelize(range(6), 2).barrier().mapPartitions(gather).collect()
    assert got == [(["m0", "m1"], ["3", "12"])] * 2


def test_syncs_are_counted_per_task_across_its_python_workers(sc):
    """A persisted barrier RDD read by another barrier function: one task
    runs both in two Python workers, and their syncs are the task's first
    and second."""
    def first(it):
        ctx = BarrierTaskContext.get()
        return [ctx.allGather("a%d" % ctx.partitionId())] + list(it)

    def second(it):
        records = list(it)  # the first function has run (and synced) by now
        ctx = BarrierTaskContext.get()
        return [records, ctx.allGather("b%d" % ctx.partitionId())]

    cached = sc.parallelize(range(4), 2).barrier().mapPartitions(first).cache()
    try:
        got = cached.barrier().mapPartitions(second).collect()
    finally:
        cached.unpersist()
    assert got == [[["a0", "a1"], 0, 1], ["b0", "b1"], [["a0", "a1"], 2, 3], ["b0", "b1"]]


def test_all_gather_needs_a_string(sc):
    with pytest.raises(EmberError, match="must be of type `str`"):
        sc.parallelize([1, 2], 2).barrier().mapPartitions(
            lambda it: BarrierTaskContext.get().allGather(1)).collect()


def test_task_infos_list_every_task_address(sc, master):
    infos = sc.parallelize([1, 2], 2).barrier().mapPartitions(
        lambda it: [BarrierTaskContext.get().getTaskInfos()]).collect()
    assert len(infos) == 2
    for task_infos in infos:
        assert all(isinstance(i, BarrierTaskInfo) for i in task_infos)
        assert [i.address for i in task_infos] == [i.address for i in infos[0]]  # all agree
        assert len(task_infos) == 2
        for info in task_infos:
            assert re.fullmatch(r"[\w.\-]+:\d+", info.address), info.address
    if local(master):
        assert [i.address for i in infos[0]] == ["localhost:0", "localhost:0"]
    else:  # two one-slot executors: one task on each
        assert len({i.address for i in infos[0]}) == 2


def test_more_tasks_than_slots_fails_the_job(context_with, master):
    sc = context_with(SMALL_SLOT_CHECKS)
    with pytest.raises(EmberError, match=r"SPARK-24819.*needs 3 slots; the application has 2"):
        sc.parallelize(range(3), 3).barrier().mapPartitions(iter).collect()
    # The context still runs barrier jobs that fit.
    assert sc.parallelize(range(2), 2).barrier().mapPartitions(iter).collect() == [0, 1]


@pytest.mark.parametrize("shape", ["take", "union", "coalesce", "zip"])
def test_forbidden_shapes_are_refused(sc, shape):
    b = sc.parallelize(range(4), 2).barrier().mapPartitions(iter)
    run = {
        "take": lambda: b.take(1),
        "union": lambda: b.union(sc.parallelize([9], 1)).collect(),
        "coalesce": lambda: b.coalesce(1).collect(),
        "zip": lambda: b.zip(sc.parallelize(range(4), 2).barrier().mapPartitions(iter)).collect(),
    }[shape]
    with pytest.raises(EmberError, match=r"SPARK-24820\]\[SPARK-24821"):
        run()
    assert b.collect()[0] == 0  # the workaround for first()/take()


def test_failing_task_reruns_the_whole_map_stage(sc, master, tmp_path):
    """Partition 0 fails its first attempt after both tasks passed a
    barrier; partition 1 then waits in its second barrier(). Cluster modes
    (spark.task.maxFailures 4) run the whole stage again and the job
    succeeds; local[2] (1 attempt) fails the job naming the error."""
    root = str(tmp_path)

    def f(it):
        ctx = BarrierTaskContext.get()
        p = ctx.partitionId()
        n = len([x for x in os.listdir(root) if x.startswith("run-p%d-" % p)])
        with open(os.path.join(root, "run-p%d-%d" % (p, n)), "w"):
            pass
        ctx.barrier()
        if p == 0 and not os.path.exists(os.path.join(root, "failed")):
            open(os.path.join(root, "failed"), "w").close()
            raise ValueError("first attempt fails")
        ctx.barrier()
        return ((x % 2, x) for x in it)

    job = sc.parallelize(range(6), 2).barrier().mapPartitions(f).reduceByKey(lambda a, b: a + b)
    if local(master):
        with pytest.raises(EmberError, match="first attempt fails"):
            job.collect()
        return
    assert sorted(job.collect()) == [(0, 6), (1, 9)]
    runs = sorted(os.listdir(root))
    assert runs == ["failed", "run-p0-0", "run-p0-1", "run-p1-0", "run-p1-1"]


def test_failing_task_releases_the_tasks_waiting_in_barrier(sc, master):
    """A result stage: partition 1 waits in barrier() while partition 0
    fails. The job fails (a barrier result stage is not retried, as in
    Spark) instead of hanging."""
    def f(it):
        ctx = BarrierTaskContext.get()
        if ctx.partitionId() == 0:
            raise ValueError("partition 0 gives up")
        ctx.barrier()
        return it

    with pytest.raises(EmberError, match="partition 0 gives up") as info:
        sc.parallelize(range(4), 2).barrier().mapPartitions(f).collect()
    if not local(master):
        assert "Could not recover from a failed barrier ResultStage" in str(info.value)
    assert sc.parallelize(range(4), 2).barrier().mapPartitions(iter).count() == 4


def test_barrier_sync_timeout(context_with):
    """Partition 0 never calls barrier(): partition 1's sync times out
    (spark.barrier.sync.timeout) and the job fails saying so."""
    sc = context_with({"spark.barrier.sync.timeout": "1"})

    def f(it):
        ctx = BarrierTaskContext.get()
        if ctx.partitionId() == 1:
            ctx.barrier()
        return it

    with pytest.raises(EmberError, match="didn't get all barrier sync requests for barrier epoch 0"):
        sc.parallelize(range(2), 2).barrier().mapPartitions(f).collect()


def test_tasks_disagreeing_on_the_sync_kind_fail(sc):
    def f(it):
        ctx = BarrierTaskContext.get()
        if ctx.partitionId() == 0:
            ctx.barrier()
        else:
            ctx.allGather("x")
        return it

    with pytest.raises(EmberError, match="Different barrier sync types found"):
        sc.parallelize(range(2), 2).barrier().mapPartitions(f).collect()
