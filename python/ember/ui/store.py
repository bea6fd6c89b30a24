"""The application status store: the state of one application as the web UI
and the REST API show it, built from Spark-format listener events.

`AppStore.apply(event)` takes one event (a dict parsed from one line of
Spark's event log: SparkListenerApplicationStart, JobStart, StageSubmitted,
TaskStart, TaskEnd, StageCompleted, JobEnd, ExecutorAdded/Removed,
BlockManagerAdded, BlockUpdated, UnpersistRDD, EnvironmentUpdate,
ApplicationEnd); unknown events are ignored, as Spark's listeners ignore
them. The store keeps jobs, stages, tasks, executors and RDDs as records
whose fields are those of Spark's REST API (api.py turns them into JSON),
and forgets the oldest finished ones past spark.ui.retainedJobs /
retainedStages / retainedTasks (per stage), as Spark does. Thread-safe:
`lock` guards every read and write.
"""

import threading

from ember.ui import handlers, metrics, registry, task_end  # noqa: F401 (handlers register themselves)

RETAINED_JOBS = 1000
RETAINED_STAGES = 1000
RETAINED_TASKS = 100000


class AppStore:
    def __init__(self, retained_jobs=RETAINED_JOBS, retained_stages=RETAINED_STAGES,
                 retained_tasks=RETAINED_TASKS):
        self.lock = threading.RLock()
        self.limits = (retained_jobs, retained_stages, retained_tasks)
        self.app = {"id": None, "name": None, "user": None, "start": None, "end": None,
                    "attemptId": None, "sparkVersion": ""}
        self.environment = None
        self.resource_profiles = []  # Spark's REST shape
        self.jobs = {}  # job id -> JobData record
        self.stages = {}  # (stage id, attempt) -> StageData record
        self.tasks = {}  # (stage id, attempt) -> {task id -> TaskData record}
        self.executors = {}  # executor id -> ExecutorSummary record
        self.rdds = {}  # rdd id -> RDDStorageInfo record
        self.stage_jobs = {}  # stage id -> job ids
        # A live FAIR context's configured pools, {name: {"schedulingMode",
        # "weight", "minShare"}} (pages_pools.py); None: no pools shown.
        self.scheduler_pools = None
        self.last_update = 0

    @classmethod
    def from_conf(cls, conf):
        """A store with the retain limits of `conf` (a dict of settings)."""
        def limit(key, default):
            return int(conf.get(key, default))
        return cls(limit("spark.ui.retainedJobs", RETAINED_JOBS),
                   limit("spark.ui.retainedStages", RETAINED_STAGES),
                   limit("spark.ui.retainedTasks", RETAINED_TASKS))

    def apply(self, event):
        handler = registry.HANDLERS.get(event.get("Event"))
        if handler is not None:
            with self.lock:
                handler(self, event)
                self.last_update = max(self.last_update, _event_time(event))

    def executor(self, executor_id, host="", time=None):
        record = self.executors.get(executor_id)
        if record is None:
            record = self.executors[executor_id] = metrics.new_executor(executor_id, host, time)
        return record

    def forget_finished(self, records, limit, is_running, finished_at):
        """Drops the oldest finished records of the dict `records` past `limit`."""
        excess = len(records) - limit
        if excess <= 0:
            return []
        done = sorted((k for k, r in records.items() if not is_running(r)),
                      key=lambda k: finished_at(records[k]) or 0)
        dropped = done[:excess]
        for key in dropped:
            del records[key]
        return dropped


def _event_time(event):
    for key in ("Timestamp", "Completion Time", "Submission Time"):
        if isinstance(event.get(key), int):
            return event[key]
    return 0

