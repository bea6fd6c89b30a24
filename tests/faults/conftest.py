"""Every fault scenario runs under each master of EMBER_FAULT_MASTERS
(";"-separated; default local[2,4] and local-cluster[2,1,1024]): a driver
program's make_context() without a master gets the test's. Tests that
pick their masters themselves are marked `own_master` and run once."""

import os

import pytest

MASTERS = os.environ.get("EMBER_FAULT_MASTERS", "local[2,4];local-cluster[2,1,1024]").split(";")


def pytest_generate_tests(metafunc):
    if "fault_master" in metafunc.fixturenames:
        own = metafunc.definition.get_closest_marker("own_master")
        metafunc.parametrize("fault_master", MASTERS[:1] if own else MASTERS)


@pytest.fixture(autouse=True)
def _fault_master(fault_master, monkeypatch):
    monkeypatch.setenv("EMBER_FAULTS_MASTER", fault_master)
