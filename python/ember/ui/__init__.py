"""ember's web UI, Spark's monitoring REST API and the history server.

store.AppStore holds one application's state, fed Spark-format listener
events (handlers.py, task_end.py, storage.py); eventlog.py replays event
log files into stores; api.py answers /api/v1 and pages/ renders the HTML
pages from the same stores; site.py routes URLs to both; server.py
serves them; live.py is the UI of a running SparkContext and history.py
`ember history`.
"""

# The engine setting that keeps listener events from the engine's start for
# the live UI (else events before the first read are not kept); the
# context sets it without importing the UI's modules.
LISTEN_FROM_START = "ember.listenerEvents.enabled"
