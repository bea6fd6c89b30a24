"""Driver programs of the multi-host tests, run as real processes in the
driver's namespace, and the gate files through which their tasks tell the
test where they run and wait for its go-ahead.

Contract: Drivers(cluster, directory).start(body, name) runs PRELUDE +
TASK_HELPERS + body with /usr/bin/python3 (the test's interpreter) in host
"driver", its settings (the secret among them) handed over in EMBER_CONF,
never on the command line; start() returns a RunningDriver at once, whose
finish(timeout) returns (returncode, stdout, stderr) or, past the timeout,
kills it and fails the test: a hang never blocks the suite. In the body,
make_context() gives a SparkContext for the cluster, GATES is the shared
gate directory (namespaces share the file system), and:

- gated(tag, gate=True, meet=1) is a mapPartitions function: each attempt
  of a partition writes GATES/started-<tag>-<partition>-<attempt> (its
  network namespace and pid), waits until attempts of `tag` have started in
  `meet` distinct namespaces, and with `gate` until GATES/go-<tag> exists;
- pause(name) (driver side, between jobs) writes GATES/at-<name> and waits
  for GATES/go-<name>.

Gates(drivers, topology) is the test's side: started(tag), wait_started,
wait_at, go. A fault is injected only once the tasks it targets are known
to run, never after a sleep.
"""

import collections
import json
import os
import sys
import textwrap

from polling import wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GATE_TIMEOUT = 60  # a task or driver waiting on a gate gives up after this

PRELUDE = """\
import json, os, sys, time
from operator import add
from ember import SparkConf, SparkContext, TaskContext
GATES = {gates!r}
GATE_TIMEOUT = {timeout!r}

def make_context():
    return SparkContext(conf=SparkConf())
"""

# Defined in every driver program; shipped to tasks by value (cloudpickle).
TASK_HELPERS = '''
def wait_until(condition, what):
    deadline = time.time() + GATE_TIMEOUT
    while not condition():
        if time.time() > deadline:
            raise RuntimeError("gave up after %d s waiting for %s" % (GATE_TIMEOUT, what))
        time.sleep(0.02)

def started_namespaces(tag):
    found = set()
    for name in os.listdir(GATES):
        if name.startswith("started-%s-" % tag):
            with open(os.path.join(GATES, name)) as f:
                found.add(tuple(json.load(f)["namespace"]))
    return found

def gated(tag, gate=True, meet=1):
    def run(records):
        ctx = TaskContext.get()
        status = os.stat("/proc/self/ns/net")
        name = "started-%s-%d-%d" % (tag, ctx.partitionId(), ctx.attemptNumber())
        with open(os.path.join(GATES, "." + name), "w") as f:
            json.dump({"namespace": [status.st_dev, status.st_ino], "pid": os.getpid()}, f)
        os.rename(os.path.join(GATES, "." + name), os.path.join(GATES, name))
        wait_until(lambda: len(started_namespaces(tag)) >= meet,
                   "tasks of %s in %d namespaces" % (tag, meet))
        if gate:
            wait_until(lambda: os.path.exists(os.path.join(GATES, "go-" + tag)), "go-" + tag)
        return records
    return run

def pause(name):
    open(os.path.join(GATES, "at-" + name), "w").close()
    wait_until(lambda: os.path.exists(os.path.join(GATES, "go-" + name)), "go-" + name)
'''

Started = collections.namedtuple("Started", "partition attempt host pid")
Result = collections.namedtuple("Result", "returncode stdout stderr")


class RunningDriver:
    def __init__(self, process, describe):
        self.process = process
        self.describe = describe

    def kill(self):
        self.process.kill()

    def check_running(self):
        """AssertionError with its output if the driver has exited."""
        if not self.process.alive():
            stdout, stderr = self.process.output()
            raise AssertionError("the driver exited (%s) early\nstdout:\n%s\nstderr:\n%s" % (
                self.process.popen.returncode, stdout[-3000:], stderr[-3000:]))

    def finish(self, timeout=60):
        returncode = self.process.wait(timeout)
        if returncode is None:
            self.process.kill()
        stdout, stderr = self.process.output()
        assert returncode is not None, "the driver hung (killed after %d s); %s\nstdout:\n%s\nstderr:\n%s" % (
            timeout, self.describe(), stdout[-3000:], stderr[-3000:])
        return Result(returncode, stdout, stderr)


class Drivers:
    def __init__(self, cluster, directory):
        self.cluster = cluster
        self.directory = str(directory)
        self.gates = os.path.join(self.directory, "gates")
        os.makedirs(self.gates, exist_ok=True)
        self.count = 0

    def start(self, body, name, settings=None):
        """Start a driver running `body`; `settings` override (None removes)
        the cluster's driver settings."""
        self.count += 1
        conf = dict(self.cluster.driver_settings(), **{"spark.app.name": name})
        for key, value in (settings or {}).items():
            if value is None:
                conf.pop(key, None)
            else:
                conf[key] = value
        script = os.path.join(self.directory, "driver-%d-%s.py" % (self.count, name))
        with open(script, "w") as f:
            f.write(PRELUDE.format(gates=self.gates, timeout=GATE_TIMEOUT) + TASK_HELPERS
                    + textwrap.dedent(body))
        python_path = os.environ.get("PYTHONPATH") or os.path.join(ROOT, "python")
        env = {"EMBER_CONF": "".join("%s=%s\n" % item for item in sorted(conf.items())),
               "PYTHONPATH": python_path, "EMBER_EXECUTABLE": self.cluster.executable}
        process = self.cluster.topology.start("driver", [sys.executable, script],
                                              "driver-%d" % self.count, env=env)
        return RunningDriver(process, self.cluster.describe)

    def run(self, body, name, settings=None, timeout=60):
        return self.start(body, name, settings).finish(timeout)


class Gates:
    def __init__(self, drivers, topology):
        self.directory = drivers.gates
        self.topology = topology

    def started(self, tag):
        """[Started] of every attempt of `tag` so far."""
        found = []
        for name in os.listdir(self.directory):
            if name.startswith("started-%s-" % tag):
                partition, attempt = name[len("started-%s-" % tag):].split("-")
                with open(os.path.join(self.directory, name)) as f:
                    record = json.load(f)
                found.append(Started(int(partition), int(attempt),
                                     self.topology.host_of_namespace(record["namespace"]), record["pid"]))
        return sorted(found)

    def wait_started(self, driver, tag, partitions, hosts, timeout=45):
        """Wait until first attempts of `partitions` partitions of `tag` run
        (they are gated) on all of `hosts`; returns them. Fails at once if
        the driver exits first."""
        def ready():
            driver.check_running()
            first = [s for s in self.started(tag) if s.attempt == 0]
            return first if len(first) >= partitions and set(hosts) <= {s.host for s in first} else None
        return wait_for(ready, "%d tasks of %s running on %s" % (partitions, tag, ", ".join(hosts)),
                        timeout, describe=lambda: self.started(tag))

    def wait_at(self, driver, name, timeout=60):
        def there():
            driver.check_running()
            return os.path.exists(os.path.join(self.directory, "at-" + name))
        wait_for(there, "the driver to reach " + name, timeout)

    def go(self, name):
        open(os.path.join(self.directory, "go-" + name), "w").close()


def last_json(result):
    """The last stdout line of a driver that succeeded, parsed."""
    assert result.returncode == 0, "driver failed (%d):\n%s" % (result.returncode, result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])
