"""A standalone cluster on this machine's loopback for tests: a real
`ember master` and real `ember worker` daemons, each its own process.

LoopbackCluster(root, workers=2, cores=1, memory="2g", settings={}) starts
nothing until start(); start() launches the master on free ports (read
back from its log), then the workers, and returns once /json lists them
all ALIVE. The daemons' settings go in a properties file (mode 0600) under
`root`, never on a command line. stop() sends SIGTERM to every daemon,
waits for it, and fails if one does not end; kill_master() / start_master()
restart the master on the same ports.

executor_roots(sc) lists the directories under which a context's
executors keep files: the application directory (local modes,
local-cluster) and, for a context on a started LoopbackCluster, its root."""

import json
import os
import re
import signal
import subprocess
import urllib.request

from polling import wait_for

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_started = {}  # url -> LoopbackCluster


def executor_roots(sc):
    cluster = _started.get(sc.master)
    return [sc._engine.local_dir] + ([cluster.root] if cluster else [])


def ember_program():
    return os.environ.get("EMBER_EXECUTABLE") or os.path.join(ROOT, "build", "ember")



class LoopbackCluster:
    def __init__(self, root, workers=2, cores=1, memory="2g", settings=None):
        self.root = str(root)
        self.settings = dict(settings or {})
        self.worker_specs = [(cores, memory)] * workers
        self.master = None
        self.workers = []
        self.port = self.webui_port = 0
        os.makedirs(self.root, exist_ok=True)
        self.properties = os.path.join(self.root, "spark-defaults.conf")
        fd = os.open(self.properties, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            for key, value in self.settings.items():
                f.write("%s=%s\n" % (key, value))

    @property
    def url(self):
        return "ember://127.0.0.1:%d" % self.port

    def _spawn(self, name, args):
        log = open(os.path.join(self.root, name + ".log"), "ab")
        env = dict(os.environ)
        env.pop("EMBER_CONF", None)
        return subprocess.Popen([ember_program()] + args, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env)

    def log(self, name):
        with open(os.path.join(self.root, name + ".log"), errors="replace") as f:
            return f.read()

    def start_master(self):
        self.master = self._spawn("master", ["master", "--host", "127.0.0.1", "--port", str(self.port),
                                             "--webui-port", str(self.webui_port),
                                             "--properties-file", self.properties])

        def started():
            if self.master.poll() is not None:
                raise AssertionError("the master exited: " + self.log("master"))
            found = re.findall(r"ember master at ember://127\.0\.0\.1:(\d+) \(web UI http://127\.0\.0\.1:(\d+)",
                               self.log("master"))
            return found[-1] if found else None
        port, webui = wait_for(started, "the master to listen")
        self.port, self.webui_port = int(port), int(webui)

    def start_worker(self, i):
        cores, memory = self.worker_specs[i]
        worker = self._spawn("worker%d" % i, ["worker", self.url, "--host", "127.0.0.1", "--cores", str(cores),
                                               "--memory", memory, "--work-dir", self.work_dir(i),
                                               "--properties-file", self.properties])
        if i < len(self.workers):
            self.workers[i] = worker
        else:
            self.workers.append(worker)

    def work_dir(self, i):
        return os.path.join(self.root, "worker%d" % i)

    def start(self):
        self.start_master()
        for i in range(len(self.worker_specs)):
            self.start_worker(i)
        self.wait_for_workers(len(self.worker_specs))
        _started[self.url] = self
        return self

    def status(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/json" % self.webui_port, timeout=5) as r:
            return json.load(r)

    def wait_for_workers(self, n, timeout=30):
        wait_for(lambda: self.status()["aliveworkers"] == n, "%d workers ALIVE" % n, timeout)

    def kill_master(self):
        self.master.send_signal(signal.SIGKILL)
        self.master.wait()

    def stop(self):
        procs = [p for p in self.workers + [self.master] if p is not None]
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        hung = []
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                hung.append(p.args)
        assert not hung, "daemons did not stop on SIGTERM: %s" % hung
