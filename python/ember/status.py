"""StatusTracker: what the engine knows about running and recent jobs, as
PySpark's SparkContext.statusTracker() reports it.

>>> st = sc.statusTracker()
>>> sc.setJobGroup("status-doc", "a doctest")
>>> sc.parallelize(range(4), 2).count()
4
>>> sc.clearJobGroup()
>>> [job] = st.getJobIdsForGroup("status-doc")
>>> info = st.getJobInfo(job)
>>> info.status, len(info.stageIds)
('SUCCEEDED', 1)
>>> stage = st.getStageInfo(info.stageIds[0])
>>> stage.numCompletedTasks, stage.name
(2, 'count at <doctest ...>:1')
"""

from collections import namedtuple

SparkJobInfo = namedtuple("SparkJobInfo", "jobId stageIds status")
SparkStageInfo = namedtuple("SparkStageInfo", "stageId currentAttemptId name numTasks "
                            "numActiveTasks numCompletedTasks numFailedTasks")


class StatusTracker:
    """Job and stage status; recent finished jobs are kept (up to 1000)."""

    def __init__(self, ctx):
        self._ctx = ctx

    def _engine_call(self, name, *args):
        return self._ctx._call(getattr(self._ctx._engine, name), *args)

    def getJobIdsForGroup(self, jobGroup=None):
        """Ids of the known jobs of a job group; None: of jobs in no group."""
        return self._engine_call("job_ids_for_group", jobGroup)

    def getActiveJobsIds(self):
        """Ids of the running jobs, sorted."""
        return sorted(self._engine_call("active_job_ids"))

    def getActiveStageIds(self):
        """Ids of the running stages, sorted."""
        return sorted(self._engine_call("active_stage_ids"))

    def getJobInfo(self, jobId):
        info = self._engine_call("job_info", jobId)
        return None if info is None else SparkJobInfo(info[0], list(info[1]), info[2])

    def getStageInfo(self, stageId):
        info = self._engine_call("stage_info", stageId)
        return None if info is None else SparkStageInfo(*info[:7])

    def _stageMetrics(self, stageId):
        """{task metric: sum over the stage's ended tasks} (names as in
        ember.proto's TaskMetrics, e.g. "input_records_read"), or None for an
        unknown stage. Not PySpark API: its SparkStageInfo has no metrics."""
        info = self._engine_call("stage_info", stageId)
        return None if info is None else dict(info[7])
