"""Reading Spark-format event logs: the files of one directory named as
Spark names them — `<appId>[_<attemptId>]` with `.inprogress` while the
application runs, or a rolling log's directory `eventlog_v2_<appId>`
holding `events_<n>_<appId>` files and an `appstatus_<appId>[.inprogress]`
marker — each one JSON event per line. Logs Spark compressed with zstd
(`.zstd`, Spark 4's default codec) are read through the `zstd` program;
the other codecs (lz4, lzf, snappy) are reported as unsupported.

`find_logs(directory)` lists the logs; `load(path, conf)` replays one into
an AppStore, raising EventLogError naming the file and line of what is
wrong; a torn last line of a log still being written is not an error.
"""

import json
import os
import subprocess

from ember.ui.store import AppStore

INPROGRESS = ".inprogress"
ROLLING_PREFIX = "eventlog_v2_"
UNSUPPORTED = ("lz4", "lzf", "snappy")


class EventLogError(Exception):
    pass


def find_logs(directory):
    """The event logs in `directory`, sorted by name (hidden and .crc files skipped)."""
    if not os.path.isdir(directory):
        raise EventLogError("event log directory does not exist: %s" % directory)
    names = sorted(n for n in os.listdir(directory) if not n.startswith(".") and not n.endswith(".crc"))
    return [os.path.join(directory, n) for n in names]


def in_progress(path):
    if os.path.isdir(path):
        return any(n.startswith("appstatus_") and n.endswith(INPROGRESS) for n in os.listdir(path))
    return path.endswith(INPROGRESS)


def _files_of(path):
    """The files holding `path`'s events, in order."""
    if not os.path.isdir(path):
        return [path]
    if not os.path.basename(path).startswith(ROLLING_PREFIX):
        raise EventLogError("not an event log (a directory not named %s<appId>): %s"
                            % (ROLLING_PREFIX, path))
    parts = [n for n in os.listdir(path) if n.startswith("events_")]
    return [os.path.join(path, n) for n in sorted(parts, key=lambda n: int(n.split("_")[1]))]


def read_events(path):
    """Yields the events (dicts) of the event log at `path`."""
    files = _files_of(path)
    for number, name in enumerate(files):
        if _codec(name) in UNSUPPORTED:
            raise EventLogError("event logs compressed with %s are not supported (zstd is; or set "
                                "spark.eventLog.compress=false): %s" % (_codec(name), name))
        yield from _read_file(name, last=number == len(files) - 1 and in_progress(path))


def _codec(name):
    """The compression codec a log file's name ends with ("zstd"...), or None."""
    base = name[:-len(INPROGRESS)] if name.endswith(INPROGRESS) else name
    extension = base.rsplit(".", 1)[-1] if "." in os.path.basename(base) else None
    return extension if extension in UNSUPPORTED + ("zstd",) else None


def _text(name, partial_ok):
    """The file's text; a .zstd file decompressed (a log still being
    written may end in an unfinished frame: its complete part is used)."""
    errors = "replace" if partial_ok else "strict"  # a torn last character, dropped with its line
    try:
        if _codec(name) != "zstd":
            with open(name, "rb") as f:
                return f.read().decode("utf-8", errors)
        done = subprocess.run(["zstd", "-dcq", name], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if done.returncode != 0 and not partial_ok:
            raise EventLogError("cannot decompress event log %s: %s" % (name, done.stderr.decode().strip()))
        return done.stdout.decode("utf-8", errors)
    except (OSError, UnicodeDecodeError) as e:
        raise EventLogError("cannot read event log %s: %s" % (name, e)) from None


def _read_file(name, last):
    lines = _text(name, partial_ok=last).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, 1):
        try:
            event = json.loads(line)
        except ValueError as e:
            if last and number == len(lines):
                return  # the line being written when we read
            raise EventLogError("event log %s, line %d: not a JSON event (%s)" % (name, number, e)) from None
        if not isinstance(event, dict) or "Event" not in event:
            raise EventLogError("event log %s, line %d: not a Spark listener event" % (name, number))
        yield event


def load(path, conf=None):
    """An AppStore replaying the event log at `path`."""
    store = AppStore.from_conf(conf or {})
    for event in read_events(path):
        try:
            store.apply(event)
        except (KeyError, TypeError, ValueError) as e:
            raise EventLogError("event log %s: bad %s event (%r)" % (path, event.get("Event"), e)) from None
    if store.app["id"] is None:
        raise EventLogError("event log %s has no SparkListenerApplicationStart event" % path)
    store.app["completed"] = not in_progress(path)
    return store
