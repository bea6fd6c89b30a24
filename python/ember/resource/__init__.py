"""pyspark.resource's API: resource requests and profiles for RDDs, and
the resource information a context and a task report (see profile.py for
what ember honours)."""

from .information import ResourceInformation
from .profile import ResourceProfile, ResourceProfileBuilder
from .requests import (ExecutorResourceRequest, ExecutorResourceRequests, TaskResourceRequest,
                       TaskResourceRequests)

__all__ = [
    "TaskResourceRequest", "TaskResourceRequests", "ExecutorResourceRequest",
    "ExecutorResourceRequests", "ResourceProfile", "ResourceInformation", "ResourceProfileBuilder",
]
