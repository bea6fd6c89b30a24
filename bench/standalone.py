"""The `ember-standalone` system of `make bench`: ember's standalone cluster
with the master, two workers and the driver each in its own Linux network
namespace on a bridge, so tasks, results and shuffle blocks cross veth
links. Each worker offers 1 core and 1024 MiB, so an application gets two
executors of one core: two cores in all, like local[2] and
local-cluster[2,1,1024]. The hosts and daemons are tests/multihost's
Topology and StandaloneCluster, imported from there.

Contract: StandaloneBench.start() starts the daemons, their settings and
logs in a new temporary directory, and returns once both workers are
ALIVE, or raises Unavailable saying why (not root, no namespaces, a daemon
that did not come up). driver_command(argv) runs a driver program in the
driver's namespace, and driver_env(env) hands it the cluster's settings,
the secret among them, in EMBER_CONF (never on a command line); the
driver waits for both executors before its first job, as local-cluster
does. application_pids() are the processes the cluster runs for
applications: everything in the workers' namespaces but the worker
daemons (executors and their Python workers). wait_idle() returns once the
last application is over and its executors and their work dirs are gone,
so one run never overlaps the next. close() kills everything, removes the
namespaces and then the directory.
"""

import os
import shutil
import sys
import tempfile

TESTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests")
sys.path[:0] = [os.path.join(TESTS, "multihost"), TESTS]  # netns_cluster imports tests/polling.py
from netns import NamespacesUnavailable, Topology  # noqa: E402
from netns_cluster import EXECUTABLE, StandaloneCluster  # noqa: E402

APP_NAME = "bench"  # what bench/jobs.py calls its SparkContext
HOSTS = ["master", "worker1", "worker2", "driver"]
WORKER_RESOURCES = ("--cores", "1", "--memory", "1024m")
DRIVER_SETTINGS = {
    "spark.executor.cores": "1",
    "spark.executor.memory": "1024m",
    "spark.cores.max": "2",
    "spark.scheduler.minRegisteredResourcesRatio": "1.0",
}
# The tests' settings for detecting lost peers within seconds: a benchmark
# runs with the defaults instead.
TEST_ONLY_SETTINGS = ("spark.network.timeout", "spark.executor.heartbeatInterval")


class Unavailable(Exception):
    """The cluster cannot run here; the message says why."""


class StandaloneBench:
    def __init__(self, topology, cluster, directory):
        self.topology = topology
        self.cluster = cluster
        self.directory = directory

    @classmethod
    def start(cls):
        directory = tempfile.mkdtemp(prefix="ember-bench-standalone-")
        try:
            topology = Topology(HOSTS, directory)
        except NamespacesUnavailable as reason:
            shutil.rmtree(directory)
            raise Unavailable("network namespaces unavailable: %s" % reason) from None
        bench = cls(topology, StandaloneCluster(topology, directory, EXECUTABLE,
                                                worker_resources=WORKER_RESOURCES), directory)
        try:
            bench.cluster.start()
        except AssertionError as failure:  # a daemon exited or never became ALIVE
            bench.close()
            raise Unavailable("the cluster did not start: %s" % failure) from None
        return bench

    def driver_command(self, argv):
        return self.topology.command("driver", argv)

    def driver_env(self, env):
        settings = dict(self.cluster.driver_settings(), **DRIVER_SETTINGS)
        for key in TEST_ONLY_SETTINGS:
            settings.pop(key)
        return dict(env, EMBER_CONF="".join("%s=%s\n" % item for item in sorted(settings.items())))

    def application_pids(self):
        daemons = {process.pid for process in self.cluster.worker_processes.values()}
        return [pid for worker in self.cluster.workers for pid in self.topology.pids(worker)
                if pid not in daemons]

    def wait_idle(self):
        self.cluster.wait_application_gone(APP_NAME, self.cluster.workers)

    def close(self):
        try:
            self.topology.close()
        finally:
            shutil.rmtree(self.directory)
