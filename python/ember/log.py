"""The driver's Python logging, in the engine's format
(src/ember/common/logging.h): ``yy/MM/dd HH:mm:ss LEVEL logger: message``
on stderr, for the logger "ember" and its children ("ember.context", ...).

The level is WARN until set_level (``sc.setLogLevel``, ``spark.log.level``),
which takes Spark's level names in any case and sets the Python loggers
and the engine's log in this process alike; executor processes take the
new level with their next task. A name Spark does not know raises
IllegalArgumentException listing the valid ones.
"""

import logging
import sys

from . import _core, errors

LEVELS = ("ALL", "DEBUG", "ERROR", "FATAL", "INFO", "OFF", "TRACE", "WARN")
_TRACE = 5
_PYTHON_LEVELS = {"ALL": 1, "TRACE": _TRACE, "DEBUG": logging.DEBUG, "INFO": logging.INFO,
                  "WARN": logging.WARNING, "ERROR": logging.ERROR, "FATAL": logging.CRITICAL,
                  "OFF": logging.CRITICAL + 10}
_SPARK_NAMES = {_TRACE: "TRACE", logging.WARNING: "WARN", logging.CRITICAL: "FATAL"}

logger = logging.getLogger("ember")


class _SparkFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(spark_level)s %(name)s: %(message)s", "%y/%m/%d %H:%M:%S")

    def format(self, record):
        record.spark_level = _SPARK_NAMES.get(record.levelno, record.levelname)
        return super().format(record)


class _StderrHandler(logging.Handler):
    """Writes to the sys.stderr of the moment (which tests and shells replace)."""

    def emit(self, record):
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:
            self.handleError(record)


def _install():
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(_SparkFormatter())
        logger.addHandler(handler)
        logger.propagate = False  # one line per message, whatever the root logger does
        logger.setLevel(logging.WARNING)


def set_level(level):
    name = str(level).upper()
    if name not in _PYTHON_LEVELS:
        raise errors.IllegalArgumentException(
            "Supplied level %s did not match one of: %s" % (level, ",".join(LEVELS)))
    logger.setLevel(_PYTHON_LEVELS[name])
    _core.set_log_level(name)


_install()
