"""Fixtures of the multi-host tests: topologies of network namespaces
(skipped, with the reason, where namespaces cannot be made)."""

import pytest

from netns import NamespacesUnavailable, Topology


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
    for topology in made:
        topology.close()
