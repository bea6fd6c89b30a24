"""Many threads submitting jobs to one context at once, under FIFO and FAIR
scheduling (each thread's local properties are its own, as in PySpark's
pinned-thread mode), and FAIR pools really sharing the slots."""

import os
import time

import pytest

from polling import wait_for
from threads import run_in_thread
from ember.errors import IllegalArgumentException, JobCancelledError

THREADS = 8
JOBS_PER_THREAD = 100

ALLOCATIONS = """<?xml version="1.0"?>
<allocations>
  <pool name="pool0"><schedulingMode>FAIR</schedulingMode><weight>2</weight><minShare>1</minShare></pool>
  <pool name="pool1"><schedulingMode>FIFO</schedulingMode><weight>1</weight></pool>
</allocations>
"""


def scheduling_settings(mode, tmp_path):
    settings = {"spark.scheduler.mode": mode}
    if mode == "FAIR":
        path = tmp_path / "fairscheduler.xml"
        path.write_text(ALLOCATIONS)
        settings["spark.scheduler.allocation.file"] = str(path)
    return settings


def one_job(sc, t, i, cached, bcast):
    """Job i of thread t, of one of eight kinds, checked against its answer."""
    n = 20 + (t * 7 + i) % 30
    kind = (t + i) % 8
    if kind == 0:
        assert sc.parallelize(range(n), 2).map(lambda x: x * t).collect() == [x * t for x in range(n)]
    elif kind == 1:
        assert sc.parallelize(range(n), 3).filter(lambda x: x % 3 == 0).count() == len(range(0, n, 3))
    elif kind == 2:
        got = sc.parallelize(range(n), 2).map(lambda x: (x % 5, x)).reduceByKey(lambda a, b: a + b).collect()
        assert sorted(got) == [(k, sum(range(k, n, 5))) for k in range(5)]
    elif kind == 3:
        left = sc.parallelize([(k, t) for k in range(n)], 2)
        right = sc.parallelize([(k, -k) for k in range(0, n, 2)], 2)
        assert sorted(left.join(right).collect()) == [(k, (t, -k)) for k in range(0, n, 2)]
    elif kind == 4:
        assert sc.parallelize(range(n), 3).sortBy(lambda x: -x).collect() == list(range(n - 1, -1, -1))
    elif kind == 5:
        assert cached.map(lambda x: x + t).sum() == sum(range(100)) * 2 + 100 * t
    elif kind == 6:
        assert sc.parallelize(range(n), 2).map(lambda x: bcast.value[x % 10]).sum() == \
            sum((x % 10) * t for x in range(n))
    else:
        acc = sc.accumulator(0)
        sc.parallelize(range(n), 2).foreach(lambda x: acc.add(x))
        assert acc.value == sum(range(n))


@pytest.mark.parametrize("mode", ["FIFO", "FAIR"])
def test_threads_share_one_context(context_with, tmp_path, mode):
    sc = context_with(scheduling_settings(mode, tmp_path))
    cached = sc.parallelize(range(100), 2).map(lambda x: x * 2).cache()
    assert cached.count() == 100
    done = []  # one entry per job that finished (list.append is atomic)

    def worker(t):
        if mode == "FAIR":
            sc.setLocalProperty("spark.scheduler.pool", "pool%d" % (t % 3))  # pool2 is unconfigured
        sc.setJobGroup("worker-%d" % t, "jobs of thread %d" % t)
        bcast = sc.broadcast({k: k * t for k in range(10)})
        for i in range(JOBS_PER_THREAD):
            one_job(sc, t, i, cached, bcast)
            assert sc.getLocalProperty("spark.jobGroup.id") == "worker-%d" % t
            done.append((t, i))
        return t

    def long_job():
        sc.setLocalProperty("spark.scheduler.pool", "long")
        sc.setJobGroup("long", "cancelled midway")
        return sc.parallelize([0], 1).map(lambda x: time.sleep(600)).collect()

    workers = [run_in_thread(lambda t=t: worker(t)) for t in range(THREADS)]
    victim = run_in_thread(long_job)
    st = sc.statusTracker()

    def long_task_running():
        for job in st.getJobIdsForGroup("long"):
            for stage in st.getJobInfo(job).stageIds:
                info = st.getStageInfo(stage)
                if info and info.numActiveTasks:
                    return True
        return False
    wait_for(long_task_running, "the long job's task to run", timeout=120)
    wait_for(lambda: len(done) >= THREADS * JOBS_PER_THREAD // 4 or
             not any(w["thread"].is_alive() for w in workers), "a quarter of the jobs to finish", timeout=120)
    sc.cancelJobGroup("long")
    victim["thread"].join(60)
    assert isinstance(victim.get("error"), JobCancelledError), victim
    assert "job group long" in str(victim["error"])
    for w in workers:
        w["thread"].join(120)
        assert not w["thread"].is_alive()
        assert "error" not in w, w["error"]
    assert sorted(w["result"] for w in workers) == list(range(THREADS))
    assert len(done) == THREADS * JOBS_PER_THREAD
    assert sc.getLocalProperty("spark.scheduler.pool") is None  # the threads' properties were their own


def test_fair_pool_gets_freed_slots_while_another_pool_wants_them_all(context_with, tmp_path):
    """Pool "a" runs a job with three waves of tasks: the first wave ends
    once pool "b"'s job is waiting, the others only after b's job finished.
    FAIR gives the freed slots to b (it runs nothing, a runs something); FIFO
    would give them to a's next wave, and b would never finish."""
    sc = context_with({"spark.scheduler.mode": "FAIR"})
    slots = sc.defaultParallelism
    tokens, go, release = tmp_path / "tokens", tmp_path / "b-waiting", tmp_path / "b-finished"
    tokens.mkdir()

    def a_task(it):
        # The first `slots` tasks to start (all running at once) are the
        # first wave, whatever their partitions.
        first = False
        for k in range(slots):
            try:
                os.close(os.open(str(tokens / str(k)), os.O_CREAT | os.O_EXCL))
                first = True
                break
            except FileExistsError:
                pass
        while not os.path.exists(str(go if first else release)):
            time.sleep(0.01)
        return [sum(it)]

    def job_a():
        sc.setLocalProperty("spark.scheduler.pool", "a")
        sc.setJobGroup("a", "holds the slots")
        return sum(sc.parallelize(range(30 * slots), 3 * slots).mapPartitions(a_task).collect())

    def job_b():
        sc.setLocalProperty("spark.scheduler.pool", "b")
        sc.setJobGroup("b", "needs a slot")
        return sc.parallelize(range(4 * slots), 2 * slots).map(lambda x: x * x).collect()

    st = sc.statusTracker()

    def active_tasks(group):
        return sum(st.getStageInfo(s).numActiveTasks for job in st.getJobIdsForGroup(group)
                   for s in st.getJobInfo(job).stageIds if st.getStageInfo(s))

    a = run_in_thread(job_a)
    wait_for(lambda: active_tasks("a") == slots, "pool a's job to hold every slot")
    b = run_in_thread(job_b)
    wait_for(lambda: any(s in st.getActiveStageIds() for job in st.getJobIdsForGroup("b")
                         for s in st.getJobInfo(job).stageIds), "pool b's stage to wait for slots")
    go.touch()
    b["thread"].join(60)
    assert b.get("result") == [x * x for x in range(4 * slots)], b
    assert a["thread"].is_alive()  # its later waves wait for b to have finished
    release.touch()
    a["thread"].join(60)
    assert a.get("result") == sum(range(30 * slots)), a


@pytest.mark.parametrize("settings, message", [
    ({"spark.scheduler.mode": "LIFO"}, "spark.scheduler.mode must be FIFO or FAIR, not 'LIFO'"),
    ({"spark.scheduler.mode": "fair", "spark.scheduler.allocation.file": "/nonexistent/fair.xml"},
     "spark.scheduler.allocation.file /nonexistent/fair.xml: cannot read it"),
])
def test_bad_scheduler_settings_fail_the_context(context_with, settings, message):
    with pytest.raises(IllegalArgumentException, match=message.replace("(", r"\(")):
        context_with(settings)


def test_bad_allocation_file_names_the_file_and_pool(context_with, tmp_path):
    path = tmp_path / "fair.xml"
    path.write_text('<allocations><pool name="etl"><weight>heavy</weight></pool></allocations>')
    with pytest.raises(IllegalArgumentException,
                       match="%s: pool 'etl': weight must be an integer >= 1, not 'heavy'" % path):
        context_with({"spark.scheduler.mode": "FAIR", "spark.scheduler.allocation.file": str(path)})


def test_the_conf_dirs_fairscheduler_xml_is_read_with_fair_only(context_with, tmp_path, monkeypatch):
    """fairscheduler.xml of $SPARK_CONF_DIR is the allocation file when the
    setting is not given: a bad one fails a FAIR context, naming it; FIFO
    never reads it. (tests/python/test_ui_live.py shows its pools.)"""
    bad = tmp_path / "fairscheduler.xml"
    bad.write_text('<allocations><pool name="etl"><minShare>-1</minShare></pool></allocations>')
    monkeypatch.setenv("SPARK_CONF_DIR", str(tmp_path))
    with pytest.raises(IllegalArgumentException,
                       match="spark.scheduler.allocation.file %s: pool 'etl': minShare must be an integer >= 0"
                       % bad):
        context_with({"spark.scheduler.mode": "FAIR"})
    assert context_with({"spark.scheduler.mode": "FIFO"}).parallelize(range(3)).count() == 3
