"""What the task-end and job-end events do to the status store: a task's
status, duration, error and metrics; their sums on its stage, its jobs and
its executor; a job's result and its never-run stages marked SKIPPED."""

from ember.ui import handlers, metrics
from ember.ui.registry import handles

_REASON_STATUS = {"Success": "SUCCESS", "TaskKilled": "KILLED", "TaskCommitDenied": "KILLED"}
# a finished task's status -> (job counter, stage counter)
_COUNTERS = {"SUCCESS": ("numCompletedTasks", "numCompleteTasks"),
             "FAILED": ("numFailedTasks", "numFailedTasks"),
             "KILLED": ("numKilledTasks", "numKilledTasks")}


@handles("TaskEnd")
def task_end(store, e):
    info = e["Task Info"]
    key = handlers.stage_key(e)
    reason = e.get("Task End Reason") or {"Reason": "Success"}
    status = _REASON_STATUS.get(reason.get("Reason"), "FAILED")
    measured = metrics.task_metrics(e.get("Task Metrics") or {})
    task = store.tasks.setdefault(key, {}).get(info["Task ID"])
    if task is not None:
        task.update(status=status, taskMetrics=measured,
                    duration=info.get("Finish Time", info["Launch Time"]) - info["Launch Time"])
        task["gettingResultTime"] = _getting_result_time(info)
        task["schedulerDelay"] = _scheduler_delay(task, measured)
        if status != "SUCCESS":
            task["errorMessage"] = _error_message(reason)
    job_counter, stage_counter = _COUNTERS[status]
    stage = store.stages.get(key)
    if stage is not None:
        metrics.keep_peaks(stage, e.get("Task Executor Metrics") or {})
        stage["numActiveTasks"] -= 1
        stage[stage_counter] += 1
        _add_metrics(stage, measured)
        if status == "SUCCESS":
            stage["_indices"].add(info["Index"])
            stage["numCompletedIndices"] = len(stage["_indices"])
    for job in handlers.stage_jobs(store, key[0]):
        job["numActiveTasks"] -= 1
        job[job_counter] += 1
        if status == "SUCCESS":
            job.setdefault("_indices", set()).add((key[0], info["Index"]))
            job["numCompletedIndices"] = len(job["_indices"])
    executor = store.executor(info["Executor ID"], info["Host"])
    _count_on_executor(executor, info, status, measured)
    metrics.keep_peaks(executor, e.get("Task Executor Metrics") or {})
    handlers.trim_tasks(store, key)


def _add_metrics(stage, measured):
    for field, group, name in metrics.STAGE_SUMS:
        stage[field] += metrics.value(measured, group, name)
    stage["shuffleReadBytes"] += metrics.shuffle_read_bytes(measured)


def _count_on_executor(executor, info, status, measured):
    executor["activeTasks"] -= 1
    executor["totalTasks"] += 1
    executor["completedTasks" if status == "SUCCESS" else "failedTasks"] += status != "KILLED"
    executor["totalDuration"] += info.get("Finish Time", info["Launch Time"]) - info["Launch Time"]
    executor["totalGCTime"] += measured["jvmGcTime"]
    executor["totalInputBytes"] += measured["inputMetrics"]["bytesRead"]
    executor["totalShuffleRead"] += metrics.shuffle_read_bytes(measured)
    executor["totalShuffleWrite"] += measured["shuffleWriteMetrics"]["bytesWritten"]


def _getting_result_time(info):
    start = info.get("Getting Result Time", 0)
    return info.get("Finish Time", start) - start if start else 0


def _scheduler_delay(task, measured):
    """Spark's definition: the task's time not spent deserializing, running,
    serializing its result or getting it fetched."""
    busy = (measured["executorDeserializeTime"] + measured["executorRunTime"]
            + measured["resultSerializationTime"] + task["gettingResultTime"])
    return max(0, task["duration"] - busy)


def _error_message(reason):
    if reason.get("Reason") == "ExceptionFailure":
        return reason.get("Full Stack Trace") or "%s: %s\n%s" % (
            reason.get("Class Name", ""), reason.get("Description", ""), reason.get("Stack Trace", ""))
    return reason.get("Description") or reason.get("Kill Reason") or reason.get("Reason", "")


@handles("JobEnd")
def job_end(store, e):
    job = store.jobs.get(e["Job ID"])
    if job is None:
        return
    result = e.get("Job Result") or {}
    job["status"] = "SUCCEEDED" if result.get("Result") == "JobSucceeded" else "FAILED"
    job["completionTime"] = e.get("Completion Time")
    for stage_id in job["stageIds"]:
        for (sid, _), stage in store.stages.items():
            if sid == stage_id and stage["status"] == "PENDING":
                stage["status"] = "SKIPPED"
                job["numSkippedStages"] += 1
                job["numSkippedTasks"] += stage["numTasks"]
    handlers.trim_jobs(store)
