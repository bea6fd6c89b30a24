"""What PySpark's documentation shows a user, shown the same by ember: RDD
reprs and lineage, resource profiles, StatCounter.asDict, histogram and
takeSample edge cases, is_checkpointed, sparkHome, TaskContext."""

import math
import os
import re
import sys

import pytest

from ember import SparkContext, StatCounter, TaskContext
from ember.resource import (ExecutorResourceRequest, ExecutorResourceRequests, ResourceInformation,
                            ResourceProfile, ResourceProfileBuilder, TaskResourceRequest,
                            TaskResourceRequests)

HERE = os.path.abspath(__file__)


def line_of(text):
    """The line of this file that contains `text` (a call site to expect)."""
    with open(HERE) as f:
        return next(i for i, line in enumerate(f, 1) if text in line and "line_of" not in line)


def test_repr_names_each_kind_of_rdd_as_pyspark_does(sc, tmp_path):
    nums = sc.parallelize(range(4), 2)  # site: parallelize
    at = "at %s:%d" % (HERE, line_of("# site: parallelize"))
    assert repr(nums) == "ParallelCollectionRDD[%d] at parallelize %s" % (nums.id(), at)
    assert re.fullmatch(r"PythonRDD\[\d+\] at map at .*test_pyspark_names.py:\d+", repr(nums.map(str)))
    assert repr(sc.emptyRDD()).startswith("EmptyRDD[")
    assert repr(nums.union(nums)).startswith("UnionRDD[")
    assert repr(sc.union([nums, nums])).startswith("UnionRDD[")
    assert repr(nums.coalesce(1)).startswith("CoalescedRDD[")
    assert " at reduceByKey at " in repr(nums.map(lambda x: (x, 1)).reduceByKey(max))
    keyed = nums.map(lambda x: (x, x)).partitionBy(2)
    assert repr(keyed).startswith("ShuffledRDD[")
    assert repr(keyed.union(keyed)).startswith("PartitionerAwareUnionRDD[")
    path = tmp_path / "lines.txt"
    path.write_text("a\nb\n")
    lines = sc.textFile(str(path))
    assert lines.name() == str(path)  # a file reader is named by its path, as in Spark
    assert repr(lines).startswith("%s MapPartitionsRDD[%d] at textFile at " % (path, lines.id()))
    assert sc.wholeTextFiles(str(path)).name() == str(path)
    named = nums.map(str).setName("digits")
    assert repr(named).startswith("digits PythonRDD[%d] at map at " % named.id())
    assert sc.range(3).name() is None


def test_range_is_a_python_rdd_over_empty_slices_sliced_as_parallelize(sc):
    for args in [(10,), (3, 30, 4), (5, 0, -1), (0, 5, -1), (7,)]:
        for slices in (1, 3, 8):
            assert (sc.range(*args, numSlices=slices).glom().collect()
                    == sc.parallelize(range(*args), slices).glom().collect()), (args, slices)
    lines = sc.range(4).toDebugString().decode().splitlines()
    assert lines[0].startswith("(2) PythonRDD[") and " at range at " in lines[0]
    assert lines[1].startswith(" |  ParallelCollectionRDD[") and len(lines) == 2


def test_debug_string_has_sparks_shape(sc):
    nums = sc.parallelize(range(4), 2)
    shuffled = nums.map(lambda x: (x % 2, x)).reduceByKey(max).cache()
    text = shuffled.toDebugString().decode()
    patterns = [r"\(2\) PythonRDD\[\d+\] at reduceByKey at .* \[Memory Serialized 1x Replicated\]",
                r" \|  ShuffledRDD\[\d+\] at reduceByKey at .* \[\]",
                r" \+-\(2\) PythonRDD\[\d+\] at reduceByKey at .* \[\]",  # the map side
                r"    \|  ParallelCollectionRDD\[%d\] at parallelize at .* \[\]" % nums.id()]
    assert len(text.splitlines()) == len(patterns), text
    for line, pattern in zip(text.splitlines(), patterns):
        assert re.fullmatch(pattern, line), (line, pattern)
    # a union lists each parent and their lineage, a shuffle inside it indented
    union = nums.union(shuffled).toDebugString().decode().splitlines()
    assert union[0].startswith("(4) UnionRDD[") and union[1].startswith(" |  ParallelCollectionRDD[")
    assert union[2].startswith(" |  PythonRDD[") and union[4].startswith(" +-(2) PythonRDD[")
    assert union[5].startswith("    |  ParallelCollectionRDD[") and len(union) == 6
    pairs = nums.cartesian(nums).toDebugString().decode().splitlines()
    assert [re.sub(r"\[.*", "", line) for line in pairs] == [
        "(4) PythonRDD", " |  CartesianRDD", " |  ParallelCollectionRDD", " |  ParallelCollectionRDD"]
    assert sc.emptyRDD().toDebugString().startswith(b"(0) EmptyRDD[")


def test_stages_are_named_by_the_action_and_its_line_as_in_spark(sc):
    st = sc.statusTracker()
    sc.setJobGroup("named-stages", "stage names")
    try:
        sc.parallelize(range(4), 2).map(lambda x: (x % 2, x)).reduceByKey(max).collect()  # the action
    finally:
        sc.clearJobGroup()
    [job] = st.getJobIdsForGroup("named-stages")
    names = {st.getStageInfo(stage).name for stage in st.getJobInfo(job).stageIds}
    assert names == {"collect at %s:%d" % (HERE, line_of("# the action"))}
    sc.setLocalProperty("callSite.short", "nightly report")  # Spark's key; the user's name wins
    sc.setJobGroup("named-by-user", "stage names")
    try:
        sc.parallelize(range(4), 2).count()
    finally:
        sc.clearJobGroup()
        sc.setLocalProperty("callSite.short", None)
    [job] = st.getJobIdsForGroup("named-by-user")
    assert st.getStageInfo(st.getJobInfo(job).stageIds[0]).name == "nightly report"


def test_resource_profiles_are_accepted_and_reported(sc):
    executor = (ExecutorResourceRequests().cores(2).memory("6g").memoryOverhead("512m")
                .pysparkMemory("1g").offheapMemory("1024k").resource("gpu", 2, "/opt/find-gpus", "nvidia.com"))
    task = TaskResourceRequests().cpus(1).resource("gpu", 0.5)
    builder = ResourceProfileBuilder().require(executor).require(task)
    profile = builder.build
    other = ResourceProfileBuilder().require(TaskResourceRequests().cpus(1)).build
    assert isinstance(profile, ResourceProfile) and 0 < profile.id < other.id
    assert {k: v.amount for k, v in profile.executorResources.items()} == {
        "cores": 2, "memory": 6144, "memoryOverhead": 512, "pyspark.memory": 1024, "offHeap": 1, "gpu": 2}
    gpu = profile.executorResources["gpu"]
    assert (gpu.resourceName, gpu.discoveryScript, gpu.vendor) == ("gpu", "/opt/find-gpus", "nvidia.com")
    assert {k: v.amount for k, v in profile.taskResources.items()} == {"cpus": 1.0, "gpu": 0.5}
    assert isinstance(profile.taskResources["cpus"], TaskResourceRequest)
    assert isinstance(profile.executorResources["cores"], ExecutorResourceRequest)
    builder.clearExecutorResourceRequests()
    assert builder.executorResources == {} and builder.build.taskResources.keys() == {"cpus", "gpu"}

    rdd = sc.parallelize(range(6), 2)
    assert rdd.getResourceProfile() is None and not rdd.has_resource_profile
    assert rdd.withResources(profile) is rdd and rdd.getResourceProfile() is profile
    assert rdd.has_resource_profile
    # accepted, not honoured: tasks still get spark.task.cpus and no GPUs
    seen = rdd.map(lambda x: (TaskContext.get().cpus(), TaskContext.get().resources())).collect()
    assert seen == [(1, {})] * 6
    assert rdd.map(lambda x: x).getResourceProfile() is None
    assert sc.resources == {}


def test_resource_requests_reject_bad_input():
    with pytest.raises(ValueError, match="must be either <= 1.0, or a whole number"):
        TaskResourceRequests().resource("gpu", 1.5)
    with pytest.raises(ValueError, match="Failed to parse byte string: lots"):
        ExecutorResourceRequests().memory("lots")
    with pytest.raises(TypeError, match="ExecutorResourceRequests or TaskResourceRequests, not dict"):
        ResourceProfileBuilder().require({"cpus": 1})
    info = ResourceInformation("gpu", ["0", "1"])
    assert (info.name, info.addresses) == ("gpu", ["0", "1"])


def test_with_resources_rejects_what_is_not_a_profile(sc):
    with pytest.raises(TypeError, match="takes a ResourceProfile, not TaskResourceRequests"):
        sc.parallelize([1]).withResources(TaskResourceRequests().cpus(1))


def test_task_context_reports_itself(sc):
    sc.setLocalProperty("owner", "ana")
    try:
        got = sc.parallelize(range(4), 2).mapPartitions(lambda it: [(
            TaskContext.get().partitionId(), TaskContext.get().stageId(), TaskContext.get().attemptNumber(),
            TaskContext.get().taskAttemptId(), TaskContext.get().getLocalProperty("owner"),
            TaskContext.get().getLocalProperty("missing"), TaskContext.get().cpus(),
            TaskContext.get().resources())]).collect()
    finally:
        sc.setLocalProperty("owner", None)
    assert [g[0] for g in got] == [0, 1] and got[0][1] == got[1][1]
    assert all(g[2] == 0 and g[4:] == ("ana", None, 1, {}) for g in got)
    assert got[0][3] != got[1][3]
    assert TaskContext.get() is None  # on the driver


def test_stat_counter_as_dict_gives_sample_statistics_by_default():
    stats = StatCounter([1, 2, 3, 4])
    assert stats.asDict() == {"count": 4, "mean": 2.5, "sum": 10.0, "min": 1.0, "max": 4.0,
                              "stdev": math.sqrt(5 / 3), "variance": 5 / 3}
    population = stats.asDict(sample=True)
    assert population["variance"] == 1.25 and population["stdev"] == math.sqrt(1.25)
    assert isinstance(stats.min(), float) and isinstance(stats.max(), float)


def test_histogram_hands_tuple_buckets_back_as_given(sc):
    rdd = sc.parallelize([1, 2, 1, 3])
    assert rdd.histogram((0, 2, 4)) == ((0, 2, 4), [2, 2])
    assert rdd.histogram([0, 2, 4]) == ([0, 2, 4], [2, 2])


def test_take_sample_refuses_an_impossible_size_before_running_a_job(sc):
    limit = sys.maxsize - int(10.0 * math.sqrt(sys.maxsize))
    st = sc.statusTracker()
    sc.setJobGroup("impossible-sample", "must not run")
    try:
        for replace in (False, True):
            with pytest.raises(ValueError, match="Sample size cannot be greater than %d\\.$" % limit):
                sc.parallelize(range(4)).takeSample(replace, limit + 1)
    finally:
        sc.clearJobGroup()
    assert st.getJobIdsForGroup("impossible-sample") == []
    assert sorted(sc.parallelize(range(4)).takeSample(False, 100, 1)) == [0, 1, 2, 3]
    assert sc.emptyRDD().takeSample(False, 3) == []


def test_is_checkpointed_is_set_by_checkpoint(sc, tmp_path):
    sc.setCheckpointDir(str(tmp_path))
    rdd = sc.range(5)
    assert rdd.is_checkpointed is False
    rdd.checkpoint()
    assert rdd.is_checkpointed is True and rdd.getCheckpointFile() is None
    assert rdd.count() == 5
    assert rdd.is_checkpointed is True and rdd.getCheckpointFile() is not None


def test_spark_home(sc, master, context_with):
    assert sc.sparkHome is None
    ctx = context_with({"spark.home": "/opt/spark"})
    assert ctx.sparkHome == "/opt/spark"
    ctx.stop()
    with SparkContext(master, "home", sparkHome="/opt/other") as other:
        assert other.sparkHome == "/opt/other" and other.getConf().get("spark.home") == "/opt/other"
