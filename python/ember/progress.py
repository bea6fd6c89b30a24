"""The console progress bar, as Spark shows it (spark.ui.showConsoleProgress,
on by default, and only when stderr is a terminal):

    [Stage 3:=======>                                      (12 + 2) / 40]

A stage gets a bar once it has run for half a second; the bars of the
stages running together share one line of $COLUMNS (default 80)
characters; the line is redrawn every 0.2 s when it changed, and cleared
when no stage runs or a job ends (before its result reaches the caller). A thread of the context polls the engine's stage status
(the statusTracker's source) and stops with the context. In a Jupyter
notebook the sibling ember.notebook_progress shows a bar per job instead
(for_context chooses).
"""

import os
import sys
import threading
import time

from . import notebook_progress, settings

SHOW_AFTER = 0.5  # seconds a stage runs before it gets a bar
PERIOD = 0.2  # seconds between redraws


def for_context(conf, engine):
    """The progress bar a new context shows, or None: none when
    spark.ui.showConsoleProgress is false; the notebook's in a Jupyter
    kernel; the console's when stderr is a terminal."""
    if not settings.get(conf, "spark.ui.showConsoleProgress"):
        return None
    if notebook_progress.in_kernel():
        return notebook_progress.NotebookProgressBar(engine)
    if sys.stderr is not None and sys.stderr.isatty():
        return ConsoleProgressBar(engine, sys.stderr)
    return None


def render(stages, width):
    """The line for `stages`, a list of (stage id, tasks, completed, active)."""
    each = width // len(stages)
    line = ""
    for stage_id, total, done, active in stages:
        header = "[Stage %d:" % stage_id
        tail = "(%d + %d) / %d]" % (done, active, total)
        room = each - len(header) - len(tail)
        bar = ""
        if room > 0:
            filled = room * done // total if total else 0
            bar = ("=" * filled + ">" + " " * room)[:room]
        line += header + bar + tail
    return line


class ConsoleProgressBar:
    def __init__(self, engine, stream):
        self._engine = engine
        self._stream = stream
        self._width = int(os.environ.get("COLUMNS", "80") or 80)
        self._lock = threading.Lock()  # the line on the terminal and what it shows
        self._drawn = ""
        self._first_seen = {}  # stage id -> when it was first seen running
        self._done = set()  # stages of ended jobs still listed active: not drawn again
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ember-progress", daemon=True)
        self._thread.start()

    def _stages(self):
        now = time.monotonic()
        shown = []
        active = sorted(self._engine.active_stage_ids())
        self._done.intersection_update(active)  # one that stopped running has no bar to hide
        for stage_id in active:
            info = self._engine.stage_info(stage_id)
            if info is None or stage_id in self._done:
                continue
            tasks, active, completed = info[3:6]
            if now - self._first_seen.setdefault(stage_id, now) >= SHOW_AFTER:
                shown.append((stage_id, tasks, completed, active))
        return shown

    def _run(self):
        while not self._stopped.wait(PERIOD):
            with self._lock:
                try:
                    stages = self._stages()
                except Exception:  # noqa: BLE001 - the engine is stopping
                    break
                self._draw(render(stages, self._width) if stages else "")
        self.job_ended()

    def _draw(self, line):
        if line == self._drawn:
            return
        self._write("\r" + line if line else "\r" + " " * self._width + "\r")
        self._drawn = line

    def job_ended(self):
        """Clears the line before the job's caller goes on, as Spark does;
        the stages of jobs no longer running are not drawn again, while
        other threads' running jobs keep their bars."""
        try:
            running = set()
            for job_id in self._engine.active_job_ids():
                info = self._engine.job_info(job_id)
                running.update(info[1] if info is not None else ())
        except Exception:  # noqa: BLE001 - the engine is stopping: nothing runs
            running = set()
        with self._lock:
            for stage_id in [s for s in self._first_seen if s not in running]:
                self._done.add(stage_id)
                del self._first_seen[stage_id]
            self._draw("")

    def _write(self, text):
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):  # the terminal went away
            self._stopped.set()

    def stop(self):
        self._stopped.set()
        if self._thread is not threading.current_thread():
            self._thread.join()
