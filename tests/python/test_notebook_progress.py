"""The progress bar in a Jupyter notebook (ember.notebook_progress), read
from a real notebook run by nbclient in an IPython kernel: the job's
ipywidgets bar reached its total and its label says the job finished (the
widgets' state as the kernel holds it, printed by a later cell: Debian's
ipywidgets 6 speaks a widget protocol older than the one nbclient
understands, so nbclient's handling of widget messages is off); the
same label as text when ipywidgets is absent; nothing with
spark.ui.showConsoleProgress=false."""

import json
import os

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

# The job's first 4 tasks wait for `gate`, created once a progress view has been
# displayed (the notebook watches IPython.display.display): the bar is seen
# while the job runs, with no timing luck.
SETUP = """\
import os, sys, threading, time
{hide}
import IPython.display
from ember import SparkConf, SparkContext

shown = threading.Event()
real_display = IPython.display.display
def display(*args, **kwargs):
    shown.set()
    return real_display(*args, **kwargs)
IPython.display.display = display

sc = SparkContext("local[2]", "notebook", conf=SparkConf().set("spark.ui.showConsoleProgress", "{show}"))
gate = {gate!r}
def wait(it):
    while not os.path.exists(gate):
        time.sleep(0.05)
    return it
def open_gate():
    shown.wait({wait})
    open(gate, "w").close()
threading.Thread(target=open_gate, daemon=True).start()
"""
# Two stages: 4 map tasks (waiting for the gate), then 2 reduce tasks.
JOB = ("print('count', sc.parallelize(range(8), 4).mapPartitions(wait)"
       ".map(lambda x: (x % 3, 1)).reduceByKey(lambda a, b: a + b, 2).count())")
WIDGET_STATES = """\
import ipywidgets, json
print(json.dumps({k: w.get_state() for k, w in ipywidgets.Widget.widgets.items()}, default=str))
"""


def _run_notebook(tmp_path, hide="", show="true", wait=120, after=()):
    setup = SETUP.format(hide=hide, show=show, gate=str(tmp_path / "gate"), wait=wait)
    cells = [setup, JOB, *after, "sc.stop()"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = nbclient.NotebookClient(nb, timeout=240, kernel_name="python3", store_widget_state=False,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.comm_open_handlers.clear()
    client.execute()
    job_cell = nb.cells[1]
    assert {"name": "stdout", "output_type": "stream", "text": "count 3\n"} in job_cell.outputs
    return nb, job_cell.outputs


def test_a_job_gets_a_widget_bar_that_reaches_its_total(tmp_path):
    pytest.importorskip("ipywidgets")
    nb, outputs = _run_notebook(tmp_path, after=[WIDGET_STATES])
    states = json.loads(nb.cells[2].outputs[0]["text"])
    [view] = [o for o in outputs if o["output_type"] == "display_data"]
    box = states[view["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]]
    bar, label = (states[ref[len("IPY_MODEL_"):]] for ref in box["children"])
    assert bar["_view_name"] == "ProgressView"
    assert (bar["value"], bar["max"], bar["bar_style"]) == (6, 6, "success")
    assert label["value"] == "Job 0: 6/6 tasks, finished"


def test_without_ipywidgets_the_label_is_text_updated_in_place(tmp_path):
    _, outputs = _run_notebook(tmp_path, hide="sys.modules['ipywidgets'] = None  # absent")
    [view] = [o for o in outputs if o["output_type"] == "display_data"]
    assert view["data"] == {"text/plain": "Job 0: 6/6 tasks, finished"}, json.dumps(view)


def test_the_setting_turns_it_off(tmp_path):
    # Nothing is displayed: the gate opens when waiting for that gives up.
    _, outputs = _run_notebook(tmp_path, show="false", wait=2)
    assert [o for o in outputs if o["output_type"] != "stream"] == []
