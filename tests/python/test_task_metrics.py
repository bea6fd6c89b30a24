"""Task metrics measured in the executors reach the driver: each stage's
sums (StatusTracker._stageMetrics, ember's private accessor) match what
the job read, shuffled, wrote and spilled, under every master."""

import hashlib
import os
import uuid


def _stages(sc, action):
    """(action's result, [metric sums of each stage of its last job, in the
    order they ran: a job lists its stages as they are submitted])."""
    group = "metrics-" + uuid.uuid4().hex
    sc.setJobGroup(group, "task metrics")
    try:
        result = action()
    finally:
        sc.clearJobGroup()
    st = sc.statusTracker()
    job = max(st.getJobIdsForGroup(group))  # sortByKey samples its keys in a job before
    return result, [st._stageMetrics(s) for s in st.getJobInfo(job).stageIds]


def test_a_shuffle_writes_and_reads_every_record(sc):
    data = sc.parallelize([(i, str(i)) for i in range(1000)], 4)
    count, (map_stage, reduce_stage) = _stages(sc, lambda: data.partitionBy(3).count())
    assert count == 1000
    assert map_stage["shuffle_records_written"] == 1000
    assert map_stage["input_records_read"] == 1000  # the parallelized slices
    assert map_stage["input_bytes_read"] > 0
    assert map_stage["shuffle_bytes_written"] > 0 and map_stage["shuffle_write_time_ns"] > 0
    assert reduce_stage["shuffle_records_read"] == 1000
    read = reduce_stage["shuffle_local_bytes_read"] + reduce_stage["shuffle_remote_bytes_read"]
    assert read == map_stage["shuffle_bytes_written"]
    # 4 map outputs x 3 buckets, none empty (250 keys per slice)
    assert reduce_stage["shuffle_local_blocks_fetched"] + reduce_stage["shuffle_remote_blocks_fetched"] == 12
    assert reduce_stage["shuffle_records_written"] == 0 and reduce_stage["input_records_read"] == 0
    for stage in (map_stage, reduce_stage):
        assert stage["executor_cpu_time_ns"] > 0 and stage["result_size"] > 0


def test_a_text_file_is_read_as_input(sc, tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("".join("line number %d\n" % i for i in range(300)))
    count, [stage] = _stages(sc, lambda: sc.textFile(str(path), 3).count())
    assert count == 300
    assert stage["input_bytes_read"] == os.path.getsize(path)
    assert stage["input_records_read"] == 300
    assert stage["shuffle_records_read"] == 0 and stage["output_records_written"] == 0


def test_saved_text_files_are_output(sc, tmp_path):
    out = str(tmp_path / "out")
    _, [stage] = _stages(sc, lambda: sc.parallelize(range(250), 2).saveAsTextFile(out))
    assert stage["output_records_written"] == 250
    parts = [os.path.join(out, f) for f in os.listdir(out) if f.startswith("part-")]
    assert stage["output_bytes_written"] == sum(os.path.getsize(p) for p in parts)


def test_cached_blocks_are_read_as_input(sc):
    rdd = sc.parallelize(range(100), 2).map(lambda x: x * 2).cache()
    try:
        _, [first] = _stages(sc, rdd.count)
        total, [second] = _stages(sc, rdd.count)
    finally:
        rdd.unpersist()
    assert total == 100
    assert first["input_records_read"] == 100  # the parallelized slices, once
    assert second["input_records_read"] == 100  # the cached blocks
    assert second["input_bytes_read"] > 0


def test_sort_by_shuffles_records_not_key_record_pairs(sc):
    rows = sc.parallelize([hashlib.sha256(b"%d" % i).hexdigest() for i in range(2000)], 2)
    key = lambda s: s[::-1]  # noqa: E731 (a new string as big as the record)
    got, (by_record, _) = _stages(sc, lambda: rows.sortBy(key, numPartitions=2).collect())
    assert got == sorted(rows.collect(), key=key)
    pairs, (by_pair, _) = _stages(sc, lambda: rows.keyBy(key).sortByKey(numPartitions=2).values().collect())
    assert pairs == got
    assert by_record["shuffle_bytes_written"] < 0.6 * by_pair["shuffle_bytes_written"]


def test_python_spills_are_reported(context_with):
    sc = context_with({"spark.python.worker.memory": "2m"})
    n = 200_000  # ~30 MB as Python objects: the sorters spill
    pairs = sc.parallelize(range(n), 2).map(lambda i: ((i * 7919) % n, "%064d" % i))
    got, (_, sort_stage) = _stages(sc, lambda: pairs.sortByKey(numPartitions=2).keys().collect())
    assert got == list(range(n))
    assert sort_stage["disk_bytes_spilled"] > 0
    assert sort_stage["memory_bytes_spilled"] > 0
    assert sort_stage["peak_execution_memory"] > 0
    assert sort_stage["shuffle_records_read"] == n


def test_sequence_files_are_output_and_binary_files_input(sc, tmp_path):
    out = str(tmp_path / "seq")
    _, [stage] = _stages(sc, lambda: sc.parallelize([(i, str(i)) for i in range(40)], 2).saveAsSequenceFile(out))
    assert stage["output_records_written"] == 40
    parts = [os.path.join(out, f) for f in os.listdir(out) if f.startswith("part-")]
    assert stage["output_bytes_written"] == sum(os.path.getsize(p) for p in parts)
    _, [stage] = _stages(sc, lambda: sc.binaryFiles(out).count())
    assert stage["input_records_read"] == len(parts)
