"""The web UI in a real browser (tests/ui/browse.mjs: headless Debian
chromium driven by playwright-core): from the jobs page to a job, its
stage and its tasks, then the other tabs, checking that each page shows
what the REST API answers; screenshots in build/ui-screenshots/. Runs on
`ember history` over PySpark-written event logs — during a job that
waits for a file the test creates, and after — and on a live context's
UI fed the same events."""

import os
import pathlib
import subprocess

import pytest

from ember.ui import eventlog
from polling import wait_for
from reference import node_modules
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


def test_the_same_script_runs_against_a_live_context(context_with, tmp_path_factory):
    """A live context's UI, its store fed the PySpark log's events as the
    engine's listener events will feed it (all but the application start:
    the context's own is there)."""
    (log,) = eventlog.find_logs(str(shared_pyspark_log(tmp_path_factory)))
    context = context_with({})
    for event in eventlog.read_events(log):
        if event["Event"] != "SparkListenerApplicationStart":
            context._ui.store.apply(event)
    checked = browse_pages(context.uiWebUrl + "/",
                           "%s/api/v1/applications/%s" % (context.uiWebUrl, context.applicationId), "live")
    assert "ok live: failed-jobs job ids" in checked
