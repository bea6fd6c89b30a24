"""The web UI of a running context: where it listens (sc.uiWebUrl,
spark.ui.port, the next free port when taken, spark.ui.enabled=false),
what it serves before any engine event, and that sc.stop() closes it."""

import socket
import urllib.error
import urllib.request

import pytest

from ember import errors
from polling import wait_for
from ui_servers import json_at


def _page(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode()


def test_ui_serves_the_application_and_its_pages(sc):
    assert sc.uiWebUrl.startswith("http://127.0.0.1:")
    (app,) = json_at(sc.uiWebUrl + "/api/v1/applications")
    assert app["id"] == sc.applicationId and app["name"] == sc.appName
    assert app["attempts"][0]["completed"] is False and app["attempts"][0]["appSparkVersion"] == sc.version
    assert json_at(sc.uiWebUrl + "/api/v1/applications/%s" % sc.applicationId)["id"] == sc.applicationId
    status, jobs = _page(sc.uiWebUrl + "/")  # redirected to /jobs/
    assert status == 200 and "Spark Jobs" in jobs and sc.appName in jobs
    env = dict(json_at(sc.uiWebUrl + "/api/v1/applications/%s/environment" % sc.applicationId)["sparkProperties"])
    assert env["spark.master"] == sc.master
    for tab in ("stages", "storage", "executors", "environment"):
        assert _page("%s/%s/" % (sc.uiWebUrl, tab))[0] == 200


def test_a_taken_port_moves_the_ui_to_the_next_free_one(context_with):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        context = context_with({"spark.ui.port": str(port)})
        assert int(context.uiWebUrl.rsplit(":", 1)[1]) > port
        assert json_at(context.uiWebUrl + "/api/v1/applications")[0]["id"] == context.applicationId


def test_stop_closes_the_ui_and_disabled_means_none(context_with):
    context = context_with({})
    url, app_id = context.uiWebUrl, context.applicationId
    assert json_at(url + "/api/v1/applications")[0]["id"] == app_id
    context.stop()
    # The port is free again: nothing answers, or a context of a test running
    # beside this one took it; this application is gone either way.
    try:
        with urllib.request.urlopen(url + "/api/v1/applications", timeout=30) as response:
            answer = response.read().decode()
    except urllib.error.URLError:
        answer = ""
    assert app_id not in answer
    assert context_with({"spark.ui.enabled": "false"}).uiWebUrl is None


def test_a_bad_port_setting_is_named(context_with):
    with pytest.raises(errors.IllegalArgumentException, match="invalid value 'x' for setting spark.ui.port"):
        context_with({"spark.ui.port": "x"})


def test_secrets_are_redacted_on_the_environment_page(context_with):
    context = context_with({"spark.my.secret": "hunter2"})
    status, page = _page(context.uiWebUrl + "/environment/")
    assert "spark.my.secret" in page and "hunter2" not in page


def test_a_job_shows_in_the_rest_api_with_its_metrics(sc, tmp_path):
    """The engine's listener events reach the live UI: a job, its stages and
    their measured task metrics (input from a file, shuffle records)."""
    path = tmp_path / "lines.txt"
    path.write_text("".join("line %d\n" % i for i in range(50)))
    pairs = sc.textFile(str(path), 2).map(lambda line: (len(line), 1))
    group = "metrics-%s" % tmp_path.name  # this test's job, whatever ran in sc before
    sc.setJobGroup(group, "the job this test checks")
    try:
        assert pairs.reduceByKey(lambda a, b: a + b, 3).count() == 2
    finally:
        sc.clearJobGroup()
    api = "%s/api/v1/applications/%s" % (sc.uiWebUrl, sc.applicationId)

    def finished_job():
        jobs = [j for j in json_at(api + "/jobs") if j.get("jobGroup") == group and j["status"] == "SUCCEEDED"]
        return jobs and jobs[0]
    job = wait_for(finished_job, "the job in the live UI")
    assert job["numTasks"] == 5 and job["numCompletedTasks"] == 5
    stages = {s["stageId"]: s for s in json_at(api + "/stages") if s["stageId"] in job["stageIds"]}
    map_stage, = [s for s in stages.values() if s["numTasks"] == 2]
    assert map_stage["status"] == "COMPLETE"
    assert map_stage["inputBytes"] == path.stat().st_size and map_stage["inputRecords"] == 50
    assert map_stage["shuffleWriteRecords"] > 0 and map_stage["shuffleWriteBytes"] > 0
    tasks = json_at("%s/stages/%d/%d/taskList" % (api, map_stage["stageId"], map_stage["attemptId"]))
    assert sum(t["taskMetrics"]["inputMetrics"]["recordsRead"] for t in tasks) == 50
