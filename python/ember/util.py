"""pyspark.util's names that user code imports: threads that inherit the
driver's local properties, fail_on_stopiteration, VersionUtils and
is_remote_only.

Local properties (job group, description, job tags, scheduler pool, any
``setLocalProperty`` key) belong to the thread that sets them, as in
PySpark, whose threads are pinned to JVM threads: a plain
``threading.Thread`` starts with none. An ``InheritableThread`` starts with
a copy of its parent's, taken when ``start()`` is called;
``inheritable_thread_target`` copies them when it wraps the function. What
the child then sets stays in the child.

>>> sc.setJobGroup("util-doc", "inherited")
>>> seen = []
>>> t = InheritableThread(target=lambda: seen.append(sc.getLocalProperty("spark.jobGroup.id")))
>>> t.start(); t.join()
>>> sc.clearJobGroup()
>>> seen
['util-doc']
"""

import functools
import re
import threading

__all__ = ["InheritableThread", "inheritable_thread_target", "fail_on_stopiteration",
           "VersionUtils", "is_remote_only"]


def _active_context():
    from .context import SparkContext
    return SparkContext._active_context


def _capture():
    """(context, a copy of this thread's local properties), or None when no
    context is active."""
    ctx = _active_context()
    return None if ctx is None else (ctx, ctx._get_local_properties())


def _run_with(captured, target, args, kwargs):
    if captured is not None:
        ctx, properties = captured
        ctx._set_local_properties(properties)
    return target(*args, **kwargs)


class InheritableThread(threading.Thread):
    """A thread that starts with the local properties its parent has when
    ``start()`` is called (PySpark's pinned-thread behaviour, which plain
    threads lack). ``target`` comes first; the other arguments are
    threading.Thread's. ``session`` is accepted for PySpark's signature: a
    SparkContext (or None); the properties are those of the active one."""

    def __init__(self, target, *args, session=None, **kwargs):
        from .context import SparkContext
        if session is not None and not isinstance(session, SparkContext):
            raise TypeError("InheritableThread: session must be a SparkContext or None, not %s"
                            % type(session).__name__)
        self._captured = None

        def copy_local_properties(*a, **k):
            return _run_with(self._captured, target, a, k)
        super().__init__(*args, target=copy_local_properties, **kwargs)

    def start(self):
        self._captured = _capture()
        return super().start()


def inheritable_thread_target(f=None):
    """Wrap a thread target so it runs with the local properties the caller
    has now (when wrapping, not when the thread starts).

    ``inheritable_thread_target(f)`` and ``@inheritable_thread_target``
    wrap ``f``; ``inheritable_thread_target(sc)`` (PySpark 4 takes a
    session here) returns such a wrapper, capturing the properties at that
    call.
    """
    from .context import SparkContext
    if isinstance(f, SparkContext):
        captured = _capture()

        def outer(ff):
            return _wrap(ff, captured)
        return outer
    if not callable(f):
        raise TypeError("inheritable_thread_target takes a function or a SparkContext, not %r" % (f,))
    return _wrap(f, _capture())


def _wrap(f, captured):
    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        return _run_with(captured, f, args, kwargs)
    return wrapped


def fail_on_stopiteration(f):
    """Wrap ``f`` so a StopIteration escaping it becomes a RuntimeError
    (which would otherwise end a loop over its results silently).

    >>> def g():
    ...     raise StopIteration("too early")
    >>> fail_on_stopiteration(g)()
    Traceback (most recent call last):
      ...
    RuntimeError: [STOP_ITERATION_OCCURRED] Caught StopIteration thrown from user's code; failing the task: too early
    """
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except StopIteration as exc:
            raise stop_iteration_error(exc) from exc
    return wrapper


def stop_iteration_error(exc=""):
    """The error a StopIteration out of user code becomes (PySpark's text)."""
    return RuntimeError("[STOP_ITERATION_OCCURRED] Caught StopIteration thrown from user's code; "
                        "failing the task: %s" % exc)


class VersionUtils:
    """Spark version strings."""

    @staticmethod
    def majorMinorVersion(sparkVersion):
        """(major, minor) of a version string.

        >>> VersionUtils.majorMinorVersion("2.3.0-SNAPSHOT")
        (2, 3)
        """
        m = re.match(r"(\d+)\.(\d+)(\..*)?$", sparkVersion)
        if m is None:
            raise ValueError("Spark tried to parse '%s' as a Spark version string, but it could "
                             "not find the major and minor version numbers." % sparkVersion)
        return int(m.group(1)), int(m.group(2))


def is_remote_only():
    """False: ember always has the RDD API (PySpark says True only for the
    Spark Connect-only client).

    >>> is_remote_only()
    False
    """
    return False
