"""The event log is Spark's: Apache Spark's own History Server (from the
PySpark jars of the test venv) lists an ember application's jobs, stages,
tasks and executors from it; the live UI's listener_events() queue carries
the same JSON lines; a missing log directory fails the context's start."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import urllib.request
from operator import add

import pytest

from polling import wait_for
from reference import pyspark_file


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def history_server():
    """Spark's History Server on 127.0.0.1 over a fresh log directory,
    started before the jobs run (a JVM takes seconds to come up)."""
    log_dir = tempfile.mkdtemp(prefix="ember-event-logs-")
    port = _free_port()
    cmd = ["java", "-Xmx512m", "-cp", str(pyspark_file("jars")) + "/*",
           "-Dspark.history.fs.logDirectory=file:" + log_dir,
           "-Dspark.history.ui.port=%d" % port,
           "-Dspark.history.fs.update.interval=1s",
           "org.apache.spark.deploy.history.HistoryServer"]
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")  # the UI binds there only
    log = open(os.path.join(log_dir, ".history-server.out"), "w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    yield log_dir, "http://127.0.0.1:%d/api/v1" % port, proc
    proc.terminate()
    proc.wait(timeout=30)
    log.close()
    shutil.rmtree(log_dir, ignore_errors=True)


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def _completed(api, app_id, proc):
    """The app as the History Server lists it once it read the final log
    (it may have listed the .inprogress one as incomplete before)."""
    assert proc.poll() is None, "the History Server exited"
    try:
        apps = _get(api + "/applications")
    except OSError:  # not listening yet
        return []
    except ValueError:  # an HTML page instead of JSON: while it starts, it answered one once
        return []
    return [a for a in apps if a["id"] == app_id and a["attempts"][0]["completed"]]


def _run_jobs(sc):
    sc.setJobGroup("g1", "three kinds of job")
    pairs = sc.parallelize(range(100), 4).map(lambda x: (x % 3, x)).reduceByKey(add).collect()
    assert sorted(pairs) == [(0, 1683), (1, 1617), (2, 1650)]
    cached = sc.parallelize(range(10), 2).cache()
    assert cached.count() == 10
    assert cached.count() == 10
    cached.unpersist()
    def boom(x):
        raise ValueError("boom %d" % x)

    with pytest.raises(Exception, match="boom"):
        sc.parallelize(range(4), 2).map(boom).count()


def test_history_server_shows_embers_application(context_with, master, history_server):
    log_dir, api, proc = history_server
    sc = context_with({"spark.eventLog.enabled": "true", "spark.eventLog.dir": "file:" + log_dir,
                       "spark.my.password": "hunter2"})
    app_id = sc.applicationId
    assert os.path.exists(os.path.join(log_dir, app_id + ".inprogress"))
    _run_jobs(sc)
    sc.stop()
    path = os.path.join(log_dir, app_id)
    assert os.path.exists(path) and not os.path.exists(path + ".inprogress")
    with open(path) as f:
        events = [json.loads(line) for line in f]
    assert events[0] == {"Event": "SparkListenerLogStart", "Spark Version": "4.0.1"}
    assert events[-1]["Event"] == "SparkListenerApplicationEnd"
    env = next(e for e in events if e["Event"] == "SparkListenerEnvironmentUpdate")
    assert env["Spark Properties"]["spark.my.password"] == "*********(redacted)"
    assert {"Event": "SparkListenerUnpersistRDD", "RDD ID": _cached_rdd(events)} in events

    app = wait_for(lambda: _completed(api, app_id, proc), "the History Server to list " + app_id + " completed",
                   timeout=120)
    assert app[0]["name"] == "ember-tests"
    base = "%s/applications/%s" % (api, app_id)
    jobs = sorted(_get(base + "/jobs"), key=lambda j: j["jobId"])
    assert [j["status"] for j in jobs] == ["SUCCEEDED"] * 3 + ["FAILED"]
    assert all(j["jobGroup"] == "g1" for j in jobs)
    assert [len(j["stageIds"]) for j in jobs] == [2, 1, 1, 1]
    assert [j["numCompletedTasks"] for j in jobs[:3]] == [8, 2, 2]
    assert jobs[3]["numFailedTasks"] >= 1
    stages = _get(base + "/stages")
    by_status = sorted((s["status"], s["numTasks"]) for s in stages)
    assert by_status == [("COMPLETE", 2), ("COMPLETE", 2), ("COMPLETE", 4), ("COMPLETE", 4), ("FAILED", 2)]
    failed_stage = next(s for s in stages if s["status"] == "FAILED")
    tasks = _get("%s/stages/%d/%d/taskList" % (base, failed_stage["stageId"], failed_stage["attemptId"]))
    failed_tasks = [t for t in tasks if t["status"] == "FAILED"]
    assert failed_tasks and all("boom" in t["errorMessage"] for t in failed_tasks)
    executors = {e["id"]: e for e in _get(base + "/allexecutors")}
    assert "driver" in executors
    if not master.startswith("local["):
        assert len(executors) == 3  # the driver and two executors
    assert sum(e["totalTasks"] for e in executors.values()) == sum(
        j["numCompletedTasks"] + j["numFailedTasks"] + j["numKilledTasks"] for j in jobs)


def _cached_rdd(events):
    """The RDD whose blocks were cached: the persisted one in a stage's RDD infos."""
    for e in events:
        if e["Event"] == "SparkListenerStageSubmitted":
            for rdd in e["Stage Info"]["RDD Info"]:
                if rdd["Storage Level"]["Use Memory"]:
                    return rdd["RDD ID"]
    raise AssertionError("no persisted RDD in any stage")


def test_listener_events_carry_the_same_json_lines(context_with):
    # Kept from the start; the live UI, which reads them otherwise, is off.
    sc = context_with({"ember.listenerEvents.enabled": "true", "spark.ui.enabled": "false"})
    assert sc.parallelize(range(6), 3).count() == 6
    seen = []

    def job_ended():
        seen.extend(json.loads(line) for line in sc._engine.listener_events(5))
        return any(e["Event"] == "SparkListenerJobEnd" for e in seen)

    wait_for(job_ended, "the job's end event")
    names = [e["Event"] for e in seen]
    assert names[:2] == ["SparkListenerLogStart", "SparkListenerResourceProfileAdded"]
    assert seen[names.index("SparkListenerApplicationStart")]["App ID"] == sc.applicationId
    assert names.index("SparkListenerJobStart") < names.index("SparkListenerStageSubmitted")
    assert names.count("SparkListenerTaskEnd") == 3
    assert names[-1] == "SparkListenerJobEnd"
    assert sc._engine.listener_events(0.05) == []  # nothing new: [] at the timeout


def test_missing_log_directory_fails_the_start(context_with, tmp_path):
    missing = str(tmp_path / "nope")
    with pytest.raises(Exception, match="Log directory %s does not exist" % missing):
        context_with({"spark.eventLog.enabled": "true", "spark.eventLog.dir": missing})
