"""ember's exceptions, rooted at EmberError, with PySpark's names where
PySpark has one, and the translation from engine errors.

Each class also derives from the builtin a Python user would catch for
that situation (FileNotFoundError for a missing input, ValueError for a
bad argument...), so ``except FileNotFoundError`` works as expected.
"""

import pickle

# Engine status codes (src/ember/common/status.h).
_INVALID_ARGUMENT, _NOT_FOUND, _ALREADY_EXISTS, _IO_ERROR, _CORRUPT = 1, 2, 3, 4, 5
_TASK_FAILED, _FETCH_FAILED, _CANCELLED, _INTERNAL = 6, 7, 8, 9


class EmberError(Exception):
    """Base of every error ember raises."""


class Py4JError(EmberError):
    """PySpark's name (from py4j) for errors raised in its JVM."""


class Py4JJavaError(Py4JError):
    """What PySpark raises when a job fails or the JVM refuses an operation:
    ember's errors for those cases (SparkJobError and its subclasses,
    UnsupportedOperationException) derive from it, so PySpark code that says
    ``except Py4JJavaError`` catches them (``py4j.protocol`` serves these two
    names under ember.pyspark_compat)."""


class IllegalArgumentException(EmberError, ValueError):
    """A bad setting or argument."""


class InputNotFoundError(EmberError, FileNotFoundError):
    """An input path does not exist."""


class FileAlreadyExistsError(EmberError, FileExistsError):
    """An output path already exists."""


class EmberIOError(EmberError, OSError):
    """Reading or writing a file failed."""


class CorruptInputError(EmberError, ValueError):
    """Input that cannot be decoded: bad compressed data, invalid UTF-8."""


class PicklingError(EmberError, pickle.PicklingError):
    """A function or value could not be serialised to ship it to workers."""


class SparkJobError(Py4JJavaError):
    """A job failed; ``stage``, ``partition`` and ``attempts`` say where."""

    def __init__(self, message, stage=None, partition=None, attempts=None):
        super().__init__(message)
        self.stage = stage
        self.partition = partition
        self.attempts = attempts


class PythonException(SparkJobError):
    """User code raised in a task (or its worker died); the message carries
    the worker's traceback."""


class FetchFailedError(SparkJobError):
    """Shuffle output stayed unavailable after every allowed retry."""


class JobCancelledError(SparkJobError):
    """The job was cancelled, or its SparkContext stopped."""


class UnsupportedOperationException(Py4JJavaError, RuntimeError):
    """An operation the RDD's state does not allow (e.g. changing the
    storage level of a persisted RDD)."""


class InternalError(EmberError):
    """A bug in ember; please report it."""


_SIMPLE = {
    _INVALID_ARGUMENT: IllegalArgumentException,
    _NOT_FOUND: InputNotFoundError,
    _ALREADY_EXISTS: FileAlreadyExistsError,
    _IO_ERROR: EmberIOError,
    _CORRUPT: CorruptInputError,
    _FETCH_FAILED: FetchFailedError,
    _CANCELLED: JobCancelledError,
    _INTERNAL: InternalError,
}


_TASK_INPUT_CLASSES = {}


def _task_input_class(base):
    """A job error that is also `base` (e.g. a CorruptInputError in a task)."""
    cls = _TASK_INPUT_CLASSES.get(base)
    if cls is None:
        cls = type(base.__name__, (SparkJobError, base), {"__module__": __name__})
        _TASK_INPUT_CLASSES[base] = cls
    return cls


def translate(engine_error):
    """The public exception for an ember._core.EngineError."""
    code, message, stage, partition, attempts, task_code = engine_error.args
    if code == _TASK_FAILED:
        where = dict(stage=stage, partition=partition, attempts=attempts)
        if task_code in (_NOT_FOUND, _IO_ERROR, _CORRUPT, _INVALID_ARGUMENT):
            return _task_input_class(_SIMPLE[task_code])(message, **where)
        return PythonException(message, **where)
    return _SIMPLE.get(code, InternalError)(message)
