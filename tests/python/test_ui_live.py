"""The web UI of a running context: where it listens (sc.uiWebUrl,
spark.ui.port, the next free port when taken, spark.ui.enabled=false),
what it serves before any engine event, and that sc.stop() closes it."""

import socket
import urllib.error
import urllib.request

import pytest

from ember import errors
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
