"""The web UI in a real browser (tests/ui/browse.mjs: headless Debian
chromium driven by playwright-core): from the jobs page to a job, its
stage and its tasks, then the other tabs, checking that each page shows
what the REST API answers; screenshots in build/ui-screenshots/. Runs on
`ember history` over PySpark-written event logs — during a job that
waits for a file the test creates, and after — and on a live context's
UI after the same jobs ran on ember, and while its held job runs (FIFO,
and FAIR with the pools table)."""

import os
import pathlib
import subprocess
import threading

import pytest

from polling import wait_for
from reference import node_modules
from ui.pyspark_job import run_jobs
from ui_servers import EmberHistory, json_at, run_pyspark_job, shared_pyspark_log

pytestmark = pytest.mark.timeout(900)
ROOT = pathlib.Path(__file__).resolve().parents[2]
BROWSE = ROOT / "tests" / "ui" / "browse.mjs"
SHOTS = ROOT / "build" / "ui-screenshots"


def browse(server_url, app_id, label):
    """browse.mjs over one application of `ember history` at server_url."""
    return browse_pages("%s/history/%s/" % (server_url, app_id),
                        "%s/api/v1/applications/%s" % (server_url, app_id), label)


def browse_pages(app_url, api_url, label):
    SHOTS.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["node", str(BROWSE), app_url, api_url, str(SHOTS), label],
        env=dict(os.environ, EMBER_NODE_MODULES=node_modules()),
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (SHOTS / ("%s-stage.png" % label)).stat().st_size > 0
    return result.stdout


def test_pages_match_the_rest_api_after_the_application(tmp_path_factory):
    with EmberHistory(shared_pyspark_log(tmp_path_factory)) as server:
        app = json_at(server.url + "/api/v1/applications")[0]["id"]
        checked = browse(server.url, app, "finished")
    assert "ok finished: failed-jobs job ids" in checked and "task statuses" in checked


HELD_JOB = 4  # pyspark_job.py's fifth job, whose tasks wait for the release file


def _held_job_running(url):
    """The app id once the held job shows as running. From then on the log
    does not change until the release (Spark logs no event while tasks run,
    and the job's start is flushed), so pages and REST answers are stable."""
    apps = json_at(url + "/api/v1/applications")
    if not apps:
        return None
    jobs = json_at("%s/api/v1/applications/%s/jobs?status=running" % (url, apps[0]["id"]))
    return any(j["jobId"] == HELD_JOB for j in jobs) and apps[0]["id"]


def test_pages_match_the_rest_api_while_a_job_runs(tmp_path):
    log_dir, hold = tmp_path / "logs", tmp_path / "release"
    log_dir.mkdir()
    job = run_pyspark_job(log_dir, hold)
    try:
        with EmberHistory(log_dir) as server:
            app = wait_for(lambda: _held_job_running(server.url), "the held job running", timeout=600)
            checked = browse(server.url, app, "running")
            assert "ok running: active-jobs job ids" in checked
            hold.touch()
            assert job.wait(timeout=600) == 0
            wait_for(lambda: json_at(server.url + "/api/v1/applications?status=completed"),
                     "the application to complete", timeout=60)
            browse(server.url, app, "released")
    finally:
        hold.touch()
        job.kill()
        job.wait()


def _live_jobs(context, count, status=None):
    url = "%s/api/v1/applications/%s/jobs" % (context.uiWebUrl, context.applicationId)
    jobs = json_at(url + ("?status=" + status if status else ""))
    return len(jobs) >= count and jobs


def browse_live(context, label):
    return browse_pages(context.uiWebUrl + "/",
                        "%s/api/v1/applications/%s" % (context.uiWebUrl, context.applicationId), label)


def test_the_same_script_runs_against_a_live_context(context_with):
    """A live context's UI, fed by the engine's listener events, after the
    same jobs as the PySpark application's ran on ember."""
    context = context_with({})
    run_jobs(context)
    wait_for(lambda: _live_jobs(context, 4) and not _live_jobs(context, 1, "running"),
             "the four jobs ended in the live UI")
    jobs = _live_jobs(context, 4)
    assert sorted(j["status"] for j in jobs) == ["FAILED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]
    checked = browse_live(context, "live")
    assert "ok live: failed-jobs job ids" in checked and "cached RDD ids" in checked


def test_a_live_context_shows_a_running_job(context_with, tmp_path):
    context = context_with({})
    hold = tmp_path / "release"
    held = threading.Thread(target=run_jobs, args=(context, str(hold)))
    held.start()
    try:
        wait_for(lambda: _live_jobs(context, 1, "running"), "the held job running", timeout=300)
        checked = browse_live(context, "live-running")
        assert "ok live-running: active-jobs job ids" in checked
    finally:
        hold.touch()
        held.join()


def test_a_live_fair_context_shows_its_pools(context_with, tmp_path):
    allocations = tmp_path / "fair.xml"
    allocations.write_text('<allocations><pool name="etl"><weight>2</weight></pool></allocations>')
    context = context_with({"spark.scheduler.mode": "FAIR", "spark.scheduler.allocation.file": str(allocations)})
    hold = tmp_path / "release"

    def in_pool_etl():
        context.setLocalProperty("spark.scheduler.pool", "etl")
        run_jobs(context, str(hold))
    held = threading.Thread(target=in_pool_etl)
    held.start()
    api = "%s/api/v1/applications/%s" % (context.uiWebUrl, context.applicationId)
    try:
        wait_for(lambda: sum(s["numActiveTasks"] for s in json_at(api + "/stages?status=active")) == 2,
                 "the held job's two tasks running", timeout=300)
        checked = browse_live(context, "live-fair")
        assert "ok live-fair: pool etl active stage ids" in checked, checked
        assert "ok live-fair: pools' running tasks" in checked, checked
    finally:
        hold.touch()
        held.join()
