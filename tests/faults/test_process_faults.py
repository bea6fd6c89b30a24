"""Scenarios 11 and 12: the driver killed mid-job, and tasks that run out
of memory."""

import os
import signal
import subprocess
import sys
import time

from harness import PRELUDE, ROOT, assert_clean, ember_processes, ok_json, run_driver


def test_killed_driver_leaves_no_process_and_its_dir_is_swept(tmp_path):
    code = PRELUDE.format(python=os.path.join(ROOT, "python"), local_dir=str(tmp_path)) + """
sc = make_context()
print(sc._engine.local_dir, flush=True)
sc.parallelize(range(2), 2).map(lambda x: time.sleep(60)).collect()
"""
    driver = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    app_dir = driver.stdout.readline().strip()
    deadline = time.time() + 10
    while len(ember_processes(tmp_path)) < 3 and time.time() < deadline:
        time.sleep(0.05)  # the daemon and both workers are up
    assert len(ember_processes(tmp_path)) >= 3
    driver.send_signal(signal.SIGKILL)
    driver.wait()
    killed_at = time.time()
    while ember_processes(tmp_path) and time.time() < killed_at + 10:
        time.sleep(0.05)
    assert ember_processes(tmp_path) == []
    assert os.path.isdir(app_dir)  # nobody was left to remove it ...
    out = run_driver("""
        sc = make_context()
        print(json.dumps(sc.parallelize(range(5)).count()))
        sc.stop()
    """, tmp_path)
    assert ok_json(out) == 5
    assert not os.path.exists(app_dir)  # ... until the next application started there
    assert_clean(tmp_path)


def test_runaway_allocation_is_a_memory_error_in_that_task(tmp_path):
    out = run_driver("""
        sc = make_context(**{"spark.executor.pyspark.memory": "200m"})
        def hog(_):
            chunks = []
            while True:
                chunks.append(bytearray(10 ** 7))
        try:
            sc.parallelize([0], 1).map(hog).collect()
        except Exception as e:
            print(str(e).splitlines()[0])
            print("MemoryError" in str(e))
        fine = sc.parallelize([0], 1).map(lambda _: len(bytearray(50 * 10 ** 6))).collect()
        print(json.dumps(fine))
    """, tmp_path)
    assert ok_json(out) == [50 * 10 ** 6]  # within the cap, and the context goes on
    assert "failed 4 times" in out.stdout and "True" in out.stdout
