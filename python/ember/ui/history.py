"""`ember history [--dir D] [--port P]`: Spark's history server. Serves
the event logs of directory D (spark.history.fs.logDirectory, default
/tmp/spark-events; a file: URI is accepted) on 127.0.0.1:P
(spark.history.ui.port, default 18080, the next free port when taken):
the applications at /, each one's pages under /history/<appId>/, the REST
API under /api/v1. The directory is rescanned when a request comes, so new
and growing logs (.inprogress) show up; a log that cannot be read is
reported on stderr and on the front page, by name, and skipped.
"""

import argparse
import os
import sys
import threading

from ember import settings
from ember.conf import SparkConf
from ember.ui import eventlog, server, site


class Catalog:
    """The applications of an event log directory, reloaded when a log's
    size or modification time changes."""

    def __init__(self, directory, conf, report):
        self._directory = directory
        self._conf = conf
        self._report = report
        self._lock = threading.Lock()
        self._loaded = {}  # path -> ((mtime, size), AppStore or error message)

    def apps(self):
        with self._lock:
            self._rescan()
            return {s.app["id"]: s for _, s in self._loaded.values() if not isinstance(s, str)}

    def problems(self):
        with self._lock:
            return [s for _, s in self._loaded.values() if isinstance(s, str)]

    def _rescan(self):
        paths = eventlog.find_logs(self._directory)
        for gone in set(self._loaded) - set(paths):
            del self._loaded[gone]
        for path in paths:
            version = _version(path)
            if self._loaded.get(path, (None,))[0] == version:
                continue
            try:
                store = eventlog.load(path, self._conf)
                store.app["lastUpdated"] = int(version[0] * 1000)
            except eventlog.EventLogError as e:
                store = str(e)
                self._report("ember history: skipping %s" % e)
            self._loaded[path] = (version, store)


def _version(path):
    files = [os.path.join(path, n) for n in os.listdir(path)] if os.path.isdir(path) else [path]
    stats = [os.stat(f) for f in files]
    return (max([s.st_mtime for s in stats] or [0]), sum(s.st_size for s in stats))


def _arguments(argv, conf):
    parser = argparse.ArgumentParser(prog="ember history", description="Spark's history server")
    parser.add_argument("--dir", default=settings.get(conf, "spark.history.fs.logDirectory"),
                        help="event log directory (spark.history.fs.logDirectory)")
    parser.add_argument("--port", type=int, default=settings.get(conf, "spark.history.ui.port"),
                        help="port (spark.history.ui.port; 0: any free port)")
    args = parser.parse_args(argv)
    if args.dir.startswith("file:"):
        args.dir = args.dir[len("file:"):]
    if not os.path.isdir(args.dir):
        parser.error("--dir: event log directory does not exist: %s" % args.dir)
    return args


def main(argv=None):
    conf = dict(SparkConf().getAll())
    args = _arguments(sys.argv[1:] if argv is None else argv, conf)
    catalog = Catalog(args.dir, conf, lambda message: print(message, file=sys.stderr, flush=True))
    catalog.apps()  # report unreadable logs at start
    ui = server.UIServer(site.Site(catalog.apps, history=True, problems=catalog.problems).route,
                         args.port, settings.get(conf, "spark.port.maxRetries"))
    print("ember history server for %s at %s" % (args.dir, ui.url), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        ui.stop()


if __name__ == "__main__":
    main()
