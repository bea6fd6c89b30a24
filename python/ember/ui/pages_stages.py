"""The Stages tab: all stages by state, and one stage attempt's page with
its summary and its tasks (attempt, executor, duration, records and bytes
read and written, shuffle read and write, spill, error). Stage tables of
a UI showing fair scheduler pools (store.scheduler_pools, pages_pools.py)
have a Pool Name column. Callers hold the store's lock; `base` is the
application's root URL."""

import urllib.parse

from ember.ui import html as h
from ember.ui import metrics

_SECTIONS = [("ACTIVE", "Active Stages"), ("PENDING", "Pending Stages"), ("COMPLETE", "Completed Stages"),
             ("SKIPPED", "Skipped Stages"), ("FAILED", "Failed Stages")]


def pool_href(base, name):
    """The page of the fair scheduler pool `name`."""
    return "%sstages/pool/?%s" % (base, urllib.parse.urlencode({"poolname": name}))


def _stage_row(base, stage, now, pools):
    start = stage.get("submissionTime")
    took = (stage.get("completionTime") or now) - start if start else None
    href = "%sstages/stage/?id=%d&attempt=%d" % (base, stage["stageId"], stage["attemptId"])
    pool = stage["schedulingPool"]
    return [h.cell("stageId", stage["stageId"]), h.cell("attemptId", stage["attemptId"])] + (
        [h.cell("schedulingPool", h.link(pool_href(base, pool), pool), raw=True)] if pools else []) + [
            h.cell("name", h.link(href, stage["name"]), raw=True),
            h.cell("submissionTime", h.when(start)), h.cell("duration", h.duration(took)),
            h.cell("numCompleteTasks", "%d/%d" % (stage["numCompleteTasks"], stage["numTasks"])),
            h.cell("inputBytes", h.size(stage["inputBytes"])),
            h.cell("outputBytes", h.size(stage["outputBytes"])),
            h.cell("shuffleReadBytes", h.size(stage["shuffleReadBytes"])),
            h.cell("shuffleWriteBytes", h.size(stage["shuffleWriteBytes"])),
            h.cell("status", '<span class="status-%s">%s</span>' % (stage["status"], stage["status"]), raw=True),
            h.cell("failureReason", '<pre class="error">%s</pre>' % h.e(stage.get("failureReason", "")), raw=True)]


def stage_table(store, base, table_id, stages, now):
    pools = store.scheduler_pools is not None
    return h.table(table_id, ["Stage Id", "Attempt"] + (["Pool Name"] if pools else []) + [
                       "Description", "Submitted", "Duration", "Tasks: Succeeded/Total", "Input", "Output",
                       "Shuffle Read", "Shuffle Write", "Status", "Failure Reason"],
                   [_stage_row(base, s, now, pools) for s in stages])


def stages_page(store, base, now, above=""):
    """`above`: HTML shown before the stage tables (the pools of a FAIR context)."""
    stages = sorted(store.stages.values(), key=lambda s: (-s["stageId"], -s["attemptId"]))
    body = above
    for status, title in _SECTIONS:
        chosen = [s for s in stages if s["status"] == status]
        body += "<h3>%s (%d)</h3>" % (h.e(title), len(chosen))
        body += stage_table(store, base, status.lower() + "-stages", chosen, now)
    return h.page(base, "stages", store.app["name"], "Stages for All Jobs", body)


def _task_row(task, now):
    m = task.get("taskMetrics") or metrics.task_metrics({})
    took = task.get("duration", now - task["launchTime"])
    read = m["shuffleReadMetrics"]
    write = m["shuffleWriteMetrics"]
    return [h.cell("index", task["index"]), h.cell("taskId", task["taskId"]),
            h.cell("attempt", task["attempt"]), h.cell("status", task["status"]),
            h.cell("executorId", task["executorId"]), h.cell("host", task["host"]),
            h.cell("launchTime", h.when(task["launchTime"])), h.cell("duration", h.duration(took)),
            h.cell("inputRecords", "%s / %d" % (h.size(m["inputMetrics"]["bytesRead"]),
                                                m["inputMetrics"]["recordsRead"])),
            h.cell("outputRecords", "%s / %d" % (h.size(m["outputMetrics"]["bytesWritten"]),
                                                 m["outputMetrics"]["recordsWritten"])),
            h.cell("shuffleReadRecords", "%s / %d" % (h.size(metrics.shuffle_read_bytes(m)), read["recordsRead"])),
            h.cell("shuffleWriteRecords", "%s / %d" % (h.size(write["bytesWritten"]), write["recordsWritten"])),
            h.cell("spill", "%s / %s" % (h.size(m["memoryBytesSpilled"]), h.size(m["diskBytesSpilled"]))),
            h.cell("errorMessage", '<pre class="error">%s</pre>' % h.e(task.get("errorMessage", "")), raw=True)]


def stage_page(store, base, stage_id, attempt, now):
    stage = store.stages.get((stage_id, attempt))
    if stage is None:
        return None
    tasks = sorted(store.tasks.get((stage_id, attempt), {}).values(), key=lambda t: t["taskId"])
    summary = ('<dl class="summary"><dt>Status</dt><dd data-field="status">%s</dd>'
               '<dt>Tasks</dt><dd data-field="numTasks">%d</dd>'
               '<dt>Completed tasks</dt><dd data-field="numCompleteTasks">%d</dd>'
               '<dt>Failed tasks</dt><dd data-field="numFailedTasks">%d</dd></dl>'
               % (h.e(stage["status"]), stage["numTasks"], stage["numCompleteTasks"], stage["numFailedTasks"]))
    body = summary + "<h3>Tasks (%d)</h3>" % len(tasks) + h.table(
        "tasks", ["Index", "Task Id", "Attempt", "Status", "Executor", "Host", "Launch Time", "Duration",
                  "Input Size / Records", "Output Size / Records", "Shuffle Read Size / Records",
                  "Shuffle Write Size / Records", "Spill (Memory / Disk)", "Errors"],
        [_task_row(t, now) for t in tasks])
    return h.page(base, "stages", store.app["name"],
                  "Details for Stage %d (Attempt %d)" % (stage_id, attempt), body)
