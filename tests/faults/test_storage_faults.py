"""Scenario 8 (a cached partition lost or damaged) and damaged checkpoint
files: recomputed from lineage, or a clear error — never wrong records."""

from harness import ok_json, run_driver

BLOCKS = """
        def blocks(sc):
            return sorted(os.path.join(r, f) for r, _, fs in os.walk(sc._engine.local_dir)
                          for f in fs if f.startswith("rdd_") and ".tmp" not in f)
        def counted(sc, n, parts):
            calls = sc.accumulator(0)
            def touch(x):
                calls.add(1)
                return x
            return sc.parallelize(range(n), parts).map(touch), calls
"""


def test_deleted_cached_block_is_recomputed_and_cached_again(tmp_path):
    out = run_driver(BLOCKS + """
        sc = make_context()
        rdd, calls = counted(sc, 1000, 4)
        rdd.persist(StorageLevel.DISK_ONLY)
        first = rdd.sum()
        os.unlink(blocks(sc)[1])  # one partition's block is lost
        second = rdd.sum()
        after_loss = calls.value
        third = rdd.sum()
        print(json.dumps([first, second, third, after_loss, calls.value, len(blocks(sc))]))
    """, tmp_path)
    s = sum(range(1000))
    assert ok_json(out) == [s, s, s, 1250, 1250, 4]  # one partition (250) computed again, once


def test_damaged_cached_block_fails_one_attempt_then_is_recomputed(tmp_path):
    out = run_driver(BLOCKS + """
        sc = make_context()
        rdd, calls = counted(sc, 1000, 4)
        rdd.persist(StorageLevel.DISK_ONLY)
        first = rdd.sum()
        path = blocks(sc)[2]
        data = bytearray(open(path, "rb").read())
        data[len(data) // 2] ^= 0xFF
        open(path, "wb").write(data)
        second = rdd.sum()
        st = sc.statusTracker()
        job = max(st.getJobIdsForGroup())
        failed = sum(st.getStageInfo(s).numFailedTasks for s in st.getJobInfo(job).stageIds)
        print(json.dumps([first, second, calls.value, failed]))
    """, tmp_path)
    s = sum(range(1000))
    assert ok_json(out) == [s, s, 1250, 1]


def test_damaged_checkpoint_file_is_a_clear_error(tmp_path):
    out = run_driver("""
        sc = make_context()
        sc.setCheckpointDir(os.path.join(sc._engine.local_dir, "..", "checkpoints"))
        rdd = sc.parallelize(range(100), 2).map(lambda x: x * 3)
        rdd.checkpoint()
        rdd.count()
        path = os.path.join(rdd.getCheckpointFile(), "part-00001")
        data = open(path, "rb").read()
        open(path, "wb").write(data[:-3])
        try:
            rdd.collect()
            print(json.dumps("read"))
        except Exception as e:
            print(json.dumps([type(e).__name__, str(e).splitlines()[0]]))
        import shutil
        shutil.rmtree(os.path.join(sc._engine.local_dir, "..", "checkpoints"))
    """, tmp_path)
    kind, message = ok_json(out)
    assert kind == "PythonException" or kind.endswith("Error"), kind
    assert "part-00001" in message and "damaged" in message
