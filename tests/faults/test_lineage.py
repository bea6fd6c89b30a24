"""Scenario 9: 5,000 narrow and 200 shuffle steps run without recursion
errors or quadratic slow-down; checkpointing every 100 steps keeps the
lineage short."""

from harness import ok_json, run_driver

CHAIN = """
        def build(sc, checkpoint_every=None):
            rdd = sc.parallelize([(i % 7, 1) for i in range(70)], 2)
            for step in range(200):
                for _ in range(24):
                    rdd = rdd.mapValues(lambda v: v)
                # 25 x 200 = 5,000 narrow steps; map drops the partitioner, so
                # every reduceByKey shuffles
                rdd = rdd.map(lambda kv: kv)
                rdd = rdd.reduceByKey(lambda a, b: a + b, 2).mapValues(lambda v: v // 10 or 1)
                if checkpoint_every and (step + 1) % checkpoint_every == 0:
                    rdd.checkpoint()
                    rdd.count()
            return rdd
"""


def test_long_lineage_runs(tmp_path):
    out = run_driver(CHAIN + """
        sc = make_context()
        start = time.time()
        rdd = build(sc)
        result = sorted(rdd.collect())
        lines = len(rdd.toDebugString().splitlines())
        print(json.dumps([result, lines, time.time() - start]))
    """, tmp_path, timeout=600)
    result, lines, seconds = ok_json(out)
    assert result == [[k, 1] for k in range(7)]
    assert lines > 400  # the whole lineage is there
    print("5,000 narrow + 200 shuffle steps: %.1f s" % seconds)


def test_checkpoints_keep_long_lineage_short(tmp_path):
    out = run_driver(CHAIN + """
        sc = make_context()
        sc.setCheckpointDir(os.path.join(sc._engine.local_dir, "checkpoints"))
        rdd = build(sc, checkpoint_every=100)
        result = sorted(rdd.collect())
        print(json.dumps([result, len(rdd.toDebugString().splitlines())]))
    """, tmp_path, timeout=600)
    result, lines = ok_json(out)
    assert result == [[k, 1] for k in range(7)]
    assert lines <= 3  # cut at the last checkpoint
