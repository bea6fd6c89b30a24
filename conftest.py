"""pytest set-up shared by the doctests in python/ember and tests/python.

Every test that uses the ``sc`` fixture runs under each master in
EMBER_TEST_MASTERS (";"-separated, as masters contain commas; default:
local[2], local-cluster[2,1,1024] and standalone), so the same tests cover
the in-process executor, executor processes talking over TCP, and a
standalone cluster's daemons placing them. "standalone" is a real `ember
master` with two one-core `ember worker`s on loopback, started once per
test process (tests/standalone_cluster.py); the ``master`` fixture then
gives its ember:// URL. Doctests get ``sc`` under the last of them. A test
process keeps one context at a time: it is reused while the master stays
the same."""

import os
import shutil
import sys
import tempfile

import pytest
from _pytest.doctest import DoctestItem
from hypothesis import HealthCheck, settings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "python"))
sys.path.insert(0, os.path.join(HERE, "tests"))

from ember import SparkConf, SparkContext  # noqa: E402
from standalone_cluster import LoopbackCluster  # noqa: E402

MASTERS = os.environ.get("EMBER_TEST_MASTERS", "local[2];local-cluster[2,1,1024];standalone").split(";")
# Importing it switches the test process's pyspark imports to ember's:
# tests/python/test_pyspark_compat.py does that in subprocesses instead.
collect_ignore = ["python/ember/pyspark_compat.py"]
_active = {}  # master -> the live context (at most one)
_clusters = {}  # "standalone" -> its LoopbackCluster, once started

# `sc` is a per-test fixture handing out the shared context: reusing it
# across hypothesis examples is intended.
# Derandomized: the same examples every run, so a test never passes or
# fails on the luck of generation (a loaded machine once tripped
# hypothesis's data_too_large check, which is about the generator, not
# about ember).
settings.register_profile("ember", derandomize=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
settings.load_profile("ember")


def _url(master):
    """The URL of a master name: "standalone" starts its cluster."""
    if master != "standalone":
        return master
    if master not in _clusters:
        root = tempfile.mkdtemp(prefix="ember-standalone-")
        _clusters[master] = LoopbackCluster(root, workers=2, cores=1, memory="2g").start()
    return _clusters[master].url


def _new_context(url, settings, **kwargs):
    for other in list(_active):
        _active.pop(other).stop()
    conf = SparkConf().setAll(settings.items())
    if url.startswith("ember://"):  # both executors up before the first test
        conf.set("spark.cores.max", "2").set("spark.scheduler.minRegisteredResourcesRatio", "1.0")
    return SparkContext(url, "ember-tests", conf=conf, **kwargs)


def _context(master):
    url = _url(master)
    if url not in _active:
        _active[url] = _new_context(url, {})
    return _active[url]




@pytest.fixture(scope="session", autouse=True)
def _stop_contexts():
    yield
    for context in _active.values():
        context.stop()
    for cluster in _clusters.values():
        cluster.stop()
        shutil.rmtree(cluster.root, ignore_errors=True)


@pytest.fixture(scope="session", params=MASTERS)
def master(request):
    return _url(request.param)


@pytest.fixture
def sc(master):
    return _context(master)


@pytest.fixture
def context_with(master):
    """context_with(settings, **kwargs): a context of the test's own under
    `master` with extra settings (spark.hadoop.*, ...) and SparkContext
    arguments (serializer=...). The shared one stops first; this one stops
    after the test (the next ``sc`` starts afresh)."""
    made = []

    def make(settings, **kwargs):
        made.append(_new_context(master, settings, **kwargs))
        return made[-1]

    yield make
    for context in made:
        context.stop()


@pytest.fixture(autouse=True)
def _doctest_sc(request, doctest_namespace):
    if isinstance(request.node, DoctestItem):
        doctest_namespace["sc"] = _context(MASTERS[-1])
