"""Store records as Spark's REST API shows them: times as Spark's dates
("2026-11-30T16:10:55.435GMT"), private fields (leading "_") dropped,
and what is computed on demand — an application's attempt, a stage's
per-executor summary, an RDD's distribution, the redacted environment.
Callers hold the store's lock."""

import re
import time

from ember.ui import metrics

_DATES = {"submissionTime", "completionTime", "firstTaskLaunchedTime", "launchTime",
          "addTime", "removeTime", "resultFetchStart"}
REDACTION_REGEX = "(?i)secret|password|token|access[.]?key"
REDACTED = "*********(redacted)"


def date(ms):
    """Spark's REST date: UTC, milliseconds, "GMT" suffix."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000.0)) + ".%03dGMT" % (ms % 1000)


def public(record):
    return {k: (date(v) if k in _DATES and v is not None else v) for k, v in record.items()
            if not k.startswith("_") and not (k in _DATES and v is None)}


def application(store):
    app = store.app
    end = app.get("end")
    updated = app.get("lastUpdated") or store.last_update or app["start"]
    attempt = {"startTime": date(app["start"]), "endTime": date(end) if end else "1969-12-31T23:59:59.999GMT",
               "lastUpdated": date(updated), "duration": end - app["start"] if end else 0,
               "sparkUser": app["user"] or "", "completed": bool(app.get("completed", end is not None)),
               "appSparkVersion": app["sparkVersion"], "startTimeEpoch": app["start"],
               "endTimeEpoch": end if end else -1, "lastUpdatedEpoch": updated}
    if app.get("attemptId") is not None:
        attempt = dict(attemptId=app["attemptId"], **attempt)
    return {"id": app["id"], "name": app["name"], "attempts": [attempt]}


def job(record):
    return public(record)


def stage(store, record, details):
    out = public(record)
    peak = record.get("_peak")
    if peak:
        out["peakExecutorMetrics"] = dict(peak)
    if details:
        tasks = store.tasks.get((record["stageId"], record["attemptId"]), {})
        out["tasks"] = {str(t["taskId"]): task(t) for t in sorted(tasks.values(), key=lambda t: t["taskId"])}
        out["executorSummary"] = _executor_summary(tasks.values(), peak)
    return out


def task(record):
    return public(record)


def _executor_summary(tasks, peak):
    summary = {}
    for t in tasks:
        s = summary.setdefault(t["executorId"], {
            "taskTime": 0, "failedTasks": 0, "succeededTasks": 0, "killedTasks": 0,
            "inputBytes": 0, "inputRecords": 0, "outputBytes": 0, "outputRecords": 0,
            "shuffleRead": 0, "shuffleReadRecords": 0, "shuffleWrite": 0, "shuffleWriteRecords": 0,
            "memoryBytesSpilled": 0, "diskBytesSpilled": 0, "isBlacklistedForStage": False})
        m = t.get("taskMetrics")
        if m is None:
            continue
        s["taskTime"] += t.get("duration", 0)
        status_field = {"SUCCESS": "succeededTasks", "KILLED": "killedTasks"}.get(t["status"], "failedTasks")
        s[status_field] += 1
        for field, group, name in [("inputBytes", "inputMetrics", "bytesRead"),
                                   ("inputRecords", "inputMetrics", "recordsRead"),
                                   ("outputBytes", "outputMetrics", "bytesWritten"),
                                   ("outputRecords", "outputMetrics", "recordsWritten"),
                                   ("shuffleReadRecords", "shuffleReadMetrics", "recordsRead"),
                                   ("shuffleWrite", "shuffleWriteMetrics", "bytesWritten"),
                                   ("shuffleWriteRecords", "shuffleWriteMetrics", "recordsWritten"),
                                   ("memoryBytesSpilled", None, "memoryBytesSpilled"),
                                   ("diskBytesSpilled", None, "diskBytesSpilled")]:
            s[field] += metrics.value(m, group, name)
        s["shuffleRead"] += metrics.shuffle_read_bytes(m)
    for s in summary.values():
        if peak:
            s["peakMemoryMetrics"] = dict(peak)
        s["isExcludedForStage"] = False
    return summary


def executors(store, active_only):
    out = []
    for record in store.executors.values():
        if active_only and not record["isActive"]:
            continue
        shown = public(record)
        if record.get("_peak"):
            shown["peakMemoryMetrics"] = dict(record["_peak"])
        out.append(_ordered_like_spark(shown))
    return out


def _ordered_like_spark(executor):
    """peakMemoryMetrics sits after blacklistedInStages in Spark's JSON."""
    tail = ["attributes", "resources", "resourceProfileId", "isExcluded", "excludedInStages"]
    return dict([(k, v) for k, v in executor.items() if k not in tail] + [(k, executor[k]) for k in tail])


def rdd(record):
    out = {"id": record["id"], "name": record["name"], "numPartitions": record["numPartitions"],
           "numCachedPartitions": len({b["blockName"] for b in record["_blocks"].values()}),
           "storageLevel": record["storageLevel"], "memoryUsed": record["memoryUsed"],
           "diskUsed": record["diskUsed"]}
    out["dataDistribution"] = _distribution(record)
    out["partitions"] = [public(b) for b in record["_blocks"].values()]
    return out


def _distribution(record):
    by_address = {}
    for block in record["_blocks"].values():
        address = block["_address"]
        remaining = record["_remaining"].get(address, 0)
        d = by_address.setdefault(address, {
            "address": address, "memoryUsed": 0, "memoryRemaining": remaining, "diskUsed": 0,
            "onHeapMemoryUsed": 0, "offHeapMemoryUsed": 0, "onHeapMemoryRemaining": remaining,
            "offHeapMemoryRemaining": 0})
        d["memoryUsed"] += block["memoryUsed"]
        d["onHeapMemoryUsed"] += block["memoryUsed"]
        d["diskUsed"] += block["diskUsed"]
    return list(by_address.values())


def environment(store):
    event = store.environment or {}
    jvm = event.get("JVM Information", {})
    pattern = re.compile(dict(event.get("Spark Properties", {})).get("spark.redaction.regex", REDACTION_REGEX))

    def pairs(name, redact=False):
        items = sorted((event.get(name) or {}).items())
        return [[k, REDACTED if redact and (pattern.search(k) or pattern.search(str(v))) else v]
                for k, v in items]

    return {"runtime": {"javaVersion": jvm.get("Java Version", ""), "javaHome": jvm.get("Java Home", ""),
                        "scalaVersion": jvm.get("Scala Version", "")},
            "sparkProperties": pairs("Spark Properties", redact=True),
            "hadoopProperties": pairs("Hadoop Properties", redact=True),
            "systemProperties": pairs("System Properties", redact=True),
            "metricsProperties": pairs("Metrics Properties"),
            "classpathEntries": pairs("Classpath Entries"),
            "resourceProfiles": store.resource_profiles}
