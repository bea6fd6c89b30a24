"""Executor and task resource requests for a ResourceProfile, with
PySpark's names and the checks Spark makes on them: memory amounts in
JVM notation converted to MiB, task amounts either at most 1.0 or whole.

>>> reqs = ExecutorResourceRequests().cores(2).memory("6g").resource("gpu", 1, "/opt/gpus.sh")
>>> {name: r.amount for name, r in reqs.requests.items()}
{'cores': 2, 'memory': 6144, 'gpu': 1}
>>> TaskResourceRequests().cpus(2).resource("gpu", 0.5).requests["gpu"].amount
0.5
"""

import re

_MIB_PER_UNIT = {"b": 1.0 / (1 << 20), "k": 1.0 / 1024, "m": 1, "g": 1024, "t": 1 << 20, "p": 1 << 30}


def _memory_mib(amount):
    """MiB in a JVM memory string ("512m", "2g", "100k"; no unit: MiB)."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:([kmgtp])b?|(b))?\s*", str(amount).lower())
    if m is None:
        raise ValueError("Size must be specified as bytes (b), kibibytes (k), mebibytes (m), "
                         "gibibytes (g), tebibytes (t), or pebibytes(p). E.g. 50b, 100k, or 250m. "
                         "Failed to parse byte string: %s" % amount)
    return int(int(m.group(1)) * _MIB_PER_UNIT[m.group(2) or m.group(3) or "m"])


class ExecutorResourceRequest:
    """One executor resource request: name, amount and, for custom
    resources, the discovery script and vendor."""

    def __init__(self, resourceName, amount, discoveryScript="", vendor=""):
        self._name = resourceName
        self._amount = amount
        self._discovery_script = discoveryScript
        self._vendor = vendor

    @property
    def resourceName(self):
        return self._name

    @property
    def amount(self):
        return self._amount

    @property
    def discoveryScript(self):
        return self._discovery_script

    @property
    def vendor(self):
        return self._vendor


class ExecutorResourceRequests:
    """A builder of executor requests: cores, memory kinds, custom resources."""

    _CORES = "cores"
    _MEMORY = "memory"
    _OVERHEAD_MEM = "memoryOverhead"
    _PYSPARK_MEM = "pyspark.memory"
    _OFFHEAP_MEM = "offHeap"

    def __init__(self, _jvm=None, _requests=None):
        self._executor_resources = dict(_requests or {})

    def _memory(self, name, amount):
        self._executor_resources[name] = ExecutorResourceRequest(name, _memory_mib(amount))
        return self

    def memory(self, amount):
        return self._memory(self._MEMORY, amount)

    def memoryOverhead(self, amount):
        return self._memory(self._OVERHEAD_MEM, amount)

    def pysparkMemory(self, amount):
        return self._memory(self._PYSPARK_MEM, amount)

    def offheapMemory(self, amount):
        return self._memory(self._OFFHEAP_MEM, amount)

    def cores(self, amount):
        self._executor_resources[self._CORES] = ExecutorResourceRequest(self._CORES, int(amount))
        return self

    def resource(self, resourceName, amount, discoveryScript="", vendor=""):
        self._executor_resources[resourceName] = ExecutorResourceRequest(
            resourceName, int(amount), discoveryScript, vendor)
        return self

    @property
    def requests(self):
        return self._executor_resources


class TaskResourceRequest:
    """One task resource request: a name and an amount (a float: at most
    1.0 shares a resource between tasks, else a whole number)."""

    def __init__(self, resourceName, amount):
        amount = float(amount)
        if amount > 1.0 and not amount.is_integer():
            raise ValueError("The resource amount %s must be either <= 1.0, or a whole number."
                             % amount)
        self._name = resourceName
        self._amount = amount

    @property
    def resourceName(self):
        return self._name

    @property
    def amount(self):
        return self._amount


class TaskResourceRequests:
    """A builder of task requests: cpus and custom resources."""

    _CPUS = "cpus"

    def __init__(self, _jvm=None, _requests=None):
        self._task_resources = dict(_requests or {})

    def cpus(self, amount):
        self._task_resources[self._CPUS] = TaskResourceRequest(self._CPUS, int(amount))
        return self

    def resource(self, resourceName, amount):
        self._task_resources[resourceName] = TaskResourceRequest(resourceName, amount)
        return self

    @property
    def requests(self):
        return self._task_resources
