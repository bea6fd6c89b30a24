"""TaskContext: what a running task can learn about itself.

``TaskContext.get()`` returns the context inside a task and None on the
driver, as in PySpark.
"""

_current = [None]


class TaskContext:
    def __init__(self, header):
        self._header = header

    @classmethod
    def get(cls):
        return _current[0]

    def partitionId(self):
        return self._header["partition"]

    def stageId(self):
        return self._header["stage"]

    def attemptNumber(self):
        return self._header["attempt"]

    def taskAttemptId(self):
        return self._header["task_id"]

    def getLocalProperty(self, key):
        return self._header.get("properties", {}).get(key)

    def cpus(self):
        """CPUs reserved for this task (spark.task.cpus)."""
        return self._header.get("cpus", 1)

    def resources(self):
        """The custom resources (GPUs...) allocated to this task, by name:
        none, as ember executors have none."""
        return {}


def _set_task_context(header):
    _current[0] = TaskContext(header) if header is not None else None
