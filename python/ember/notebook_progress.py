"""The progress bar in a Jupyter notebook (an IPython kernel), the sibling of
the console bar (ember.progress), governed by the same setting
(spark.ui.showConsoleProgress) and fed by the same source (the engine's job
and stage status, as the statusTracker reports it).

Each job gets one bar in the output of the cell that runs it as soon as a
poll (every 0.2 s) sees it running: an ipywidgets IntProgress (value: its
tasks done, max: its tasks) beside a label ``Job N: done/total tasks``
followed by the running stage (``stage S: R running``), then ``finished``
or ``failed`` once the job ends. Without ipywidgets the same label is a
line of text updated in place (an IPython display handle). The final state
is written when the job's caller is handed its result (job_ended).
"""

import sys
import threading

PERIOD = 0.2  # seconds between polls


def in_kernel():
    """True in an IPython kernel (Jupyter), not in a terminal IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def job_progress(engine, job_id):
    """(done, total, running stage or None, status) of a job, or None."""
    info = engine.job_info(job_id)
    if info is None:
        return None
    _, stage_ids, status = info
    done = total = 0
    running = None
    for stage_id in stage_ids:
        stage = engine.stage_info(stage_id)
        if stage is None:
            continue
        tasks, active, completed = stage[3:6]
        done, total = done + completed, total + tasks
        if active and running is None:
            running = (stage_id, active)
    return done, total, running, status


def label(job_id, done, total, running, status):
    text = "Job %d: %d/%d tasks" % (job_id, done, total)
    if status == "RUNNING":
        return text + (", stage %d: %d running" % running if running else "")
    return text + (", finished" if status == "SUCCEEDED" else ", failed")


class WidgetView:
    """An IntProgress and its label, side by side."""

    def __init__(self):
        import ipywidgets
        from IPython.display import display

        self._bar = ipywidgets.IntProgress(min=0, max=1, value=0)
        self._label = ipywidgets.Label(value="")
        display(ipywidgets.HBox([self._bar, self._label]))

    def show(self, done, total, text, status):
        self._bar.max = max(total, 1)
        self._bar.value = done
        self._label.value = text
        if status != "RUNNING":
            self._bar.bar_style = "success" if status == "SUCCEEDED" else "danger"


class TextView:
    """The label alone, as text updated in place."""

    def __init__(self):
        from IPython.display import display

        self._handle = display({"text/plain": ""}, raw=True, display_id=True)

    def show(self, done, total, text, status):
        self._handle.update({"text/plain": text}, raw=True)


def _view_class():
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return TextView
    return WidgetView


class NotebookProgressBar:
    def __init__(self, engine):
        self._engine = engine
        self._view_class = _view_class()
        self._lock = threading.Lock()  # the views and what they show
        self._views = {}  # job id -> its view, while the job runs
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ember-notebook-progress", daemon=True)
        self._thread.start()

    def _update(self, job_id):
        progress = job_progress(self._engine, job_id)
        if progress is None:
            return
        done, total, running, status = progress
        if job_id not in self._views:
            self._views[job_id] = self._view_class()
        self._views[job_id].show(done, total, label(job_id, *progress), status)
        if status != "RUNNING":
            del self._views[job_id]

    def _run(self):
        while not self._stopped.wait(PERIOD):
            with self._lock:
                try:
                    for job_id in sorted(set(self._engine.active_job_ids()) | set(self._views)):
                        self._update(job_id)
                except Exception:  # noqa: BLE001 - the engine is stopping
                    break

    def job_ended(self):
        """Shows the final state of the jobs that ended, before their
        caller goes on."""
        with self._lock:
            for job_id in list(self._views):
                self._update(job_id)

    def stop(self):
        self._stopped.set()
        if self._thread is not threading.current_thread():
            self._thread.join()
