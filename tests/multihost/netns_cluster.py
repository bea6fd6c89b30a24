"""ember's standalone cluster on a Topology, as the tests drive and observe it.

Contract: StandaloneCluster(topology, directory, executable, security,
worker_resources) writes the daemons' settings — the shared secret among
them — to a properties file of mode 0600 (settings never go on a command
line); start() starts `ember master` in host "master" and `ember worker`
in every host named worker*, each with its own work dir and
`worker_resources` (its --cores and --memory options; by default 2 cores
and 2g), and returns once the master's /json says it is ALIVE with every
worker ALIVE. `security` are settings the daemons and the drivers share
beyond the secret (spark.ssl.* once TLS lands); driver_settings() are what
a driver needs to use the cluster.

It reads /json from inside the master's namespace (status(); None while
nothing answers), kills and restarts the master, kills a worker, finds
executor processes (`ember executor`, run by a worker in its namespace)
and the executor a task runs under, lists every process's command line,
tells which entries of a worker's work dir appeared since the worker
started, and waits until an application is gone: not active, no executor
left, its executors' work dirs removed.

master_status() reads /json of any master; EXECUTABLE is the `ember` under
test ($EMBER_EXECUTABLE, or the build tree's).
"""

import http.client
import json
import os
import secrets

from polling import wait_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXECUTABLE = os.environ.get("EMBER_EXECUTABLE") or os.path.join(ROOT, "build", "ember")
MASTER_PORT, WEBUI_PORT = 7077, 8080
DAEMON_PROPERTIES = {
    "spark.authenticate": "true",  # the master refuses a non-loopback bind without it
    "spark.worker.timeout": "6",
}
WORKER_RESOURCES = ("--cores", "2", "--memory", "2g")
# One executor of two cores on each worker; executors and the master notice
# a silent peer within seconds, so partitions are detected quickly.
DRIVER_SETTINGS = {
    "spark.authenticate": "true",
    "spark.executor.cores": "2",
    "spark.executor.memory": "512m",
    "spark.cores.max": "4",
    "spark.network.timeout": "8s",
    "spark.executor.heartbeatInterval": "1s",
}


def master_status(topology, host, address):
    """GET http://address:WEBUI_PORT/json from inside `host`, parsed; None
    while nothing answers."""
    def get():
        conn = http.client.HTTPConnection(address, WEBUI_PORT, timeout=2)
        try:
            conn.request("GET", "/json")
            response = conn.getresponse()
            return json.loads(response.read()) if response.status == 200 else None
        finally:
            conn.close()
    try:
        return topology.run_in(host, get)
    except (OSError, ValueError, http.client.HTTPException):
        return None


def command_line(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


def parent_of(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def is_executor(pid):
    argv = command_line(pid)
    return len(argv) > 1 and argv[1] == "executor"


class StandaloneCluster:
    def __init__(self, topology, directory, executable, security=None, worker_resources=WORKER_RESOURCES):
        self.topology = topology
        self.worker_resources = tuple(worker_resources)
        self.directory = str(directory)
        self.executable = executable
        self.secret = secrets.token_hex(16)
        self.security = dict(security or {})
        self.properties = dict(DAEMON_PROPERTIES, **{"spark.authenticate.secret": self.secret},
                               **self.security)
        self.properties_file = os.path.join(self.directory, "daemons.properties")
        fd = os.open(self.properties_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write("# written by tests/multihost for one test\n")
            f.writelines("%s=%s\n" % item for item in sorted(self.properties.items()))
        self.workers = sorted(h for h in topology.hosts if h.startswith("worker"))
        self.master = None
        self.worker_processes = {}
        self.initial_work_dirs = {}

    @property
    def url(self):
        return "ember://%s:%d" % (self.topology.address("master"), MASTER_PORT)

    def work_dir(self, worker):
        return os.path.join(self.directory, "work-" + worker)

    def start(self, timeout=30):
        self.start_master()
        for worker in self.workers:
            self.start_worker(worker)
        self.wait_for_workers(self.workers, timeout)
        return self

    def start_master(self):
        self.master = self.topology.start("master", [
            self.executable, "master", "--host", self.topology.address("master"),
            "--port", str(MASTER_PORT), "--webui-port", str(WEBUI_PORT),
            "--properties-file", self.properties_file], "master")
        return self.master

    def start_worker(self, worker):
        os.makedirs(self.work_dir(worker), exist_ok=True)
        self.initial_work_dirs[worker] = set(os.listdir(self.work_dir(worker)))
        self.worker_processes[worker] = self.topology.start(worker, [
            self.executable, "worker", self.url, "--host", self.topology.address(worker),
            *self.worker_resources, "--work-dir", self.work_dir(worker),
            "--properties-file", self.properties_file], "worker")

    def kill_master(self):
        self.master.kill()

    def kill_worker(self, worker):
        self.worker_processes[worker].kill()

    def driver_settings(self):
        return dict(DRIVER_SETTINGS, **self.security, **{
            "spark.master": self.url,
            "spark.driver.host": self.topology.address("driver"),
            "spark.authenticate.secret": self.secret,
        })

    def status(self):
        """The master's /json, parsed; None while nothing answers."""
        return master_status(self.topology, "master", self.topology.address("master"))

    def worker_states(self, status):
        """{host: [state of each of its entries in /json]}"""
        hosts = {self.topology.address(w): w for w in self.workers}
        states = {}
        for entry in (status or {}).get("workers", []):
            states.setdefault(hosts.get(entry.get("host"), entry.get("host")), []).append(entry.get("state"))
        return states

    def alive_workers(self, status):
        return {host for host, states in self.worker_states(status).items() if "ALIVE" in states}

    def wait_for_workers(self, workers, timeout=30):
        """Wait until the master is ALIVE with `workers` ALIVE; its status.
        Fails at once if one of those daemons has exited."""
        def ready():
            for process in [self.master] + [self.worker_processes[w] for w in workers]:
                if not process.alive():
                    raise AssertionError("%s %s exited (%s): %s" % (
                        process.host, process.name, process.popen.returncode, process.output()[1][-2000:]))
            status = self.status()
            if status and status.get("status") == "ALIVE" and set(workers) <= self.alive_workers(status):
                return status
            return None
        return wait_for(ready, "the master ALIVE with %s ALIVE" % ", ".join(workers), timeout,
                        describe=self.describe)

    def application(self, status, name):
        """(list it is in, its entry) of the application called `name`, or (None, None)."""
        for where in ("activeapps", "completedapps"):
            for app in (status or {}).get(where, []):
                if app.get("name") == name:
                    return where, app
        return None, None

    def executors(self, worker=None):
        """{pid: host} of live executor processes, on `worker` or on any worker."""
        return {pid: host for host in ([worker] if worker else self.workers)
                for pid in self.topology.pids(host) if is_executor(pid)}

    def command_lines(self):
        """The argument vectors of the processes on every host."""
        return [command_line(pid) for host in self.topology.hosts for pid in self.topology.pids(host)]

    def executor_of(self, pid):
        """The executor process that `pid` (a task's Python worker) runs under."""
        while pid > 1:
            if is_executor(pid):
                return pid
            pid = parent_of(pid)
        raise AssertionError("no executor process above the task's process")

    def new_work_dir_entries(self, worker):
        return sorted(set(os.listdir(self.work_dir(worker))) - self.initial_work_dirs[worker])

    def wait_application_gone(self, name, workers, timeout=30):
        """Wait until application `name` is not active on the master, no
        executor runs on any worker and `workers` removed the work dirs of
        its executors (a killed worker removes nothing)."""
        def gone():
            status = self.status()
            return (status is not None and self.application(status, name)[0] != "activeapps"
                    and not self.executors()
                    and not any(self.new_work_dir_entries(w) for w in workers))
        wait_for(gone, "application %s to be gone" % name, timeout, describe=lambda: "%s; new in work dirs: %s" % (
            self.describe(), {w: self.new_work_dir_entries(w) for w in workers}))

    def describe(self):
        """The state for a failure message: /json and live executors."""
        return "/json: %s; executors: %s" % (json.dumps(self.status()), self.executors())

    def logs(self, tail=4000):
        """The tail of every process's output, for a failure report."""
        parts = []
        for process in self.topology.processes:
            out, err = process.output()
            parts.append("--- %s %s (pid %d) stdout:\n%s\n--- stderr:\n%s" % (
                process.host, process.name, process.pid, out[-tail:], err[-tail:]))
        return "\n".join(parts)
