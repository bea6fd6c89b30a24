"""The Storage, Executors and Environment tabs, and the history server's
list of applications. Callers hold the store's lock; `base` is the
application's root URL."""

from ember.ui import html as h
from ember.ui import views


def storage_page(store, base):
    rows = [[h.cell("id", r["id"]),
             h.cell("name", h.link("%sstorage/rdd/?id=%d" % (base, r["id"]), r["name"]), raw=True),
             h.cell("storageLevel", r["storageLevel"]), h.cell("numCachedPartitions", r["numCachedPartitions"]),
             h.cell("numPartitions", r["numPartitions"]), h.cell("memoryUsed", h.size(r["memoryUsed"])),
             h.cell("diskUsed", h.size(r["diskUsed"]))]
            for r in (views.rdd(x) for x in sorted(store.rdds.values(), key=lambda x: x["id"])
                      if x["_blocks"])]
    body = h.table("rdds", ["ID", "RDD Name", "Storage Level", "Cached Partitions", "Partitions",
                            "Size in Memory", "Size on Disk"], rows)
    return h.page(base, "storage", store.app["name"], "Storage", body)


def rdd_page(store, base, rdd_id):
    record = store.rdds.get(rdd_id)
    if record is None or not record["_blocks"]:
        return None
    rdd = views.rdd(record)
    rows = [[h.cell("blockName", b["blockName"]), h.cell("storageLevel", b["storageLevel"]),
             h.cell("memoryUsed", h.size(b["memoryUsed"])), h.cell("diskUsed", h.size(b["diskUsed"])),
             h.cell("executors", ", ".join(b["executors"]))] for b in rdd["partitions"]]
    body = ('<dl class="summary"><dt>Storage Level</dt><dd>%s</dd><dt>Cached Partitions</dt>'
            '<dd data-field="numCachedPartitions">%d</dd></dl>'
            % (h.e(rdd["storageLevel"]), rdd["numCachedPartitions"]))
    body += h.table("partitions", ["Block Name", "Storage Level", "Size in Memory", "Size on Disk", "Executors"], rows)
    return h.page(base, "storage", store.app["name"], "RDD Storage Info for " + rdd["name"], body)


def executors_page(store, base, now):
    rows = []
    for x in views.executors(store, active_only=False):
        record = store.executors[x["id"]]
        up = (record.get("removeTime") or now) - record["addTime"] if record.get("addTime") else None
        rows.append([h.cell("id", x["id"]), h.cell("hostPort", x["hostPort"]),
                     h.cell("isActive", "Active" if x["isActive"] else "Dead"),
                     h.cell("rddBlocks", x["rddBlocks"]),
                     h.cell("memoryUsed", "%s / %s" % (h.size(x["memoryUsed"]), h.size(x["maxMemory"]))),
                     h.cell("diskUsed", h.size(x["diskUsed"])), h.cell("totalCores", x["totalCores"]),
                     h.cell("activeTasks", x["activeTasks"]), h.cell("failedTasks", x["failedTasks"]),
                     h.cell("completedTasks", x["completedTasks"]), h.cell("totalTasks", x["totalTasks"]),
                     h.cell("totalDuration", h.duration(x["totalDuration"])),
                     h.cell("totalInputBytes", h.size(x["totalInputBytes"])),
                     h.cell("totalShuffleRead", h.size(x["totalShuffleRead"])),
                     h.cell("totalShuffleWrite", h.size(x["totalShuffleWrite"])),
                     h.cell("uptime", h.duration(up))])
    body = h.table("executors", ["Executor ID", "Address", "Status", "RDD Blocks", "Storage Memory",
                                 "Disk Used", "Cores", "Active Tasks", "Failed Tasks", "Complete Tasks",
                                 "Total Tasks", "Task Time", "Input", "Shuffle Read", "Shuffle Write",
                                 "Duration"], rows)
    return h.page(base, "executors", store.app["name"], "Executors", body)


def environment_page(store, base):
    env = views.environment(store)
    body = h.table("runtime", ["Name", "Value"],
                   [[h.cell("name", k), h.cell("value", v)] for k, v in env["runtime"].items()])
    for key, title in [("sparkProperties", "Spark Properties"), ("hadoopProperties", "Hadoop Properties"),
                       ("systemProperties", "System Properties"), ("classpathEntries", "Classpath Entries")]:
        body += "<h3>%s</h3>" % title + h.table(key, ["Name", "Value"],
                                                [[h.cell("name", k), h.cell("value", v)] for k, v in env[key]])
    return h.page(base, "environment", store.app["name"], "Environment", body)


def history_page(apps, problems):
    """The history server's front page: one row per application, then the
    event logs that could not be read (named, with why)."""
    rows = []
    for store in sorted(apps.values(), key=lambda s: -(s.app["start"] or 0)):
        app = views.application(store)
        attempt = app["attempts"][0]
        rows.append([h.cell("id", h.link("/history/%s/jobs/" % app["id"], app["id"]), raw=True),
                     h.cell("name", app["name"]), h.cell("startTime", attempt["startTime"]),
                     h.cell("endTime", attempt["endTime"] if attempt["completed"] else ""),
                     h.cell("duration", h.duration(attempt["duration"])),
                     h.cell("sparkUser", attempt["sparkUser"]),
                     h.cell("completed", "completed" if attempt["completed"] else "in progress")])
    body = h.table("applications", ["App ID", "App Name", "Started", "Completed", "Duration", "Spark User",
                                    "State"], rows)
    if problems:
        body += "<h3>Event logs that could not be read</h3><ul id=\"problems\">%s</ul>" % "".join(
            "<li>%s</li>" % h.e(p) for p in problems)
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>History Server</title>'
            '<link rel="stylesheet" href="/static/ember-ui.css"></head><body><nav><span class="brand">ember'
            '</span><span class="app">History Server</span></nav><main><h2>Applications</h2>%s</main></body></html>'
            % body)
