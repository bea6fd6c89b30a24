"""pytest set-up shared by the doctests in python/ember and tests/python.

Every test that uses the ``sc`` fixture runs under each master in
EMBER_TEST_MASTERS (";"-separated, as masters contain commas; default:
local[2] and local-cluster[2,1,1024]), so the same tests cover the
in-process executor and executor processes talking over TCP. Doctests
get ``sc`` under the last of them. A test process keeps one context at a
time: it is reused while the master stays the same."""

import os
import sys

import pytest
from _pytest.doctest import DoctestItem
from hypothesis import HealthCheck, settings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))

from ember import SparkContext  # noqa: E402

MASTERS = os.environ.get("EMBER_TEST_MASTERS", "local[2];local-cluster[2,1,1024]").split(";")
_active = {}  # master -> the live context (at most one)

# `sc` is a per-test fixture handing out the shared context: reusing it
# across hypothesis examples is intended.
settings.register_profile("ember", suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile("ember")


def _context(master):
    if master not in _active:
        for other in list(_active):
            _active.pop(other).stop()
        _active[master] = SparkContext(master, "ember-tests")
    return _active[master]


@pytest.fixture(scope="session", autouse=True)
def _stop_contexts():
    yield
    for context in _active.values():
        context.stop()


@pytest.fixture(scope="session", params=MASTERS)
def master(request):
    return request.param


@pytest.fixture
def sc(master):
    return _context(master)


@pytest.fixture(autouse=True)
def _doctest_sc(request, doctest_namespace):
    if isinstance(request.node, DoctestItem):
        doctest_namespace["sc"] = _context(MASTERS[-1])
