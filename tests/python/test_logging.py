"""One log format for the engine and the driver's Python loggers, WARN by
default, sc.setLogLevel / spark.log.level changing the driver's and the
executors' levels (docs/configuration.md#logging). Most tests run a program
in its own process and read its stderr; standalone executors are read in
their worker's log."""

import os
import re
import subprocess
import sys

import pytest
import standalone_cluster

from ember.errors import IllegalArgumentException

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STAMP = r"^\d\d/\d\d/\d\d \d\d:\d\d:\d\d "
MARK = "---- level changed ----"


def run_program(body, master="local[2]", conf=""):
    script = ("import logging, sys\n"
              "from ember import SparkConf, SparkContext\n"
              "sc = SparkContext(%r, conf=SparkConf()%s)\n" % (master, conf) + body + "sc.stop()\n")
    env = {k: v for k, v in os.environ.items() if k not in ("EMBER_CONF", "SPARK_CONF_DIR", "EMBER_CONF_DIR")}
    env["PYTHONPATH"] = os.path.join(ROOT, "python")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                         timeout=180, cwd="/")
    assert out.returncode == 0, out.stderr
    before, _, after = out.stderr.partition(MARK)
    return before, after


def test_info_level_shows_engine_and_python_lines_in_one_format():
    before, after = run_program(
        "sc.parallelize(range(4), 2).count()\n"
        "logging.getLogger('ember.app').info('hidden at WARN')\n"
        "print(%r, file=sys.stderr, flush=True)\n"
        "sc.setLogLevel('info')\n"
        "sc.parallelize(range(4), 2).count()\n"
        "logging.getLogger('ember.app').info('shown at INFO')\n" % MARK)
    assert " INFO " not in before
    assert re.search(STAMP + r"INFO DAGScheduler: Job 1 finished$", after, re.M), after
    assert re.search(STAMP + r"INFO ember\.app: shown at INFO$", after, re.M), after


def test_error_level_silences_warnings():
    program = ("logging.getLogger('ember.app').warning('a warning')\n"
               "print(%r, file=sys.stderr, flush=True)\n" % MARK)
    unknown = ".set('spark.nosuch.setting', '1')"
    before, _ = run_program(program, conf=unknown)
    assert re.search(STAMP + r"WARN ember: Ignoring unknown setting spark.nosuch.setting", before, re.M)
    assert re.search(STAMP + r"WARN ember\.app: a warning$", before, re.M)
    before, _ = run_program(program, conf=unknown + ".set('spark.log.level', 'ERROR')")
    assert "WARN" not in before, before
    _, after = run_program("sc.setLogLevel('ERROR')\n" + program.replace("'a warning'", "'silenced'"))
    assert "silenced" not in after


def test_executor_processes_take_the_drivers_level():
    # local-cluster: tasks run only in executor processes, whose stderr is
    # the driver's.
    before, after = run_program(
        "sc.parallelize(range(4), 2).count()\n"
        "print(%r, file=sys.stderr, flush=True)\n"
        "sc.setLogLevel('INFO')\n"
        "sc.parallelize(range(4), 2).count()\n" % MARK, master="local-cluster[2,1,1024]")
    assert "Running task" not in before
    for partition in (0, 1):
        assert re.search(STAMP + r"INFO Executor: Running task %d\.0 in stage 1\.0 \(TID \d+\)$" % partition,
                         after, re.M), after


def test_standalone_executors_log_at_the_drivers_level_to_their_workers_output(sc, master):
    cluster = standalone_cluster._started.get(master)
    if cluster is None:
        pytest.skip("standalone only (local-cluster: test_executor_processes_take_the_drivers_level)")
    running = re.compile(STAMP + r"INFO Executor: Running task \d+\.\d+ in stage \d+\.\d+ \(TID \d+\)$", re.M)

    def lines():  # an executor logs the task before running it: written before the job ends
        return len(running.findall("".join(cluster.log("worker%d" % i) for i in range(len(cluster.workers)))))
    before = lines()
    sc.parallelize(range(2), 2).count()
    assert lines() == before  # WARN: no task lines
    sc.setLogLevel("INFO")
    try:
        sc.parallelize(range(2), 2).count()
        assert lines() == before + 2
    finally:
        sc.setLogLevel("WARN")
    sc.parallelize(range(2), 2).count()  # and back: the executors took WARN again
    assert lines() == before + 2


def test_an_unknown_level_is_refused(sc):
    with pytest.raises(IllegalArgumentException, match="Supplied level LOUD did not match one of"):
        sc.setLogLevel("LOUD")
