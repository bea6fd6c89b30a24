"""What the application, executor, job, stage and task-start events do to the status store (store.AppStore):
one function per event type, registered in registry.HANDLERS (task_end.py
has the task-end, job-end and storage events). Each runs with the
store's lock held. Times are kept as epoch milliseconds (api.py formats
them as Spark's REST API does)."""

from ember.ui import metrics, storage
from ember.ui.registry import handles


@handles("ApplicationStart")
def application_start(store, e):
    store.app.update(id=e.get("App ID"), name=e.get("App Name"), user=e.get("User"),
                     start=e.get("Timestamp"), attemptId=e.get("App Attempt ID"))


@handles("ApplicationEnd")
def application_end(store, e):
    store.app["end"] = e.get("Timestamp")


@handles("LogStart")
def log_start(store, e):
    store.app["sparkVersion"] = e.get("Spark Version", "")


@handles("EnvironmentUpdate")
def environment_update(store, e):
    store.environment = e


@handles("ResourceProfileAdded")
def resource_profile_added(store, e):
    def requests(logged, fields):
        return {name: {rest: r.get(key) for rest, key in fields} for name, r in (logged or {}).items()}
    store.resource_profiles.append({
        "id": e.get("Resource Profile Id", 0),
        "executorResources": requests(e.get("Executor Resource Requests"), [
            ("resourceName", "Resource Name"), ("amount", "Amount"),
            ("discoveryScript", "Discovery Script"), ("vendor", "Vendor")]),
        "taskResources": requests(e.get("Task Resource Requests"), [
            ("resourceName", "Resource Name"), ("amount", "Amount")])})


def stage_key(fields):
    """(stage id, attempt id) of a stage event or its Stage Info."""
    return fields["Stage ID"], fields.get("Stage Attempt ID", 0)


@handles("StageExecutorMetrics")
def stage_executor_metrics(store, e):
    peak = e.get("Executor Metrics") or {}
    stage = store.stages.get((e.get("Stage ID"), e.get("Stage Attempt ID", 0)))
    if stage is not None:
        metrics.keep_peaks(stage, peak)
    metrics.keep_peaks(store.executor(e.get("Executor ID")), peak)


@handles("ExecutorAdded")
def executor_added(store, e):
    info = e.get("Executor Info", {})
    record = store.executor(e["Executor ID"], info.get("Host", ""), e.get("Timestamp"))
    record.update(totalCores=info.get("Total Cores", 0), maxTasks=info.get("Total Cores", 0),
                  executorLogs=info.get("Log Urls", {}), attributes=info.get("Attributes", {}),
                  resourceProfileId=info.get("Resource Profile Id", 0), isActive=True,
                  addTime=e.get("Timestamp"))
    if ":" not in record["hostPort"]:
        record["hostPort"] = info.get("Host", record["hostPort"])


@handles("ExecutorRemoved")
def executor_removed(store, e):
    record = store.executor(e["Executor ID"])
    record.update(isActive=False, removeTime=e.get("Timestamp"), removeReason=e.get("Removed Reason"))


@handles("BlockManagerAdded")
def block_manager_added(store, e):
    manager = e.get("Block Manager ID", {})
    record = store.executor(manager.get("Executor ID"), manager.get("Host", ""), e.get("Timestamp"))
    record["hostPort"] = "%s:%s" % (manager.get("Host", ""), manager.get("Port", ""))
    record["maxMemory"] = e.get("Maximum Memory", 0)
    record["memoryMetrics"]["totalOnHeapStorageMemory"] = e.get("Maximum Onheap Memory", record["maxMemory"])
    record["memoryMetrics"]["totalOffHeapStorageMemory"] = e.get("Maximum Offheap Memory", 0)


@handles("JobStart")
def job_start(store, e):
    infos = sorted(e.get("Stage Infos", []), key=lambda s: s["Stage ID"])
    props = e.get("Properties") or {}
    job_id = e["Job ID"]
    job = {
        "jobId": job_id, "name": infos[-1]["Stage Name"] if infos else "",
        "submissionTime": e.get("Submission Time"), "stageIds": [s["Stage ID"] for s in infos],
        "jobTags": sorted(t for t in props.get("spark.job.tags", "").split(",") if t),
        "status": "RUNNING", "numTasks": sum(s["Number of Tasks"] for s in infos),
        "numActiveTasks": 0, "numCompletedTasks": 0, "numSkippedTasks": 0, "numFailedTasks": 0,
        "numKilledTasks": 0, "numCompletedIndices": 0, "numActiveStages": 0,
        "numCompletedStages": 0, "numSkippedStages": 0, "numFailedStages": 0,
        "killedTasksSummary": {},
    }
    if props.get("spark.job.description"):
        job["description"] = props["spark.job.description"]
    if props.get("spark.jobGroup.id"):
        job["jobGroup"] = props["spark.jobGroup.id"]
    store.jobs[job_id] = job
    for info in infos:
        store.stage_jobs.setdefault(info["Stage ID"], set()).add(job_id)
        key = stage_key(info)
        if key not in store.stages:
            store.stages[key] = _new_stage(info, "PENDING", props)
        storage.note_rdds(store, info)
    trim_jobs(store)


def _new_stage(info, status, props):
    stage = {"status": status, "stageId": info["Stage ID"], "attemptId": info.get("Stage Attempt ID", 0),
             "numTasks": info["Number of Tasks"], "numActiveTasks": 0, "numCompleteTasks": 0,
             "numFailedTasks": 0, "numKilledTasks": 0, "numCompletedIndices": 0,
             "name": info.get("Stage Name", ""), "details": info.get("Details", ""),
             "schedulingPool": props.get("spark.scheduler.pool", "default"),
             "rddIds": [r["RDD ID"] for r in info.get("RDD Info", [])],
             "accumulatorUpdates": [], "killedTasksSummary": {},
             "resourceProfileId": info.get("Resource Profile Id", 0),
             "isShufflePushEnabled": info.get("Shuffle Push Enabled", False),
             "shuffleMergersCount": info.get("Shuffle Push Mergers Count", 0),
             "_indices": set()}
    for field, _, _ in metrics.STAGE_SUMS:
        stage[field] = 0
    stage["shuffleReadBytes"] = 0
    if props.get("spark.job.description"):
        stage["description"] = props["spark.job.description"]
    return stage


def stage_jobs(store, stage_id):
    return [store.jobs[j] for j in store.stage_jobs.get(stage_id, ()) if j in store.jobs]


@handles("StageSubmitted")
def stage_submitted(store, e):
    info = e["Stage Info"]
    key = stage_key(info)
    stage = store.stages.get(key)
    if stage is None:
        stage = store.stages[key] = _new_stage(info, "ACTIVE", e.get("Properties") or {})
    stage["status"] = "ACTIVE"
    stage["submissionTime"] = info.get("Submission Time")
    storage.note_rdds(store, info)
    for job in stage_jobs(store, key[0]):
        job["numActiveStages"] += 1
    store.tasks.setdefault(key, {})
    _trim_stages(store)


@handles("StageCompleted")
def stage_completed(store, e):
    info = e["Stage Info"]
    key = stage_key(info)
    stage = store.stages.get(key)
    if stage is None:
        return
    failed = "Failure Reason" in info
    stage["status"] = "FAILED" if failed else "COMPLETE"
    stage["completionTime"] = info.get("Completion Time")
    if failed:
        stage["failureReason"] = info["Failure Reason"]
    for job in stage_jobs(store, key[0]):
        job["numActiveStages"] -= 1
        job["numFailedStages" if failed else "numCompletedStages"] += 1
    storage.note_rdds(store, info)
    _trim_stages(store)


@handles("TaskStart")
def task_start(store, e):
    info = e["Task Info"]
    key = stage_key(e)
    tasks = store.tasks.setdefault(key, {})
    tasks[info["Task ID"]] = {
        "taskId": info["Task ID"], "index": info["Index"], "attempt": info["Attempt"],
        "partitionId": info.get("Partition ID", info["Index"]), "launchTime": info["Launch Time"],
        "executorId": info["Executor ID"], "host": info["Host"], "status": "RUNNING",
        "taskLocality": info.get("Locality", "PROCESS_LOCAL"), "speculative": info.get("Speculative", False),
        "accumulatorUpdates": [], "executorLogs": {}, "schedulerDelay": 0, "gettingResultTime": 0,
    }
    stage = store.stages.get(key)
    if stage is not None:
        stage["numActiveTasks"] += 1
        stage.setdefault("firstTaskLaunchedTime", info["Launch Time"])
    for job in stage_jobs(store, key[0]):
        job["numActiveTasks"] += 1
    store.executor(info["Executor ID"], info["Host"])["activeTasks"] += 1


def trim_jobs(store):
    store.forget_finished(store.jobs, store.limits[0], lambda j: j["status"] == "RUNNING",
                           lambda j: j.get("completionTime"))


def _trim_stages(store):
    for key in store.forget_finished(store.stages, store.limits[1],
                                      lambda s: s["status"] in ("ACTIVE", "PENDING"),
                                      lambda s: s.get("completionTime")):
        store.tasks.pop(key, None)
        if not any(k[0] == key[0] for k in store.stages):  # its last attempt went
            store.stage_jobs.pop(key[0], None)


def trim_tasks(store, key):
    tasks = store.tasks.get(key, {})
    store.forget_finished(tasks, store.limits[2], lambda t: t["status"] == "RUNNING",
                           lambda t: t["launchTime"] + t.get("duration", 0))
