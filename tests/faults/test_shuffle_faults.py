"""Scenarios 4-7: lost, corrupt and unavailable shuffle output."""

import pytest

from harness import ok_json, run_driver

PAIRS = """
        data = [(i % 13, i) for i in range(2000)]
        expected = {}
        for k, v in data:
            expected[k] = expected.get(k, 0) + v
        def stage_info(sc):
            st = sc.statusTracker()
            [job] = st.getJobIdsForGroup()
            return [tuple(st.getStageInfo(s)) for s in st.getJobInfo(job).stageIds]
"""


# Local modes only: in the cluster modes a fetch failure loses every output
# of that shuffle on the executor that served it (as in Spark), so how many
# maps rerun depends on where they ran (test_cluster_faults.py covers it).
@pytest.mark.own_master
def test_deleted_map_output_reruns_only_that_map_task(tmp_path):
    out = run_driver(PAIRS + """
        sc = make_context(**{"ember.test.deleteMapOutput": "0:1:0"})
        got = dict(sc.parallelize(data, 4).reduceByKey(lambda a, b: a + b, 3).collect())
        print(json.dumps([got == expected, stage_info(sc)]))
    """, tmp_path)
    right, stages = ok_json(out)
    assert right
    by_id = {s[0]: s for s in stages}
    map_stage = by_id[1]  # (id, attempt, name, tasks, active, completed, failed)
    assert map_stage[1] == 1 and map_stage[3] == 1  # attempt 1 ran the one lost output
    assert map_stage[5] == 5  # 4 map tasks, then the lost one again


def test_corrupt_block_is_detected_and_recomputed(tmp_path):
    out = run_driver(PAIRS + """
        sc = make_context(**{"ember.test.corruptMapOutput": "0:2:0"})
        got = dict(sc.parallelize(data, 4).reduceByKey(lambda a, b: a + b, 3).collect())
        print(json.dumps([got == expected, stage_info(sc)]))
    """, tmp_path)
    right, stages = ok_json(out)
    assert right
    assert {s[0]: s for s in stages}[1][1] == 1  # the map stage ran again


def test_output_that_stays_lost_aborts_after_the_stage_attempts(tmp_path):
    out = run_driver(PAIRS + """
        sc = make_context(**{"ember.test.deleteMapOutput": "0:0:*",
                             "spark.stage.maxConsecutiveAttempts": 3})
        try:
            sc.parallelize(data, 4).reduceByKey(lambda a, b: a + b).collect()
            print(json.dumps("finished"))
        except Exception as e:
            print(json.dumps([type(e).__name__, str(e)]))
    """, tmp_path)
    kind, message = ok_json(out)
    assert kind == "FetchFailedError"
    assert "shuffle 0 map 0" in message and "3" in message


def test_nondeterministic_map_with_lost_output_loses_and_duplicates_nothing(tmp_path):
    out = run_driver("""
        import random
        # a bucket in the middle of map 1's output is damaged: reducers of the
        # buckets before it finish first, with the records of the lost attempt
        sc = make_context(**{"ember.test.corruptMapOutput": "0:1:0"})
        n = 20000
        # random keys: a recomputed map task sends its records elsewhere
        rows = sc.parallelize(range(n), 4).map(lambda i: (random.random(), i))
        ids = rows.partitionBy(5).values().collect()
        print(json.dumps([len(ids), sorted(ids) == list(range(n))]))
    """, tmp_path)
    assert ok_json(out) == [20000, True]
