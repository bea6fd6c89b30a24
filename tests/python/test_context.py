"""SparkContext and SparkConf behaviour a PySpark user relies on."""

import os
import subprocess
import sys

from ember import SparkConf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_context_properties(sc, master):
    assert sc.master == master and sc.appName == "ember-tests"
    assert sc.defaultParallelism == 2 and sc.defaultMinPartitions == 2  # 2 slots either way
    assert sc.applicationId.startswith("app-" if master.startswith("ember://") else "local-")
    assert sc.startTime > 0 and sc.sparkUser()
    assert sc.getConf().get("spark.master") == master
    assert sc.parallelize([1, 2, 3]).getNumPartitions() == 2
    assert sc.emptyRDD().collect() == [] and sc.emptyRDD().getNumPartitions() == 0
    rdd = sc.parallelize([1]).setName("mine")
    assert rdd.name() == "mine" and rdd.context is sc and "mine" in repr(rdd)
    assert b"ShuffledRDD" in sc.parallelize([(1, 2)]).reduceByKey(max).toDebugString()
    sc.setLocalProperty("k", "v")
    assert sc.getLocalProperty("k") == "v"


def test_conf_from_submit_environment(monkeypatch):
    monkeypatch.setenv("EMBER_CONF", "spark.master=local[3]\nspark.x=a=b\n")
    conf = SparkConf()
    assert conf.get("spark.master") == "local[3]" and conf.get("spark.x") == "a=b"
    assert SparkConf(loadDefaults=False).get("spark.master") is None


def test_submit_py_files_conf_and_context_manager(tmp_path):
    (tmp_path / "helper_mod.py").write_text("def triple(x):\n    return 3 * x\n")
    (tmp_path / "job.py").write_text(
        "from ember import SparkContext\n"
        "import helper_mod\n"
        "with SparkContext.getOrCreate() as sc:\n"
        "    assert SparkContext.getOrCreate() is sc\n"
        "    print(sc.master, sc.getConf().get('spark.custom'))\n"
        "    print(sc.parallelize(range(4), 2).map(lambda x: helper_mod.triple(x)).collect())\n")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    out = subprocess.run([os.path.join(ROOT, "build", "ember"), "submit", "--master", "local[1]",
                          "--conf", "spark.custom=42", "--py-files", str(tmp_path / "helper_mod.py"),
                          str(tmp_path / "job.py")],
                         env=env, capture_output=True, text=True, timeout=120, cwd="/")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["local[1] 42", "[0, 3, 6, 9]"]


def test_submit_py_files_import_at_the_script_s_top_and_in_executor_processes(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "helper_lib.py").write_text("def triple(x):\n    return 3 * x\n")
    (tmp_path / "job.py").write_text(
        "import helper_lib\n"
        "from ember import SparkContext\n"
        "with SparkContext() as sc:\n"
        "    print(sc.parallelize(range(4), 2).map(helper_lib.triple).collect())\n")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    out = subprocess.run([os.path.join(ROOT, "build", "ember"), "submit", "--master", "local-cluster[2,1,1024]",
                          "--py-files", str(lib / "helper_lib.py"), str(tmp_path / "job.py")],
                         env=env, capture_output=True, text=True, timeout=120, cwd="/")
    assert out.returncode == 0, out.stderr
    assert out.stdout == "[0, 3, 6, 9]\n"


def test_public_names_load_on_first_use_and_workers_skip_the_driver_modules():
    # The worker daemon imports what workers need, not the context, web UI
    # or profiler (its imports are on the path of the first task).
    probe = ("import sys, ember.daemon\n"
             "print(sorted(m for m in ('ember.context', 'ember.ui.live', 'ember.profiler', 'http.server')"
             " if m in sys.modules))\n"
             "import ember\n"
             "from ember import *\n"
             "print(SparkContext is ember.context.SparkContext, sorted(ember.__all__) == sorted(\n"
             "      n for n in dir(ember) if n in ember.__all__))\n"
             "try:\n"
             "    ember.NoSuchName\n"
             "except AttributeError as e:\n"
             "    print(e)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "True True", "module 'ember' has no attribute 'NoSuchName'"]
