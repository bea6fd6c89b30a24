"""The web UI of a running SparkContext: a status store and its server on
127.0.0.1:spark.ui.port (4040, the next free port when taken, up to
spark.port.maxRetries more), unless spark.ui.enabled=false.

The store starts with the application (its id, name, user, start time,
ember's version) and its settings (the environment page).
"""

from ember import settings
from ember.ui import server, site
from ember.ui.store import AppStore


class LiveUI:
    def __init__(self, conf, app_id, app_name, user, start_ms, version):
        self.store = AppStore.from_conf(conf)
        self.store.apply({"Event": "SparkListenerLogStart", "Spark Version": version})
        self.store.apply({"Event": "SparkListenerApplicationStart", "App Name": app_name,
                          "App ID": app_id, "Timestamp": start_ms, "User": user})
        self.store.apply({"Event": "SparkListenerEnvironmentUpdate", "Spark Properties": dict(conf)})
        port = settings.get(conf, "spark.ui.port")
        retries = settings.get(conf, "spark.port.maxRetries")
        self._server = server.UIServer(site.Site(lambda: {app_id: self.store}).route, port, retries)
        self.url = self._server.url

    def stop(self):
        self._server.stop()


def start(conf, app_id, app_name, user, start_ms, version):
    """The context's LiveUI, or None when spark.ui.enabled is false."""
    if not settings.get(conf, "spark.ui.enabled"):
        return None
    return LiveUI(conf, app_id, app_name, user, start_ms, version)
