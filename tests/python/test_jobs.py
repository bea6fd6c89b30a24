"""Job control from other threads (job groups, tags) and the status
tracker, on jobs that really run."""

import threading
import time

import pytest

from ember import TaskContext
from ember.errors import IllegalArgumentException, JobCancelledError


def run_in_thread(fn):
    """Start fn in a thread; returns a dict that gets 'result' or 'error'."""
    out = {}

    def target():
        try:
            out["result"] = fn()
        except BaseException as e:  # noqa: B902 - the test inspects it
            out["error"] = e
    t = threading.Thread(target=target)
    t.start()
    out["thread"] = t
    return out


def wait_for(predicate, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def slow_job(sc, group=None, tags=(), shuffle=False):
    def job():
        if group:
            sc.setJobGroup(group, "slow job")
        for t in tags:
            sc.addJobTag(t)
        rdd = sc.parallelize(range(2), 2).map(lambda x: (x, time.sleep(60)))
        return (rdd.reduceByKey(lambda a, b: a) if shuffle else rdd).collect()
    return run_in_thread(job)


@pytest.mark.parametrize("shuffle", [False, True])
def test_cancel_job_group_stops_only_that_group(sc, shuffle):
    st = sc.statusTracker()
    group = "victims-%s" % shuffle
    victim = slow_job(sc, group=group, shuffle=shuffle)
    assert wait_for(lambda: st.getJobIdsForGroup(group) and st.getActiveStageIds())
    other = run_in_thread(lambda: sc.parallelize(range(10), 2).map(lambda x: x * 2).sum())
    start = time.time()
    sc.cancelJobGroup(group)
    victim["thread"].join(10)
    other["thread"].join(10)
    assert time.time() - start < 5  # its workers were stopped, not waited for
    assert isinstance(victim.get("error"), JobCancelledError)
    assert "job group " + group in str(victim["error"])
    assert other.get("result") == 90
    [job] = st.getJobIdsForGroup(group)
    assert st.getJobInfo(job).status == "FAILED"
    assert sc.parallelize(range(3), 2).count() == 3  # the context is usable


def test_cancel_jobs_with_tag(sc):
    victim = slow_job(sc, tags=("etl", "hourly"))
    assert wait_for(lambda: sc.statusTracker().getActiveJobsIds())
    sc.cancelJobsWithTag("hourly")
    victim["thread"].join(10)
    assert isinstance(victim.get("error"), JobCancelledError)
    assert "job tag hourly" in str(victim["error"])
    with pytest.raises(IllegalArgumentException, match="cannot contain ','"):
        sc.addJobTag("a,b")
    with pytest.raises(IllegalArgumentException, match="empty string"):
        sc.addJobTag("")
    sc.addJobTag("mine")
    sc.removeJobTag("mine")
    assert sc.getJobTags() == set()


def test_status_tracker_sees_a_running_job(sc):
    st = sc.statusTracker()
    job = run_in_thread(lambda: sc.parallelize([(i % 2, i) for i in range(4)], 4)
                        .map(lambda kv: time.sleep(0.5) or kv).reduceByKey(max).collect())
    # a job is active a moment before its first stage is: wait for both
    assert wait_for(lambda: st.getActiveJobsIds() and st.getActiveStageIds())
    [running] = st.getActiveJobsIds()
    info = st.getJobInfo(running)
    assert info.status == "RUNNING"
    stages = st.getActiveStageIds()
    assert stages
    stage = st.getStageInfo(stages[0])
    assert stage.numTasks == 4 and stage.numActiveTasks + stage.numCompletedTasks <= 4
    job["thread"].join(30)
    assert sorted(job["result"]) == [(0, 2), (1, 3)]
    done = st.getJobInfo(running)
    assert done.status == "SUCCEEDED" and len(done.stageIds) == 2
    map_stage = st.getStageInfo(min(done.stageIds))
    assert (map_stage.numTasks, map_stage.numCompletedTasks, map_stage.numFailedTasks) == (4, 4, 0)
    assert running not in st.getActiveJobsIds()
    assert st.getJobInfo(10 ** 6) is None and st.getStageInfo(10 ** 6) is None


def test_map_stage_tasks_see_local_properties(sc):
    sc.setLocalProperty("owner", "ana")
    try:
        got = (sc.parallelize(range(4), 2)
               .map(lambda x: (TaskContext.get().getLocalProperty("owner"), 1))
               .reduceByKey(lambda a, b: a + b).collect())
    finally:
        sc.setLocalProperty("owner", None)
    assert got == [("ana", 4)]
