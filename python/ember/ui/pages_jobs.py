"""The Jobs tab: all jobs by state (active, completed, failed) with their
stages and tasks done, and one job's page listing its stages. Callers
hold the store's lock; `base` is the application's root URL."""

from ember.ui import html as h
from ember.ui.pages_stages import stage_table
from ember.ui.timeline import timeline

_SECTIONS = [("RUNNING", "Active Jobs", "active-jobs"), ("SUCCEEDED", "Completed Jobs", "completed-jobs"),
             ("FAILED", "Failed Jobs", "failed-jobs")]


def _duration(job, now):
    start = job.get("submissionTime")
    return (job.get("completionTime") or now) - start if start else None


def _progress(done, total):
    width = 100 * done // total if total else 0
    return '<span class="bar"><span style="width:%d%%"></span></span> %d/%d' % (width, done, total)


def _job_row(base, job, now):
    stages_total = len(job["stageIds"]) - job["numSkippedStages"]
    tasks_total = job["numTasks"] - job["numSkippedTasks"]
    title = job.get("description") or job["name"]
    return [h.cell("jobId", job["jobId"]),
            h.cell("name", h.link("%sjobs/job/?id=%d" % (base, job["jobId"]), title), raw=True),
            h.cell("submissionTime", h.when(job.get("submissionTime"))),
            h.cell("duration", h.duration(_duration(job, now))),
            h.cell("numCompletedStages", _progress(job["numCompletedStages"], stages_total), raw=True),
            h.cell("numCompletedTasks", _progress(job["numCompletedTasks"], tasks_total), raw=True),
            h.cell("numFailedTasks", job["numFailedTasks"]),
            h.cell("status", '<span class="status-%s">%s</span>' % (job["status"], job["status"]), raw=True)]


def jobs_page(store, base, now):
    jobs = sorted(store.jobs.values(), key=lambda j: -j["jobId"])
    body = timeline("jobs-timeline", [("Job %d" % j["jobId"], j.get("submissionTime"), j.get("completionTime"),
                                       j["status"], "%sjobs/job/?id=%d" % (base, j["jobId"])) for j in jobs], now)
    for status, title, table_id in _SECTIONS:
        chosen = [j for j in jobs if j["status"] == status]
        body += "<h3>%s (%d)</h3>" % (h.e(title), len(chosen))
        body += h.table(table_id, ["Job Id", "Description", "Submitted", "Duration",
                                   "Stages: Succeeded/Total", "Tasks: Succeeded/Total", "Failed Tasks",
                                   "Status"], [_job_row(base, j, now) for j in chosen])
    return h.page(base, "jobs", store.app["name"], "Spark Jobs", body)


def job_page(store, base, job_id, now):
    job = store.jobs.get(job_id)
    if job is None:
        return None
    summary = ('<dl class="summary"><dt>Status</dt><dd data-field="status">%s</dd>'
               '<dt>Submitted</dt><dd>%s</dd><dt>Duration</dt><dd>%s</dd>'
               '<dt>Tasks</dt><dd data-field="numTasks">%d</dd></dl>'
               % (h.e(job["status"]), h.when(job.get("submissionTime")), h.duration(_duration(job, now)),
                  job["numTasks"]))
    stages = sorted((s for (sid, _), s in store.stages.items() if sid in job["stageIds"]),
                    key=lambda s: (-s["stageId"], -s["attemptId"]))
    body = summary + timeline("stages-timeline", [
        ("Stage %d.%d" % (s["stageId"], s["attemptId"]), s.get("submissionTime"), s.get("completionTime"),
         s["status"], "%sstages/stage/?id=%d&attempt=%d" % (base, s["stageId"], s["attemptId"])) for s in stages], now)
    body += "<h3>Stages (%d)</h3>" % len(stages) + stage_table(store, base, "job-stages", stages, now)
    return h.page(base, "jobs", store.app["name"], "Details for Job %d" % job_id, body)
