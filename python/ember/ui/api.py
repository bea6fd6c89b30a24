"""Spark's monitoring REST API (/api/v1) over status stores, in Spark's
JSON shapes: applications, applications/{id}, and per application jobs,
jobs/{jobId}, stages, stages/{stageId}, stages/{stageId}/{attempt},
.../taskList, executors, allexecutors, storage/rdd, storage/rdd/{rddId},
environment, with Spark's status= filters and taskList's offset, length
and sortBy. `answer(apps, parts, query)` takes the path after /api/v1 split
on "/" and returns (HTTP status, JSON-able object or error text).
"""

from ember.ui import views


class NotFound(Exception):
    pass


class BadRequest(Exception):
    pass


_JOB_STATUSES = ("running", "succeeded", "failed", "unknown")
_STAGE_STATUSES = ("active", "complete", "pending", "failed", "skipped")
def _run_time(task):
    return (task.get("taskMetrics") or {}).get("executorRunTime", -1)


# Ties in run time go by task id in the sort's direction, as Spark's store
# orders them (so the order never depends on which task ended first).
_TASK_SORTS = {"ID": lambda t: t["taskId"], "runtime": lambda t: (_run_time(t), t["taskId"]),
               "-runtime": lambda t: (-_run_time(t), -t["taskId"])}


def answer(apps, parts, query):
    try:
        if parts[:1] != ["applications"]:
            raise NotFound("unknown endpoint: /api/v1/%s" % "/".join(parts))
        if len(parts) == 1:
            wanted = _status(query, ("completed", "running"))
            return 200, [_locked(s, views.application) for s in apps.values()
                         if wanted is None or (wanted == "completed") == s.app.get("completed", False)]
        store = apps.get(parts[1])
        if store is None:
            raise NotFound("no such app: %s" % parts[1])
        with store.lock:
            return 200, _app_endpoint(store, parts[2:], query)
    except NotFound as e:
        return 404, str(e)
    except BadRequest as e:
        return 400, str(e)


def _locked(store, view):
    with store.lock:
        return view(store)


def _app_endpoint(store, rest, query):
    if not rest:
        return views.application(store)
    head, args = rest[0], rest[1:]
    if head == "jobs":
        return _jobs(store, args, query)
    if head == "stages":
        return _stages(store, args, query)
    if head in ("executors", "allexecutors") and not args:
        return views.executors(store, active_only=head == "executors")
    if head == "storage" and args[:1] == ["rdd"]:
        return _rdds(store, args[1:])
    if head == "environment" and not args:
        return views.environment(store)
    raise NotFound("unknown endpoint: %s" % "/".join(rest))


def _jobs(store, args, query):
    if not args:
        wanted = _status(query, _JOB_STATUSES)
        return [views.job(j) for j in sorted(store.jobs.values(), key=lambda j: -j["jobId"])
                if wanted is None or j["status"].lower() == wanted]
    job = store.jobs.get(_int(args[0], "job id"))
    if job is None or len(args) > 1:
        raise NotFound("unknown job: %s" % args[0])
    return views.job(job)


def _stages(store, args, query):
    if not args:
        wanted = _status(query, _STAGE_STATUSES)
        stages = sorted(store.stages.values(), key=lambda s: (-s["stageId"], -s["attemptId"]))
        return [views.stage(store, s, details=False) for s in stages
                if wanted is None or s["status"].lower() == wanted]
    stage_id = _int(args[0], "stage id")
    attempts = sorted((s for (sid, _), s in store.stages.items() if sid == stage_id),
                      key=lambda s: s["attemptId"])
    if not attempts:
        raise NotFound("unknown stage: %d" % stage_id)
    details = query.get("details", "true").lower() != "false"
    if len(args) == 1:
        return [views.stage(store, s, details=details) for s in attempts]
    attempt = _int(args[1], "stage attempt id")
    stage = store.stages.get((stage_id, attempt))
    if stage is None:
        raise NotFound("unknown attempt for stage %d.  Found attempts: [%s]"
                       % (stage_id, ",".join(str(s["attemptId"]) for s in attempts)))
    if len(args) == 2:
        return views.stage(store, stage, details=details)
    if args[2:] == ["taskList"]:
        return _task_list(store, (stage_id, attempt), query)
    raise NotFound("unknown endpoint: stages/%s" % "/".join(args))


def _task_list(store, key, query):
    offset = _int(query.get("offset", "0"), "offset")
    length = _int(query.get("length", "20"), "length")
    sort = query.get("sortBy", "ID")
    if sort not in _TASK_SORTS:
        raise BadRequest("sortBy: unknown sort %r (one of %s)" % (sort, ", ".join(_TASK_SORTS)))
    wanted = query.get("status")
    tasks = [t for t in store.tasks.get(key, {}).values()
             if wanted is None or t["status"].lower() == wanted.lower()]
    tasks.sort(key=_TASK_SORTS[sort])
    return [views.task(t) for t in tasks[offset:offset + length]]


def _rdds(store, args):
    if not args:
        return [views.rdd(r) for r in sorted(store.rdds.values(), key=lambda r: r["id"])
                if r["_blocks"]]
    rdd = store.rdds.get(_int(args[0], "rdd id"))
    if rdd is None or not rdd["_blocks"]:
        raise NotFound("unknown rdd: %s" % args[0])
    return views.rdd(rdd)


def _status(query, allowed):
    value = query.get("status")
    if value is not None and value.lower() not in allowed:
        raise BadRequest("status: unknown status %r (one of %s)" % (value, ", ".join(allowed)))
    return value and value.lower()


def _int(text, what):
    try:
        return int(text)
    except ValueError:
        raise BadRequest("%s: not a number: %r" % (what, text)) from None
