"""The standalone cluster across hosts: `ember master`, two `ember worker`s
and a driver, each in its own network namespace, under the faults a real
cluster meets — a worker, an executor (also one whose map outputs other
hosts need), the master or the driver killed (SIGKILL) mid-job, a
worker's link cut mid-job, an application with the
wrong secret; and the master's refusal to listen beyond loopback without
a secret.

Contract of every test: the answer is exact (compared with plain Python) or
the error is clear; nothing hangs (a driver is killed and the test fails
after its deadline; the module has a pytest timeout); once an application
ends the master no longer lists it as active, no executor runs anywhere and
the workers removed its executors' work dirs; teardown fails if any process
is left in the namespaces.

Determinism: faults are injected while gated tasks are known to run (see
drivers.py): the test waits for their started-* files, strikes, then lets
them go. Every application gets one executor of two cores on each worker
(spark.cores.max=4); jobs whose tasks "meet" in two namespaces can only
run with executors on both workers.

TLS: the scenarios marked PLAIN_AND_TLS run twice, the second time with
every connection of daemons, drivers and executors in TLS (spark.ssl.*);
a driver without TLS is refused by a cluster with it, clearly.
"""

import os
import signal
from collections import Counter

import pytest

from drivers import last_json
from netns_cluster import EXECUTABLE, MASTER_PORT, master_status
from polling import wait_for

pytestmark = pytest.mark.timeout(120)
WORKERS = ("worker1", "worker2")
PLAIN_AND_TLS = pytest.mark.parametrize("cluster", [None, "tls"], indirect=True, ids=["plain", "tls"])

LINES = ["w%d w%d w%d" % (i % 7, i % 13, i % 31) for i in range(3000)]
SUMS = [[k, sum(range(k, 4000, 10))] for k in range(10)]

# A job of two stages, on both workers; the tasks of one stage are gated
# once they run on both (the test strikes while they wait, then says go).
GATED_SUM = """
sc = make_context()
pairs = sc.parallelize(range(4000), 4).mapPartitions(gated("map", {map_gate}))
sums = pairs.map(lambda x: (x % 10, x)).reduceByKey(add, 4).mapPartitions(gated("reduce", {reduce_gate}))
result = sorted(sums.collect())
{extra}
print(json.dumps({{"sums": result}}))
sc.stop()
"""

# A driver that only creates its context, printing the error if that fails.
TRY_CONTEXT = """
try:
    sc = make_context()
except Exception as error:
    print(json.dumps({"error": "%s: %s" % (type(error).__name__, error)}))
else:
    print(json.dumps({"error": None}))
    sc.stop()
"""

# A job that can only finish once both workers have an executor taking tasks.
BOTH_WORKERS_AGAIN = """
sc.parallelize(range(4), 4).mapPartitions(gated("again", gate=False, meet=2)).count()
"""


def gated_sum(stage="map", extra=""):
    """GATED_SUM with the tasks of `stage` ("map" or "reduce") gated, then `extra`."""
    args = {s: "gate=True, meet=2" if s == stage else "gate=False" for s in ("map", "reduce")}
    return GATED_SUM.format(map_gate=args["map"], reduce_gate=args["reduce"], extra=extra)


def strike_mid_job(drivers, gates, name, strike, stage="map", extra="", between=None):
    """Run gated_sum(stage, extra) as application `name`; call
    strike(running tasks) while the gated tasks run on both workers, then
    let them go; with `between`, the driver pauses at "done" after the job
    and between() runs then. Returns the driver's result."""
    driver = drivers.start(gated_sum(stage, ('pause("done")\n' if between else "") + extra), name)
    try:
        running = gates.wait_started(driver, stage, 4, WORKERS)
        strike(running)
        gates.go(stage)
        if between:
            gates.wait_at(driver, "done")
            between()
            gates.go("done")
        return driver.finish(timeout=90)
    finally:
        driver.kill()


@PLAIN_AND_TLS
def test_word_count_group_by_key_and_join_across_both_workers(cluster, drivers, gates):
    out = last_json(drivers.run("""
lines = %r
sc = make_context()
words = sc.parallelize(lines, 4).mapPartitions(gated("words", gate=False, meet=2))
counts = words.flatMap(str.split).map(lambda w: (w, 1)).reduceByKey(add, 3)
groups = sc.parallelize(range(1000), 4).map(lambda x: (x %% 17, x)).groupByKey(3)
left = sc.parallelize([(k %% 50, k) for k in range(500)], 4)
right = sc.parallelize([(k, "r%%d" %% k) for k in range(0, 100, 3)], 4)
print(json.dumps({
    "counts": sorted(counts.mapPartitions(gated("counts", gate=False)).collect()),
    "groups": sorted((k, sorted(v)) for k, v in groups.collect()),
    "joined": sorted(left.join(right, 3).collect()),
}))
sc.stop()
""" % LINES, "wordcount"))
    assert out["counts"] == sorted([w, n] for w, n in Counter(" ".join(LINES).split()).items())
    assert out["groups"] == [[k, list(range(k, 1000, 17))] for k in range(17)]
    assert out["joined"] == sorted([k % 50, [k, "r%d" % (k % 50)]] for k in range(500) if k % 50 % 3 == 0)
    # Map outputs were written on both hosts and every reducer read them
    # all: shuffle blocks crossed hosts.
    assert {s.host for s in gates.started("words")} == set(WORKERS)
    assert {s.host for s in gates.started("counts")} <= set(WORKERS)
    cluster.wait_application_gone("wordcount", WORKERS)
    assert cluster.application(cluster.status(), "wordcount")[0] == "completedapps"


def test_worker_killed_mid_job(cluster, drivers, gates):
    out = strike_mid_job(drivers, gates, "workerkill", lambda running: cluster.kill_worker("worker1"))
    assert last_json(out)["sums"] == SUMS
    wait_for(lambda: set(cluster.worker_states(cluster.status()).get("worker1", ["DEAD"])) == {"DEAD"},
             "the master to declare worker1 DEAD (or drop it)", timeout=30, describe=cluster.describe)
    assert cluster.alive_workers(cluster.status()) == {"worker2"}
    cluster.wait_application_gone("workerkill", ["worker2"])


@PLAIN_AND_TLS
def test_executor_killed_mid_job_is_replaced(cluster, drivers, gates):
    killed = set()

    def kill_the_executor_of_a_task_on_worker1(running):
        task = next(s for s in running if s.host == "worker1")
        victim = cluster.executor_of(task.pid)
        killed.update(cluster.executors("worker1"))
        assert victim in killed
        os.kill(victim, signal.SIGKILL)

    def replaced():
        wait_for(lambda: set(cluster.executors("worker1")) - killed,
                 "a replacement executor on worker1", timeout=30, describe=cluster.describe)

    out = strike_mid_job(drivers, gates, "executorkill", kill_the_executor_of_a_task_on_worker1,
                         extra=BOTH_WORKERS_AGAIN, between=replaced)
    assert last_json(out)["sums"] == SUMS
    # The replacement took tasks: the last job ran on both workers.
    assert {s.host for s in gates.started("again")} == set(WORKERS)
    cluster.wait_application_gone("executorkill", WORKERS)


def test_executor_killed_while_its_map_outputs_are_needed_across_hosts(cluster, drivers, gates):
    # Every map output is written, half of them on worker1, and reducers run
    # on both workers when worker1's executor dies: its reducers run again
    # and need the lost map outputs, which are computed again.
    def kill_the_executor_of_a_reducer_on_worker1(running):
        task = next(s for s in running if s.host == "worker1")
        os.kill(cluster.executor_of(task.pid), signal.SIGKILL)

    out = strike_mid_job(drivers, gates, "fetchfailure", kill_the_executor_of_a_reducer_on_worker1,
                         stage="reduce", extra=BOTH_WORKERS_AGAIN)
    assert last_json(out)["sums"] == SUMS
    assert {s.host for s in gates.started("map")} == set(WORKERS)
    assert {s.host for s in gates.started("again")} == set(WORKERS)  # worker1 has a new executor
    cluster.wait_application_gone("fetchfailure", WORKERS)


@PLAIN_AND_TLS
def test_master_killed_and_restarted_mid_job(cluster, drivers, gates):
    def restart_master(running):
        cluster.kill_master()
        cluster.start_master()

    def both_workers_and_the_application_listed():
        def listed():
            status = cluster.status()
            return (status and status.get("status") == "ALIVE"
                    and cluster.alive_workers(status) == set(WORKERS)
                    and cluster.application(status, "masterkill")[0] == "activeapps")
        wait_for(listed, "the restarted master to list both workers and the application",
                 timeout=30, describe=cluster.describe)

    out = strike_mid_job(drivers, gates, "masterkill", restart_master,
                         extra=BOTH_WORKERS_AGAIN, between=both_workers_and_the_application_listed)
    assert last_json(out)["sums"] == SUMS
    cluster.wait_application_gone("masterkill", WORKERS)
    assert cluster.application(cluster.status(), "masterkill")[0] == "completedapps"


@PLAIN_AND_TLS
def test_worker_link_cut_mid_job_and_restored(cluster, drivers, gates):
    """The job finishes on worker2 once the driver gives worker1's executor
    up. That executor is stopped too (SIGSTOP), so it cannot end by itself
    when the link returns: the master must have it killed when worker1
    registers again, and place a new one there for the next job."""
    topology = cluster.topology
    cut_off = []

    def cut(running):
        cut_off.extend(cluster.executors("worker1"))
        topology.cut("worker1")
        for pid in cut_off:
            os.kill(pid, signal.SIGSTOP)

    def link_back():
        topology.restore("worker1")
        cluster.wait_for_workers(WORKERS, timeout=45)  # worker1 is back, ALIVE
        wait_for(lambda: not set(cut_off) & set(cluster.executors()), "the cut-off executor to be killed",
                 timeout=45, describe=cluster.describe)

    try:
        out = strike_mid_job(drivers, gates, "linkcut", cut, extra=BOTH_WORKERS_AGAIN, between=link_back)
    finally:
        topology.restore("worker1")
    assert cut_off and last_json(out)["sums"] == SUMS
    cluster.wait_application_gone("linkcut", WORKERS, timeout=45)


def test_wrong_secret_is_refused_and_the_cluster_keeps_working(cluster, drivers):
    wrong = "not-" + cluster.secret
    out = drivers.run(TRY_CONTEXT, "intruder", settings={"spark.authenticate.secret": wrong}, timeout=45)
    error = last_json(out)["error"]
    assert error and "authenticat" in error.lower(), error
    assert cluster.application(cluster.status(), "intruder") == (None, None)
    # The next application runs as if nothing had happened.
    assert last_json(drivers.run("""
sc = make_context()
print(json.dumps(sc.parallelize(range(100), 4).map(lambda x: x * x).sum()))
sc.stop()
""", "honest")) == sum(x * x for x in range(100))
    cluster.wait_application_gone("honest", WORKERS)
    # Neither secret went anywhere a log goes.
    logs = cluster.logs(tail=10 ** 7)
    assert cluster.secret not in logs and wrong not in logs


@pytest.mark.parametrize("cluster", ["tls"], indirect=True)
def test_a_driver_without_tls_is_refused_by_a_tls_cluster(cluster, drivers):
    out = drivers.run(TRY_CONTEXT, "plaintext", settings={"spark.ssl.enabled": "false"}, timeout=45)
    error = last_json(out)["error"]
    assert error and "spark.ssl.enabled" in error and cluster.url in error, error
    assert cluster.application(cluster.status(), "plaintext") == (None, None)
    assert cluster.alive_workers(cluster.status()) == set(WORKERS)


def test_killed_driver_takes_its_executors_and_work_dirs(cluster, drivers, gates):
    driver = drivers.start(gated_sum(), "driverkill")
    try:
        gates.wait_started(driver, "map", 4, WORKERS)
        assert set(cluster.executors().values()) == set(WORKERS)
        assert all(cluster.new_work_dir_entries(w) for w in WORKERS)
        # No daemon, executor or task was handed the secret in its arguments.
        assert [argv for argv in cluster.command_lines() if cluster.secret in " ".join(argv)] == []
    finally:
        driver.kill()
    cluster.wait_application_gone("driverkill", WORKERS)
    assert cluster.alive_workers(cluster.status()) == set(WORKERS)


def test_master_refuses_a_non_loopback_address_without_a_secret(make_topology, tmp_path):
    topology = make_topology(["master"])
    properties = tmp_path / "no-secret.properties"
    properties.write_text("spark.worker.timeout=6\n")
    argv = [EXECUTABLE, "master", "--properties-file", str(properties), "--host"]
    refused = topology.start("master", argv + [topology.address("master")], "exposed")
    assert refused.wait(timeout=15) not in (None, 0), refused.output()
    assert "authenticat" in refused.output()[1].lower(), refused.output()
    # On loopback it needs none.
    topology.start("master", argv + ["127.0.0.1"], "loopback")
    status = wait_for(lambda: master_status(topology, "master", "127.0.0.1"),
                      "the loopback master's /json", timeout=15)
    assert status["status"] == "ALIVE" and status["url"] == "ember://127.0.0.1:%d" % MASTER_PORT
