"""Job control from other threads (job groups, tags) and the status
tracker, on jobs that really run."""

import threading
import time

import pytest

from ember import TaskContext
from ember.util import InheritableThread, inheritable_thread_target
from ember.errors import IllegalArgumentException, JobCancelledError
from polling import wait_for
from threads import run_in_thread


# Longer than any join below: a cancelled job that ends within one had its
# workers stopped, not waited for (no wall-clock assertion needed).
SLOW_TASK_S = 600
JOIN_S = 120


def joined(thread):
    thread.join(JOIN_S)
    return not thread.is_alive()


def slow_job(sc, group=None, tags=(), shuffle=False):
    def job():
        if group:
            sc.setJobGroup(group, "slow job")
        for t in tags:
            sc.addJobTag(t)
        rdd = sc.parallelize(range(2), 2).map(lambda x: (x, time.sleep(SLOW_TASK_S)))
        return (rdd.reduceByKey(lambda a, b: a) if shuffle else rdd).collect()
    return run_in_thread(job)


@pytest.mark.parametrize("shuffle", [False, True])
def test_cancel_job_group_stops_only_that_group(sc, shuffle):
    st = sc.statusTracker()
    group = "victims-%s" % shuffle
    victim = slow_job(sc, group=group, shuffle=shuffle)
    wait_for(lambda: st.getJobIdsForGroup(group) and st.getActiveStageIds(), "the slow job to run")
    other = run_in_thread(lambda: sc.parallelize(range(10), 2).map(lambda x: x * 2).sum())
    sc.cancelJobGroup(group)
    assert joined(victim["thread"]) and joined(other["thread"])
    assert isinstance(victim.get("error"), JobCancelledError)
    assert "job group " + group in str(victim["error"])
    assert other.get("result") == 90
    [job] = st.getJobIdsForGroup(group)
    assert st.getJobInfo(job).status == "FAILED"
    assert sc.parallelize(range(3), 2).count() == 3  # the context is usable


def test_cancel_jobs_with_tag(sc):
    victim = slow_job(sc, tags=("etl", "hourly"))
    wait_for(lambda: sc.statusTracker().getActiveJobsIds(), "the slow job to run")
    sc.cancelJobsWithTag("hourly")
    assert joined(victim["thread"])
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
    wait_for(lambda: st.getActiveJobsIds() and st.getActiveStageIds(), "the job and its first stage")
    [running] = st.getActiveJobsIds()
    info = st.getJobInfo(running)
    assert info.status == "RUNNING"
    stages = st.getActiveStageIds()
    assert stages
    stage = st.getStageInfo(stages[0])
    assert stage.numTasks == 4 and stage.numActiveTasks + stage.numCompletedTasks <= 4
    assert joined(job["thread"])
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


def test_inheritable_thread_jobs_carry_the_parents_group_and_are_cancelled_with_it(sc):
    st = sc.statusTracker()
    out = {}

    def slow():
        try:
            sc.parallelize(range(2), 2).map(lambda x: time.sleep(SLOW_TASK_S)).collect()
        except BaseException as e:  # noqa: B902 - the test inspects it
            out["error"] = e
    sc.setJobGroup("inherited-group", "from the parent")
    try:
        child = InheritableThread(target=slow)
        child.start()
    finally:
        sc.clearJobGroup()
    wait_for(lambda: st.getJobIdsForGroup("inherited-group") and st.getActiveStageIds(),
             "the child thread's job to run")
    sc.cancelJobGroup("inherited-group")
    assert joined(child)
    assert isinstance(out.get("error"), JobCancelledError)
    [job] = st.getJobIdsForGroup("inherited-group")
    assert st.getJobInfo(job).status == "FAILED"


def test_plain_threads_do_not_inherit_local_properties(sc):
    st = sc.statusTracker()
    sc.setJobGroup("parent-only", "not for plain threads")
    try:
        plain = run_in_thread(lambda: (sc.getLocalProperty("spark.jobGroup.id"),
                                       sc.parallelize(range(3), 2).count()))
        assert joined(plain["thread"])
    finally:
        sc.clearJobGroup()
    assert plain["result"] == (None, 3)
    assert st.getJobIdsForGroup("parent-only") == []


def test_inherited_properties_are_a_copy_taken_at_start_or_wrap(sc):
    def props():
        return (sc.getLocalProperty("spark.jobGroup.id"), sc.getLocalProperty("spark.job.description"),
                sc.getLocalProperty("k"), sc.getJobTags(), sc.getLocalProperty("spark.scheduler.pool"))
    seen = {}
    sc.setJobGroup("g", "desc")
    sc.addJobTag("t1")
    sc.setLocalProperty("spark.scheduler.pool", "pool1")
    sc.setLocalProperty("k", "at-wrap")
    try:
        wrapped = inheritable_thread_target(lambda: seen.setdefault("wrapped", props()))
        decorated = inheritable_thread_target(sc)(lambda: seen.setdefault("with-sc", props()))

        @inheritable_thread_target
        def as_decorator():
            seen["decorator"] = props()
        thread = InheritableThread(target=lambda name: seen.setdefault(name, props()), args=("thread",))
        sc.setLocalProperty("k", "at-start")
        thread.start()
        sc.setLocalProperty("k", "after-start")
        thread.join()

        def child_changes():
            sc.setLocalProperty("k", "child")
            sc.addJobTag("child-tag")
        for target in (wrapped, decorated, as_decorator, child_changes):
            t = threading.Thread(target=target)
            t.start()
            t.join()
        changer = InheritableThread(target=child_changes)
        changer.start()
        changer.join()
        assert sc.getLocalProperty("k") == "after-start" and sc.getJobTags() == {"t1"}
    finally:
        sc.clearJobGroup()
        sc.clearJobTags()
        sc.setLocalProperty("spark.scheduler.pool", None)
        sc.setLocalProperty("k", None)
    assert seen["thread"] == ("g", "desc", "at-start", {"t1"}, "pool1")
    for name in ("wrapped", "with-sc", "decorator"):
        assert seen[name] == ("g", "desc", "at-wrap", {"t1"}, "pool1"), name
    with pytest.raises(TypeError, match="a function or a SparkContext, not None"):
        inheritable_thread_target(None)
