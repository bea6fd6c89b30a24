"""URL routing of the UI: /api/v1/... (api.py), the pages (pages_*.py)
and /static/ember-ui.css. A live UI serves one application at / (Spark's
/jobs/, /jobs/job/?id=N, /stages/, /stages/stage/?id=N&attempt=M,
/stages/pool/?poolname=P (a FAIR context's), /storage/, /storage/rdd/?id=N,
/executors/, /environment/); the history
server lists its applications at / and serves each under
/history/<appId>/. `route(path, query)` returns (HTTP status, content
type, body bytes), as server.UIServer wants."""

import json
import time

from ember.ui import api, html, pages_app, pages_jobs, pages_pools, pages_stages, timeline


class Site:
    def __init__(self, apps, history=False, problems=lambda: []):
        """apps: a function returning {app id: AppStore}; problems: one
        returning the history server's unreadable logs (messages)."""
        self._apps = apps
        self._history = history
        self._problems = problems

    def route(self, path, query):
        parts = [p for p in path.split("/") if p]
        if path == "/static/ember-ui.css":
            return 200, "text/css", (html.CSS + timeline.CSS).encode()
        if parts[:2] == ["api", "v1"]:
            status, body = api.answer(self._apps(), parts[2:], query)
            if status != 200:
                return status, "text/plain", body.encode()
            return 200, "application/json", json.dumps(body, indent=2).encode()
        if self._history:
            if not parts:
                return _html(pages_app.history_page(self._apps(), self._problems()))
            if parts[0] != "history" or len(parts) < 2:
                return _not_found(path)
            store = self._apps().get(parts[1])
            if store is None:
                return 404, "text/plain", ("no such app: %s" % parts[1]).encode()
            return _app_page(store, "/history/%s/" % parts[1], parts[2:], query)
        apps = list(self._apps().values())
        return _app_page(apps[0], "/", parts, query)


def _html(text):
    return 200, "text/html", text.encode()


def _not_found(what):
    return 404, "text/plain", ("not found: %s" % what).encode()


def _app_page(store, base, parts, query):
    if not parts:
        return 302, "text/plain", (base + "jobs/").encode()
    now = int(time.time() * 1000)
    try:
        with store.lock:
            page = _render(store, base, parts, query, now)
    except ValueError as e:
        return 400, "text/plain", str(e).encode()
    return _html(page) if page is not None else _not_found("/".join(parts) + " " + json.dumps(query))


def _render(store, base, parts, query, now):
    if parts == ["jobs"]:
        return pages_jobs.jobs_page(store, base, now)
    if parts == ["jobs", "job"]:
        return pages_jobs.job_page(store, base, _id(query, "id"), now)
    if parts == ["stages"]:
        return pages_stages.stages_page(store, base, now, pages_pools.pools_section(store, base))
    if parts == ["stages", "pool"]:
        if not query.get("poolname"):
            raise ValueError("poolname: missing")
        return pages_pools.pool_page(store, base, query["poolname"], now)
    if parts == ["stages", "stage"]:
        return pages_stages.stage_page(store, base, _id(query, "id"), _id(query, "attempt", 0), now)
    if parts == ["storage"]:
        return pages_app.storage_page(store, base)
    if parts == ["storage", "rdd"]:
        return pages_app.rdd_page(store, base, _id(query, "id"))
    if parts == ["executors"]:
        return pages_app.executors_page(store, base, now)
    if parts == ["environment"]:
        return pages_app.environment_page(store, base)
    return None


def _id(query, name, default=None):
    text = query.get(name)
    if text is None and default is not None:
        return default
    try:
        return int(text)
    except (TypeError, ValueError):
        raise ValueError("%s: expected a number, got %r" % (name, text)) from None
