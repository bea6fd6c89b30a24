"""The HTML building blocks of the UI's pages: escaping, tables, a page
with Spark's tabs (Jobs, Stages, Storage, Environment, Executors) and the
stylesheet, served as /static/ember-ui.css — no asset from the internet.
Cells carry data-field="<REST field>" so a test can compare what a page
shows with what the REST API answers."""

import html
import time

TABS = [("jobs", "Jobs"), ("stages", "Stages"), ("storage", "Storage"),
        ("environment", "Environment"), ("executors", "Executors")]

CSS = """
body { font-family: sans-serif; margin: 0; color: #222; }
nav { background: #2c3e50; padding: 0 1em; display: flex; align-items: center; gap: 1.5em; }
nav .brand { color: #fff; font-weight: bold; padding: .6em 0; }
nav a { color: #cfd8dc; text-decoration: none; padding: .6em 0; }
nav a.active { color: #fff; border-bottom: 3px solid #e67e22; }
nav .app { margin-left: auto; color: #cfd8dc; }
main { padding: 1em 2em; }
table { border-collapse: collapse; margin: .5em 0 1.5em; font-size: 90%; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #eceff1; }
tr:nth-child(even) td { background: #fafafa; }
.status-FAILED, .status-failed { color: #c0392b; font-weight: bold; }
.status-RUNNING, .status-ACTIVE { color: #2980b9; font-weight: bold; }
pre.error { white-space: pre-wrap; max-width: 60em; max-height: 12em; overflow: auto; margin: 0; font-size: 85%; }
.bar { background: #ddd; width: 10em; height: 1em; display: inline-block; position: relative; }
.bar span { background: #27ae60; height: 100%; display: block; }
dl.summary dt { font-weight: bold; float: left; clear: left; width: 12em; }
dl.summary dd { margin-left: 12em; }
"""


def e(value):
    return html.escape("" if value is None else str(value))


def link(href, text):
    return '<a href="%s">%s</a>' % (e(href), e(text))


def cell(field, content, raw=False):
    return '<td data-field="%s">%s</td>' % (e(field), content if raw else e(content))


def table(table_id, headers, rows):
    """rows: lists of already-rendered <td> cells."""
    head = "".join("<th>%s</th>" % e(h) for h in headers)
    body = "".join("<tr>%s</tr>" % "".join(r) for r in rows)
    return '<table id="%s"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>' % (e(table_id), head, body)


def duration(ms):
    if ms is None:
        return ""
    if ms < 1000:
        return "%d ms" % ms
    if ms < 60000:
        return "%.1f s" % (ms / 1000.0)
    return "%.1f min" % (ms / 60000.0)


def size(n):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return ("%d %s" % (n, unit)) if unit == "B" else ("%.1f %s" % (n, unit))
        n /= 1024.0


def when(ms):
    return time.strftime("%Y/%m/%d %H:%M:%S", time.localtime(ms / 1000.0)) if ms else ""


def page(base, active, app_name, title, body):
    """A whole page: tabs linking under `base` (the application's root URL)."""
    tabs = "".join('<a href="%s%s/"%s>%s</a>' % (e(base), name, ' class="active"' if name == active else "",
                                                e(label)) for name, label in TABS)
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s - %s</title>'
            '<link rel="stylesheet" href="/static/ember-ui.css"></head><body>'
            '<nav><span class="brand">ember</span>%s<span class="app">%s application UI</span></nav>'
            '<main><h2>%s</h2>%s</main></body></html>'
            % (e(app_name), e(title), tabs, e(app_name), e(title), body))
