"""The standalone cluster on loopback: real `ember master` and `ember
worker` daemons (tests/standalone_cluster.py) and real driver processes.
What an application's end leaves (nothing), who may register (only who
knows the secret), what an application can make a worker run (never a
shell), and how an executor that keeps dying ends the application. The
multi-host scenarios (workers killed, links cut, the master restarted)
are in tests/multihost."""

import json
import os
import signal
import subprocess

import pytest

from harness import executor_processes, killed_on_failure, ok_json, run_driver, start_driver, finish_driver, wait_for
from standalone_cluster import LoopbackCluster, ember_program

pytestmark = pytest.mark.own_master

SECRET = "standalone-secret-41c8"
APP = {"spark.cores.max": "2", "spark.scheduler.minRegisteredResourcesRatio": "1.0",
       "spark.executor.heartbeatInterval": "500ms", "spark.network.timeout": "10s"}


@pytest.fixture
def cluster(tmp_path):
    c = LoopbackCluster(tmp_path / "cluster", workers=2, cores=1, memory="2g",
                        settings={"spark.worker.timeout": "5"})
    c.start()
    yield c
    c.stop()


def settings(**extra):
    out = {k.replace(".", "_"): v for k, v in APP.items()}
    out.update(extra)
    return out


def app_dirs(cluster):
    return [d for i in range(2) for d in os.listdir(cluster.work_dir(i))]


def test_an_application_ends_without_leaving_executors_or_directories(cluster, tmp_path):
    out = run_driver("""
        from operator import add
        sc = make_context(%r, **%r)
        words = sc.parallelize(["a b", "b c", "c a b"] * 100, 4).flatMap(str.split)
        counts = dict(words.map(lambda w: (w, 1)).reduceByKey(add, 3).collect())
        hosts = sorted(set(sc.parallelize(range(8), 8).map(lambda _: os.environ.get("PWD", "")).collect()))
        print(json.dumps({"counts": counts, "id": sc.applicationId}))
        sc.stop()
    """ % (cluster.url, settings()), tmp_path / "driver")
    got = ok_json(out)
    assert got["counts"] == {"a": 200, "b": 300, "c": 200}
    status = wait_for(lambda: (lambda s: s if s["completedapps"] else None)(cluster.status()), "the app to finish")
    assert [(a["id"], a["state"]) for a in status["completedapps"]] == [(got["id"], "FINISHED")]
    wait_for(lambda: not executor_processes(cluster.root) and not app_dirs(cluster), "executors and dirs gone")


def test_a_killed_driver_takes_its_executors_and_their_directories(cluster, tmp_path):
    driver = start_driver("""
        sc = make_context(%r, **%r)
        sc.parallelize(range(4), 4).count()
        print("running", flush=True)
        time.sleep(600)
    """ % (cluster.url, settings()), tmp_path / "driver")
    with killed_on_failure(driver):
        wait_for(lambda: len(executor_processes(cluster.root)) == 2, "two executors")
        wait_for(lambda: cluster.status()["activeapps"], "the application")
        driver.send_signal(signal.SIGKILL)
        driver.wait()
    status = wait_for(lambda: (lambda s: s if s["completedapps"] else None)(cluster.status()), "the app's end")
    assert status["activeapps"] == [] and status["coresused"] == 0
    wait_for(lambda: not executor_processes(cluster.root) and not app_dirs(cluster), "executors and dirs gone")
    for f in driver.output_files:
        f.close()


def test_only_applications_with_the_secret_register(tmp_path):
    c = LoopbackCluster(tmp_path / "cluster", workers=1, cores=1, memory="2g",
                        settings={"spark.authenticate": "true", "spark.authenticate.secret": SECRET})
    c.start()
    try:
        program = """
            try:
                sc = make_context(%r, **%r)
            except Exception as e:
                print(json.dumps({"error": type(e).__name__ + ": " + str(e)}))
            else:
                print(json.dumps({"sum": sc.parallelize(range(10), 2).sum()}))
                sc.stop()
        """
        for secret in ("wrong", None):
            extra = {"spark_authenticate": "true", "spark_authenticate_secret": secret} if secret else {}
            got = ok_json(run_driver(program % (c.url, settings(**extra)), tmp_path / ("d-%s" % secret)))
            assert "error" in got and "authentication" in got["error"], got
            assert c.url in got["error"], got
        good = settings(spark_authenticate="true", spark_authenticate_secret=SECRET)
        assert ok_json(run_driver(program % (c.url, good), tmp_path / "d-good")) == {"sum": 45}
        assert "refused" not in c.log("worker0")
    finally:
        c.stop()
    for name in ("master", "worker0"):
        assert SECRET not in c.log(name)


def test_the_master_refuses_a_public_address_without_a_secret(tmp_path):
    for args in (["master", "--host", "0.0.0.0", "--port", "0", "--webui-port", "0"],
                 ["worker", "ember://127.0.0.1:1", "--host", "0.0.0.0", "--work-dir", str(tmp_path / "w")]):
        out = subprocess.run([ember_program()] + args + ["--properties-file", os.devnull], capture_output=True,
                             text=True, timeout=30)
        assert out.returncode == 1, out
        assert "without authentication" in out.stderr and "spark.authenticate" in out.stderr, out.stderr


def test_application_settings_never_reach_a_shell(cluster, tmp_path):
    canary = tmp_path / "canary"
    name = "x; touch %s; $(touch %s) `touch %s`" % (canary, canary, canary)
    got = ok_json(run_driver("""
        conf = SparkConf().setAll(list(%r.items())).set("spark.executorEnv.X", %r)
        sc = SparkContext(%r, %r, conf=conf)
        x = sc.parallelize(range(6), 3).map(lambda _: os.environ.get("X")).collect()
        print(json.dumps({"n": len(x), "x": sorted(set(x)), "name": sc.appName}))
        sc.stop()
    """ % (APP, "$(touch %s)" % canary, cluster.url, name), tmp_path / "driver"))
    assert got == {"n": 6, "x": ["$(touch %s)" % canary], "name": name}
    assert not canary.exists()
    status = wait_for(lambda: (lambda s: s if s["completedapps"] else None)(cluster.status()), "the app's end")
    assert status["completedapps"][0]["name"] == name


def test_executors_that_keep_dying_end_the_application_with_a_clear_error(cluster, tmp_path):
    got = ok_json(run_driver("""
        sc = make_context(%r, **%r)
        def kill_my_executor(_):
            daemon = os.getppid()
            executor = int(open("/proc/%%d/stat" %% daemon).read().split(")")[1].split()[1])
            os.kill(executor, 9)
        try:
            sc.parallelize(range(4), 4).foreach(kill_my_executor)
        except Exception as e:
            print(json.dumps({"error": str(e)}))
    """ % (cluster.url, settings(spark_deploy_maxExecutorRetries="3")), tmp_path / "driver", timeout=180))
    assert "spark.deploy.maxExecutorRetries" in got["error"], got
    status = wait_for(lambda: (lambda s: s if s["completedapps"] else None)(cluster.status()), "the app's end")
    assert status["activeapps"] == []
    wait_for(lambda: not executor_processes(cluster.root), "no executor left")
    # The cluster serves the next application.
    out = run_driver("""
        sc = make_context(%r, **%r)
        print(json.dumps(sc.parallelize(range(5), 2).sum()))
    """ % (cluster.url, settings()), tmp_path / "next")
    assert ok_json(out) == 10
