"""Fixtures of the multi-host tests: topologies of network namespaces
(skipped, with the reason, where namespaces cannot be made) and, on one, a
standalone cluster — hosts master, worker1, worker2 and driver, the daemons
up and registered — with drivers to run in it and the gates their tasks
wait on. A failing test prints the output of every process it started."""

import pytest

from drivers import Drivers, Gates
from netns import NamespacesUnavailable, Topology
from netns_cluster import EXECUTABLE, StandaloneCluster
from tls_certs import make_certificates


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    cluster = getattr(item, "funcargs", {}).get("cluster")
    if report.failed and isinstance(cluster, StandaloneCluster):
        report.sections.append(("output of the cluster's processes", cluster.logs()))


@pytest.fixture
def make_topology(tmp_path):
    """make_topology(hosts) -> a Topology, closed at teardown (which fails
    the test if anything it started is left)."""
    made = []

    def make(hosts):
        log_dir = tmp_path / ("topology-%d" % len(made))
        log_dir.mkdir()
        try:
            topology = Topology(hosts, log_dir)
        except NamespacesUnavailable as reason:
            pytest.skip("network namespaces unavailable: %s" % reason)
        made.append(topology)
        return topology

    yield make
    failures = []
    for topology in made:
        try:
            topology.close()
        except AssertionError as failure:  # close the others all the same
            failures.append(str(failure))
    assert not failures, "; ".join(failures)


@pytest.fixture
def cluster(make_topology, tmp_path, request):
    """A started StandaloneCluster. The indirect parameter "tls" gives
    daemons and drivers TLS settings (spark.ssl.*) with certificates made
    for the test."""
    topology = make_topology(["master", "worker1", "worker2", "driver"])
    directory = tmp_path / "cluster"
    directory.mkdir()
    security = None
    if getattr(request, "param", None) == "tls":
        (tmp_path / "certs").mkdir()
        security = {k.replace("_", "."): v for k, v in make_certificates(tmp_path / "certs").items()}
    cluster = StandaloneCluster(topology, directory, EXECUTABLE, security)
    try:
        cluster.start()
    except BaseException:
        print(cluster.logs())  # shown with the failed set-up
        raise
    return cluster


@pytest.fixture
def drivers(cluster, tmp_path):
    return Drivers(cluster, tmp_path / "drivers")


@pytest.fixture
def gates(drivers, cluster):
    return Gates(drivers, cluster.topology)
