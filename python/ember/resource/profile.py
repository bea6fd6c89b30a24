"""ResourceProfile and its builder: the executor and task resources an RDD
asks for with RDD.withResources. ember records a profile and reports it
back (RDD.getResourceProfile, the id, the requests); it does not place
stages by profile — tasks always get spark.task.cpus cores, and local and
standalone executors have no GPUs or other custom resources (see
docs/status.md).

>>> profile = (ResourceProfileBuilder()
...            .require(ExecutorResourceRequests().cores(2).memory("4g"))
...            .require(TaskResourceRequests().cpus(1)).build)
>>> rdd = sc.parallelize(range(4)).withResources(profile)
>>> rdd.getResourceProfile() is profile, profile.id > 0
(True, True)
>>> sorted(profile.executorResources), profile.taskResources["cpus"].amount
(['cores', 'memory'], 1.0)
"""

import itertools
import threading

from .requests import ExecutorResourceRequests, TaskResourceRequests

# Spark's default profile has id 0; every other profile gets the next id.
_next_id = itertools.count(1)
_id_lock = threading.Lock()


class ResourceProfile:
    """An immutable set of executor and task requests with a unique id."""

    def __init__(self, _java_resource_profile=None, _exec_req=None, _task_req=None):
        if _java_resource_profile is not None:
            raise TypeError("ember has no JVM: build a ResourceProfile with ResourceProfileBuilder")
        self._executor_resource_requests = dict(_exec_req or {})
        self._task_resource_requests = dict(_task_req or {})
        with _id_lock:
            self._id = next(_next_id)

    @property
    def id(self):
        return self._id

    @property
    def taskResources(self):
        return dict(self._task_resource_requests)

    @property
    def executorResources(self):
        return dict(self._executor_resource_requests)


class ResourceProfileBuilder:
    """Collects requests; ``build`` (a property, as in PySpark) makes the
    profile."""

    def __init__(self):
        self._executor_resource_requests = {}
        self._task_resource_requests = {}

    def require(self, resourceRequest):
        if isinstance(resourceRequest, TaskResourceRequests):
            self._task_resource_requests.update(resourceRequest.requests)
        elif isinstance(resourceRequest, ExecutorResourceRequests):
            self._executor_resource_requests.update(resourceRequest.requests)
        else:
            raise TypeError("require() takes ExecutorResourceRequests or TaskResourceRequests, not %s"
                            % type(resourceRequest).__name__)
        return self

    def clearExecutorResourceRequests(self):
        self._executor_resource_requests = {}

    def clearTaskResourceRequests(self):
        self._task_resource_requests = {}

    @property
    def taskResources(self):
        return dict(self._task_resource_requests)

    @property
    def executorResources(self):
        return dict(self._executor_resource_requests)

    @property
    def build(self):
        return ResourceProfile(_exec_req=self._executor_resource_requests,
                               _task_req=self._task_resource_requests)
