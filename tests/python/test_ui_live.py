"""The web UI of a running context: where it listens (sc.uiWebUrl,
spark.ui.port, the next free port when taken, spark.ui.enabled=false),
what it serves before any engine event, that sc.stop() closes it, and
the fair scheduler's pools of a FAIR context."""

import os
import re
import socket
import time
import urllib.error
import urllib.request

import pytest

from ember import errors
from polling import wait_for
from threads import run_in_thread
from ui_servers import json_at, pools_shown


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


FAIR_POOLS = """<?xml version="1.0"?>
<allocations>
  <pool name="etl"><schedulingMode>FAIR</schedulingMode><weight>3</weight><minShare>2</minShare></pool>
  <pool name="idle"/>
</allocations>
"""
POOL_FIELDS = ("minShare", "weight", "activeStages", "runningTasks", "schedulingMode")


def _held_until(release):
    """A partition function whose tasks run until the file `release` exists."""
    def task(it):
        while not os.path.exists(release):
            time.sleep(0.01)
        return [sum(it)]
    return task


def _pools(url):
    return {name: tuple(row[f] for f in POOL_FIELDS) for name, row in (pools_shown(_page(url)[1]) or {}).items()}


def _http_error(url):
    with pytest.raises(urllib.error.HTTPError) as failed:
        _page(url)
    return failed.value.code, failed.value.read().decode()


def test_a_fair_context_shows_its_pools_and_each_pools_page(context_with, tmp_path):
    """The Stages page of a FAIR context lists the pools configured (the
    allocation file given as a file: URI), "default", and one used but not
    configured (FIFO, 1, 0), with the active stages and running tasks of
    each; a pool's name links to its page: its row and its active stages.
    The held job's tasks run until the test creates the release file."""
    allocations = tmp_path / "fair.xml"
    allocations.write_text(FAIR_POOLS)
    context = context_with({"spark.scheduler.mode": "FAIR",
                            "spark.scheduler.allocation.file": allocations.as_uri()})
    context.setLocalProperty("spark.scheduler.pool", "adhoc")
    assert context.parallelize(range(4), 2).count() == 4
    context.setLocalProperty("spark.scheduler.pool", None)
    release = tmp_path / "release"

    def held_job():
        context.setLocalProperty("spark.scheduler.pool", "etl")
        return context.parallelize(range(10), 2).mapPartitions(_held_until(str(release))).collect()
    held = run_in_thread(held_job)
    stages_url = context.uiWebUrl + "/stages/"
    try:
        def etl_running_two_tasks():
            pools = _pools(stages_url)
            return "adhoc" in pools and pools["etl"][3] == "2"
        wait_for(etl_running_two_tasks, "pool etl running the held job's two tasks",
                 describe=lambda: _pools(stages_url))
        assert _pools(stages_url) == {
            "adhoc": ("0", "1", "0", "0", "FIFO"), "default": ("0", "1", "0", "0", "FIFO"),
            "etl": ("2", "3", "1", "2", "FAIR"), "idle": ("0", "1", "0", "0", "FIFO")}
        shown = pools_shown(_page(stages_url)[1])
        assert shown["etl"]["href"] == "/stages/pool/?poolname=etl"
        status, page = _page(context.uiWebUrl + shown["etl"]["href"])
        assert status == 200 and "Fair Scheduler Pool: etl" in page
        assert pools_shown(page) == {"etl": shown["etl"]}
        api = "%s/api/v1/applications/%s" % (context.uiWebUrl, context.applicationId)
        active = [str(s["stageId"]) for s in json_at(api + "/stages?status=active")]
        assert len(active) == 1 and re.findall(r'<td data-field="stageId">(\d+)</td>', page) == active
        # FAIR stage tables name each stage's pool, linking to its page
        pool_cell = '<td data-field="schedulingPool"><a href="/stages/pool/?poolname=%s">%s</a></td>'
        assert pool_cell % ("etl", "etl") in page
        assert pool_cell % ("adhoc", "adhoc") in _page(stages_url)[1]
        assert _page(context.uiWebUrl + pools_shown(page)["etl"]["href"])[0] == 200
        assert _http_error(context.uiWebUrl + "/stages/pool/?poolname=nosuch") == \
            (404, 'not found: stages/pool {"poolname": "nosuch"}')
        assert _http_error(context.uiWebUrl + "/stages/pool/")[0] == 400
    finally:
        release.touch()
        held["thread"].join(60)
    assert held.get("result") == [sum(range(5)), sum(range(5, 10))], held
    wait_for(lambda: _pools(stages_url)["etl"][2:4] == ("0", "0"), "pool etl with nothing running")


def test_a_fifo_context_shows_no_pools(sc):
    assert sc.parallelize(range(3), 1).count() == 3
    stages_url = sc.uiWebUrl + "/stages/"
    wait_for(lambda: 'data-field="stageId"' in _page(stages_url)[1], "a stage on the Stages page")
    status, page = _page(stages_url)
    assert status == 200 and pools_shown(page) is None and "Fair Scheduler Pools" not in page
    assert "Pool Name" not in page and 'data-field="schedulingPool"' not in page
    assert _http_error(sc.uiWebUrl + "/stages/pool/?poolname=default")[0] == 404


def test_the_conf_dirs_fairscheduler_xml_configures_the_pools(context_with, tmp_path, monkeypatch):
    """Without spark.scheduler.allocation.file, a FAIR context reads
    fairscheduler.xml of $SPARK_CONF_DIR (Spark's, of its class path); the
    setting, when given, wins."""
    conf_dir = tmp_path / "conf"
    conf_dir.mkdir()
    (conf_dir / "fairscheduler.xml").write_text(
        '<allocations><pool name="nightly"><weight>5</weight></pool></allocations>')
    monkeypatch.setenv("SPARK_CONF_DIR", str(conf_dir))
    context = context_with({"spark.scheduler.mode": "FAIR"})
    assert _pools(context.uiWebUrl + "/stages/") == {
        "default": ("0", "1", "0", "0", "FIFO"), "nightly": ("0", "5", "0", "0", "FIFO")}
    context.stop()
    allocations = tmp_path / "fair.xml"
    allocations.write_text(FAIR_POOLS)
    context = context_with({"spark.scheduler.mode": "FAIR", "spark.scheduler.allocation.file": str(allocations)})
    assert sorted(_pools(context.uiWebUrl + "/stages/")) == ["default", "etl", "idle"]
