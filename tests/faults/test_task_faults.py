"""Scenarios 1-3 and 10: tasks that raise, workers that die or hang."""

from harness import ok_json, run_driver


def test_task_raises_once_then_succeeds(tmp_path):
    out = run_driver("""
        sc = make_context()
        def flaky(x):
            tc = TaskContext.get()
            if tc.partitionId() == 2 and tc.attemptNumber() == 0:
                raise RuntimeError("transient")
            return x * x
        total = sc.parallelize(range(100), 4).map(flaky).sum()
        st = sc.statusTracker()
        [job] = st.getJobIdsForGroup()
        stage = st.getStageInfo(st.getJobInfo(job).stageIds[0])
        print(json.dumps([total, stage.numCompletedTasks, stage.numFailedTasks]))
    """, tmp_path)
    assert ok_json(out) == [sum(x * x for x in range(100)), 4, 1]


def test_task_that_always_raises_fails_after_four_attempts(tmp_path):
    out = run_driver("""
        sc = make_context()
        def bad(x):
            if x == 7:
                return 1 / 0
            return x
        try:
            sc.parallelize(range(10), 2).map(bad).collect()
        except Exception as e:
            print(type(e).__name__)
            print(str(e))
        print(json.dumps(sc.parallelize(range(10), 2).sum()))
    """, tmp_path)
    assert ok_json(out) == 45  # the context is still usable
    assert "PythonException" in out.stdout
    assert "Task 1 in stage 0" in out.stdout and "failed 4 times" in out.stdout
    assert "ZeroDivisionError" in out.stdout and "in bad" in out.stdout


def test_dying_workers_are_replaced_and_named(tmp_path):
    out = run_driver("""
        import ctypes
        sc = make_context(**{"ember.test.signalWorker": "*:1:0:9"})  # SIGKILL mid-task
        killed = sc.parallelize(range(1000), 4).map(lambda x: x + 1).sum()
        def segfault_once(x):
            if TaskContext.get().attemptNumber() == 0 and x == 0:
                ctypes.string_at(0)
            return x
        crashed = sc.parallelize(range(100), 2).map(segfault_once).sum()
        def exit_once(x):
            if TaskContext.get().attemptNumber() == 0 and x == 99:
                os._exit(3)
            return x
        exited = sc.parallelize(range(100), 2).map(exit_once).sum()
        errors = []
        for f in (lambda x: ctypes.string_at(0), lambda x: os._exit(3)):
            try:
                sc.parallelize([1], 1).map(f).collect()
            except Exception as e:
                errors.append(str(e).splitlines()[0])
        print(json.dumps([killed, crashed, exited, errors]))
    """, tmp_path)
    killed, crashed, exited, errors = ok_json(out)
    assert (killed, crashed, exited) == (sum(range(1, 1001)), 4950, 4950)
    assert "failed 4 times" in errors[0] and "SIGSEGV" in errors[0]
    assert "failed 4 times" in errors[1] and "exited with code 3" in errors[1]


def test_hung_task_is_cancelled_within_five_seconds(tmp_path):
    out = run_driver("""
        import threading
        sc = make_context(**{"ember.test.signalWorker": "0:0:0:19"})  # SIGSTOP: hangs
        threading.Timer(1.0, sc.cancelAllJobs).start()
        start = time.time()
        try:
            sc.parallelize(range(2), 2).flatMap(lambda x: range(10 ** 8)).count()
            outcome = "finished"
        except Exception as e:
            outcome = type(e).__name__
        elapsed = time.time() - start
        print(json.dumps([outcome, elapsed < 6, sc.parallelize(range(4), 2).count()]))
    """, tmp_path)
    assert ok_json(out) == ["JobCancelledError", True, 4]


def test_speculation_reruns_a_straggler_and_the_first_result_wins(tmp_path):
    out = run_driver("""
        sc = make_context(**{"spark.speculation": "true",
                             "ember.test.slowTask": "*:3:0:60000"})  # partition 3's first attempt stalls
        start = time.time()
        total = sc.parallelize(range(400), 4).map(lambda x: time.sleep(0.002) or x).sum()
        elapsed = time.time() - start
        st = sc.statusTracker()
        [job] = st.getJobIdsForGroup()
        stage = st.getStageInfo(st.getJobInfo(job).stageIds[0])
        print(json.dumps([total, elapsed < 30, stage.numCompletedTasks]))
    """, tmp_path)
    # the straggler (60 s) was overtaken by its copy and killed, not waited for
    assert ok_json(out) == [sum(range(400)), True, 4]


def test_a_save_returns_after_its_speculative_twins_are_killed(tmp_path):
    out = run_driver("""
        sc = make_context(**{"spark.speculation": "true",
                             "ember.test.slowTask": "*:3:0:60000"})  # partition 3's first attempt stalls
        path = os.path.join(WORKDIR, "out")
        sc.parallelize(range(400), 4).map(lambda x: time.sleep(0.002) or x).saveAsTextFile(path)
        st = sc.statusTracker()
        [job] = st.getJobIdsForGroup()
        stage = st.getStageInfo(st.getJobInfo(job).stageIds[0])
        print(json.dumps([sorted(os.listdir(path)), stage.numActiveTasks]))
    """.replace("WORKDIR", repr(str(tmp_path))), tmp_path)
    # the straggler was killed before the commit: nothing left writing, no _temporary
    assert ok_json(out) == [["_SUCCESS", "part-00000", "part-00001", "part-00002", "part-00003"], 0]


def test_without_speculation_the_straggler_is_waited_for(tmp_path):
    out = run_driver("""
        sc = make_context(**{"ember.test.slowTask": "*:3:0:1500"})
        start = time.time()
        total = sc.parallelize(range(400), 4).map(lambda x: x).sum()
        print(json.dumps([total, time.time() - start >= 1.5]))
    """, tmp_path)
    assert ok_json(out) == [sum(range(400)), True]
