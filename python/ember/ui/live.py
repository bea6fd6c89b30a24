"""The web UI of a running SparkContext: a status store and its server on
127.0.0.1:spark.ui.port (4040, the next free port when taken, up to
spark.port.maxRetries more), unless spark.ui.enabled=false.

The store starts with the application (its id, name, user, start time,
ember's version), its settings (the environment page) and, with
spark.scheduler.mode=FAIR, the engine's configured pools (the pools
table, pages_pools.py), so the UI
answers at once; a thread then applies the engine's listener events
(engine.listener_events: the same JSON lines as the event log's) as
they come: jobs, stages, tasks, executors, blocks.
"""

import json
import threading

from ember import settings
from ember.ui import server, site
from ember.ui.store import AppStore


class LiveUI:
    def __init__(self, conf, engine, app_name, user, start_ms, version):
        app_id = engine.app_id
        self.store = AppStore.from_conf(conf)
        self.store.apply({"Event": "SparkListenerLogStart", "Spark Version": version})
        self.store.apply({"Event": "SparkListenerApplicationStart", "App Name": app_name,
                          "App ID": app_id, "Timestamp": start_ms, "User": user})
        self.store.apply({"Event": "SparkListenerEnvironmentUpdate", "Spark Properties": dict(conf)})
        self.store.scheduler_pools = engine.scheduler_pools()  # None unless FAIR
        port = settings.get(conf, "spark.ui.port")
        retries = settings.get(conf, "spark.port.maxRetries")
        self._server = server.UIServer(site.Site(lambda: {app_id: self.store}).route, port, retries)
        self.url = self._server.url
        self._stopped = threading.Event()
        self._feed = threading.Thread(target=self._follow, args=(engine,), name="ember-ui-events", daemon=True)
        self._feed.start()

    def _follow(self, engine):
        """Applies the engine's listener events to the store as they come,
        until stop(). The engine's SparkListenerLogStart names the event log
        format's Spark version; the UI keeps ember's own."""
        while not self._stopped.is_set():
            for line in engine.listener_events(0.5):
                event = json.loads(line)
                if event.get("Event") != "SparkListenerLogStart":
                    self.store.apply(event)

    def stop(self):
        """Stops the server and the event reader. Called after the engine
        stopped, whose queue then answers at once: the reader is joined, so
        no thread waits inside the engine when the interpreter exits (a
        thread blocked in C++ then dies by a forced unwind that aborts)."""
        self._stopped.set()
        self._feed.join(timeout=30)  # at once unless the engine failed to stop
        self._server.stop()


def start(conf, engine, app_name, user, start_ms, version):
    """The context's LiveUI, or None when spark.ui.enabled is false. The
    engine must keep its listener events from the start (ember.ui.LISTEN_FROM_START)."""
    if not settings.get(conf, "spark.ui.enabled"):
        return None
    return LiveUI(conf, engine, app_name, user, start_ms, version)

