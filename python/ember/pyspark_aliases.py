"""Serving ``pyspark`` imports from ember (switched on by ``import
ember.pyspark_compat``, ``ember submit`` and ``ember shell``): ``install()`` makes
``import pyspark`` (and ``pyspark.rdd``, ``pyspark.core.context``,
``pyspark.taskcontext``, ...) give ember's modules in this process and in
the Python workers of the contexts it starts.

It is an explicit switch: nothing changes for a Python that does not call
``install()``, so a real PySpark the user installed stays theirs. ``ember
submit`` and ``ember shell`` turn it on (``EMBER_PYSPARK_COMPAT=0`` turns
it off there). Turning it on after the real ``pyspark`` was imported is an
error, as the two would mix.

``pyspark`` becomes a module holding ``pyspark.__all__``'s names from
ember; ``pyspark.X`` is ember's module for X (the same module object, so
classes are ember's own). PySpark's SQL, pandas, ML, streaming and connect
packages have no ember counterpart: importing them raises
ModuleNotFoundError saying so. ``py4j.protocol`` (unless py4j was imported
already) holds ``Py4JJavaError`` and ``Py4JError``, the classes ember's job
failures derive from, for PySpark code that catches them.
"""

import importlib
import os
import sys
import types

# PySpark module name -> ember module serving it.
ALIASES = {
    "pyspark.accumulators": "ember.accumulators",
    "pyspark.broadcast": "ember.broadcast",
    "pyspark.cloudpickle": "cloudpickle",
    "pyspark.conf": "ember.conf",
    "pyspark.context": "ember.context",
    "pyspark.errors": "ember.errors",
    "pyspark.files": "ember.files",
    "pyspark.join": "ember.join",
    "pyspark.profiler": "ember.profiler",
    "pyspark.rdd": "ember.rdd",
    "pyspark.serializers": "ember.serializers",
    "pyspark.resource": "ember.resource",
    "pyspark.resource.information": "ember.resource.information",
    "pyspark.resource.profile": "ember.resource.profile",
    "pyspark.resource.requests": "ember.resource.requests",
    "pyspark.resultiterable": "ember.resultiterable",
    "pyspark.shuffle": "ember.shuffle",
    "pyspark.statcounter": "ember.statcounter",
    "pyspark.status": "ember.status",
    "pyspark.storagelevel": "ember.storagelevel",
    "pyspark.taskcontext": "ember.taskcontext",
    "pyspark.util": "ember.util",
}
# PySpark 4 keeps the core classes in pyspark.core.*; the old names stay.
CORE_MODULES = ("rdd", "context", "broadcast", "files", "status")

# Environment switch the Python workers read (ember.worker) to install the
# same aliases before they unpickle a task.
ENV = "EMBER_PYSPARK_COMPAT"


class _NoCounterpart:
    """Answers imports of pyspark.* names ember does not serve with a clear
    ModuleNotFoundError instead of a search of the file system."""

    def find_spec(self, name, path=None, target=None):
        if not name.startswith("pyspark.") or name in sys.modules:
            return None
        raise ModuleNotFoundError(
            "No module named %r: ember serves PySpark's RDD API (pyspark, pyspark.core.*, "
            "pyspark.rdd, pyspark.context, ...); SQL, pandas, ML, streaming and connect have no "
            "counterpart in ember" % name, name=name)


def _top_module():
    import ember
    top = types.ModuleType("pyspark", "PySpark's names, served by ember.")
    top.__path__ = []  # a package, so pyspark.X imports reach the aliases
    for name in ember.PYSPARK_ALL:
        setattr(top, name, getattr(ember, name))
    top.__all__ = list(ember.PYSPARK_ALL)
    return top


def installed():
    return isinstance(sys.modules.get("pyspark"), types.ModuleType) and \
        getattr(sys.modules["pyspark"], "__doc__", None) == "PySpark's names, served by ember."


def install():
    """Serve ``pyspark`` imports from ember in this process and its workers.
    Idempotent."""
    if installed():
        return
    real = sys.modules.get("pyspark")
    if real is not None:
        raise ImportError("pyspark is already imported from %s; import ember.pyspark_compat "
                          "before anything imports pyspark" % getattr(real, "__file__", real))
    top = _top_module()
    core = types.ModuleType("pyspark.core", "PySpark 4's core modules, served by ember.")
    core.__path__ = []
    modules = {"pyspark": top, "pyspark.core": core}
    for alias, target in ALIASES.items():
        modules[alias] = importlib.import_module(target)
    for name in CORE_MODULES:
        modules["pyspark.core." + name] = modules["pyspark." + name]
        setattr(core, name, modules["pyspark." + name])
    for alias, module in modules.items():
        parent, _, child = alias.rpartition(".")
        if parent:
            setattr(modules[parent], child, module)
    if "py4j" not in sys.modules:  # PySpark code catches py4j.protocol.Py4JJavaError
        from . import errors
        py4j = types.ModuleType("py4j", "py4j's exception names, served by ember.")
        py4j.__path__ = []
        protocol = types.ModuleType("py4j.protocol")
        protocol.Py4JError, protocol.Py4JJavaError = errors.Py4JError, errors.Py4JJavaError
        py4j.protocol = protocol
        modules.update({"py4j": py4j, "py4j.protocol": protocol})
    sys.modules.update(modules)
    sys.meta_path.insert(0, _NoCounterpart())
    os.environ[ENV] = "1"

