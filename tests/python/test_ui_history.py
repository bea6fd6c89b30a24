"""`ember history` and the status store on a real PySpark event log: the
numbers it shows, its pages and links, retain limits, redaction, and bad
or unfinished logs (named and skipped, never a crash)."""

import re
import shutil
import subprocess
import urllib.request

import pytest

from ember.ui import eventlog
from ui_servers import EmberHistory, json_at, shared_pyspark_log

pytestmark = pytest.mark.timeout(900)  # a PySpark application writes the log first


@pytest.fixture(scope="module")
def log_dir(tmp_path_factory):
    return shared_pyspark_log(tmp_path_factory)


@pytest.fixture(scope="module")
def log_file(log_dir):
    (path,) = eventlog.find_logs(str(log_dir))
    return path


def _page(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def test_store_holds_what_the_application_did(log_file):
    store = eventlog.load(log_file)
    assert store.app["name"] == "ui-test-app" and store.app["completed"]
    jobs = {j["jobId"]: j for j in store.jobs.values()}
    assert [jobs[i]["status"] for i in sorted(jobs)] == ["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED"]
    assert jobs[0]["numTasks"] == 8 and jobs[0]["numCompletedTasks"] == 8  # map and reduce stages of 4
    assert jobs[2]["numSkippedStages"] == 1 and jobs[2]["numSkippedTasks"] == 4  # the map stage again
    assert jobs[3]["numFailedTasks"] >= 1 and jobs[3]["numFailedStages"] == 1
    failed = [t for tasks in store.tasks.values() for t in tasks.values() if t["status"] == "FAILED"]
    assert failed and all("boom: a failing task" in t["errorMessage"] for t in failed)
    (rdd,) = [r for r in store.rdds.values() if r["_blocks"]]
    assert rdd["name"] == "cached pairs" and rdd["storageLevel"] == "Memory Serialized 1x Replicated"
    assert len(rdd["_blocks"]) == 4 and rdd["memoryUsed"] > 0
    assert store.jobs[2]["stageIds"] == [3, 4] and store.stages[(3, 0)]["status"] == "SKIPPED"
    written = store.stages[(0, 0)]["shuffleWriteBytes"]
    assert written > 0 and [store.stages[(s, 0)]["shuffleReadBytes"] for s in (1, 4)] == [written, written]


def test_retain_limits_forget_the_oldest_finished(log_file):
    store = eventlog.load(log_file, {"spark.ui.retainedJobs": "1", "spark.ui.retainedStages": "2",
                                     "spark.ui.retainedTasks": "1"})
    assert list(store.jobs) == [3]  # the last job
    assert len(store.stages) == 2 and (5, 0) in store.stages
    assert all(len(tasks) <= 1 for tasks in store.tasks.values())


def test_secrets_are_redacted(log_dir):
    with EmberHistory(log_dir) as server:
        app = json_at(server.url + "/api/v1/applications")[0]["id"]
        env = dict(json_at(server.url + "/api/v1/applications/%s/environment" % app)["sparkProperties"])
        page = _page(server.url + "/history/%s/environment/" % app)
    assert env["spark.test.password"] == "*********(redacted)"
    assert "hunter2" not in page and "spark.test.password" in page


def test_pages_show_the_rest_numbers_and_link_job_stage_tasks(log_dir):
    with EmberHistory(log_dir) as server:
        api = server.url + "/api/v1/applications/"
        app = json_at(api)[0]["id"]
        front = _page(server.url + "/")
        assert "/history/%s/jobs/" % app in front
        jobs_page = _page(server.url + "/history/%s/jobs/" % app)
        failed = json_at(api + app + "/jobs?status=failed")[0]
        job_link = "/history/%s/jobs/job/?id=%d" % (app, failed["jobId"])
        assert 'href="%s"' % job_link in jobs_page
        assert jobs_page.count('<div class="row">') == len(json_at(api + app + "/jobs"))  # the timeline
        job_page = _page(server.url + job_link)
        stage_id = failed["stageIds"][0]
        stage_link = "/history/%s/stages/stage/?id=%d&amp;attempt=0" % (app, stage_id)
        assert stage_link in job_page
        stage_page = _page(server.url + stage_link.replace("&amp;", "&"))
        stage = json_at(api + app + "/stages/%d/0" % stage_id)
        shown = dict(re.findall(r'<dd data-field="(\w+)">([^<]*)</dd>', stage_page))
        assert shown == {"status": stage["status"], "numTasks": str(stage["numTasks"]),
                         "numCompleteTasks": str(stage["numCompleteTasks"]),
                         "numFailedTasks": str(stage["numFailedTasks"])}
        assert stage_page.count('<td data-field="taskId">') == len(stage["tasks"])
        assert "boom: a failing task" in stage_page
        for tab in ("stages", "storage", "executors", "environment"):
            assert "<h2>" in _page(server.url + "/history/%s/%s/" % (app, tab))


def test_bad_logs_are_named_and_skipped(log_dir, log_file, tmp_path):
    shutil.copy(log_file, tmp_path / "local-1-good")
    (tmp_path / "not-json").write_text('{"Event": "SparkListenerLogStart"}\nthis is not json\n{}\n')
    (tmp_path / "no-start").write_text('{"Event": "SparkListenerLogStart", "Spark Version": "4.0.1"}\n')
    with EmberHistory(tmp_path) as server:
        apps = json_at(server.url + "/api/v1/applications")
        front = _page(server.url + "/")
    assert [a["name"] for a in apps] == ["ui-test-app"]
    errors = server.stderr()
    assert "not-json, line 2: not a JSON event" in errors
    assert "no-start has no SparkListenerApplicationStart event" in errors
    assert "not-json, line 2" in front


def test_an_unfinished_log_is_in_progress_and_a_torn_last_line_is_not_an_error(log_file, tmp_path):
    lines = open(log_file).read().splitlines()
    end = [i for i, line in enumerate(lines) if '"SparkListenerJobEnd"' in line][0]
    partial = "\n".join(lines[:end]) + "\n" + lines[end][:20]  # the job's end half written
    (tmp_path / "local-2.inprogress").write_text(partial)
    with EmberHistory(tmp_path) as server:
        (app,) = json_at(server.url + "/api/v1/applications")
        jobs = json_at(server.url + "/api/v1/applications/%s/jobs" % app["id"])
    assert app["attempts"][0]["completed"] is False
    assert [j["status"] for j in jobs] == ["RUNNING"]
    assert jobs[0]["numCompletedTasks"] == 8 and jobs[0]["numActiveTasks"] == 0


def test_zstd_logs_are_read_and_other_codecs_named(log_file, tmp_path):
    """Spark 4 compresses event logs with zstd by default (`<appId>.zstd`,
    or events_<n>_<appId>.zstd in a rolling log's directory)."""
    rolling = tmp_path / "eventlog_v2_local-3"
    rolling.mkdir()
    subprocess.run(["zstd", "-q", log_file, "-o", str(rolling / "events_1_local-3.zstd")], check=True)
    (rolling / "appstatus_local-3").write_text("")
    shutil.copy(log_file, tmp_path / "local-4.lz4")
    plain = eventlog.load(log_file)
    packed = eventlog.load(str(rolling))
    assert packed.app["completed"] and packed.jobs == plain.jobs and packed.tasks == plain.tasks
    with pytest.raises(eventlog.EventLogError, match="compressed with lz4 are not supported.*local-4.lz4"):
        eventlog.load(str(tmp_path / "local-4.lz4"))


def test_a_missing_directory_is_named(tmp_path):
    with pytest.raises(RuntimeError, match="event log directory does not exist: .*nowhere"):
        EmberHistory(tmp_path / "nowhere")
