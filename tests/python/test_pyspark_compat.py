"""The `pyspark` import served by ember (ember.pyspark_aliases): PySpark
programs run unchanged under `ember submit`, `ember shell` and any Python
that imports ember.pyspark_compat — and a real PySpark stays the user's
when they have not asked for ember's."""

import os
import subprocess
import sys

import pytest

from reference import venv_python

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EMBER = os.environ.get("EMBER_EXECUTABLE", os.path.join(ROOT, "build", "ember"))

PROGRAM = """\
import sys
from operator import add
from pyspark import SparkContext, SparkConf, TaskContext, StorageLevel
from pyspark.core.rdd import RDD
from pyspark.context import SparkContext as Ctx2
import pyspark.rdd

sc = SparkContext.getOrCreate(SparkConf().setAppName("compat"))
rdd = sc.parallelize(["a b", "b c c"], 2).flatMap(lambda l: l.split()).map(lambda w: (w, 1))
print(sorted(rdd.reduceByKey(add).collect()))
print(isinstance(rdd, RDD), Ctx2 is SparkContext, pyspark.rdd.RDD is RDD)
# pyspark imported inside a task, in the executor's Python worker
print(sc.parallelize(range(2), 2).map(lambda _: __import__("pyspark").TaskContext.get().partitionId()).collect())
sc.stop()
"""


def _env(**extra):
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    env.pop("EMBER_PYSPARK_COMPAT", None)
    env.update(extra)
    return env


def _expected_lines():
    return ["[('a', 1), ('b', 2), ('c', 2)]", "True True True", "[0, 1]"]


@pytest.mark.parametrize("master", ["local[2]", "local-cluster[2,1,1024]"])
def test_submit_runs_a_pyspark_program_unchanged(tmp_path, master):
    script = tmp_path / "job.py"
    script.write_text(PROGRAM)
    out = subprocess.run([EMBER, "submit", "--master", master, str(script)], env=_env(),
                         capture_output=True, text=True, timeout=120, cwd="/")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == _expected_lines()


def test_submit_without_the_switch_leaves_pyspark_alone(tmp_path):
    script = tmp_path / "job.py"
    script.write_text("import pyspark\n")
    out = subprocess.run([sys.executable, "-c", "import ember, runpy; runpy.run_path(%r)" % str(script)],
                         env=_env(), capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "No module named 'pyspark'" in out.stderr
    out = subprocess.run([EMBER, "submit", str(script)], env=_env(EMBER_PYSPARK_COMPAT="0"),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "No module named 'pyspark'" in out.stderr


def test_compat_import_in_any_python(tmp_path):
    code = "import ember.pyspark_compat\n" + PROGRAM.replace(
        'SparkConf().setAppName("compat")', 'SparkConf().setAppName("compat").setMaster("local[2]")')
    out = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == _expected_lines()


def test_a_real_pyspark_is_not_shadowed_unless_asked():
    # The venv has the real PySpark: importing ember does not replace it...
    code = "import ember, pyspark; print(pyspark.__file__)"
    out = subprocess.run([venv_python(), "-c", code], env=_env(), capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert "site-packages" in out.stdout and "ember" not in out.stdout
    # ...and asking for ember's after the real one was imported is an error
    code = "import pyspark\nimport ember.pyspark_compat"
    out = subprocess.run([venv_python(), "-c", code], env=_env(), capture_output=True, text=True,
                         timeout=60)
    assert out.returncode != 0 and "pyspark is already imported from" in out.stderr


def test_what_ember_does_not_serve_is_a_clear_error_and_py4j_errors_catch_job_failures():
    code = """\
import ember.pyspark_compat
try:
    import pyspark.sql
except ModuleNotFoundError as e:
    print(e.name, "SQL" in str(e))
from py4j.protocol import Py4JJavaError
from pyspark import SparkContext
sc = SparkContext("local[1]", "t")
try:
    sc.parallelize([1]).map(lambda x: 1 // 0).collect()
except Py4JJavaError as e:
    print("caught", "ZeroDivisionError" in str(e))
sc.stop()
"""
    out = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["pyspark.sql True", "caught True"]


def test_shell_serves_pyspark_imports():
    out = subprocess.run([EMBER, "shell", "--master", "local[1]"], env=_env(),
                         input="from pyspark import SparkContext\nprint('same', type(sc) is SparkContext)\n",
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "same True" in out.stdout


def test_submit_reports_an_error_from_the_script_itself(tmp_path):
    script = tmp_path / "fails.py"
    script.write_text("def f():\n    raise KeyError('missing')\n\nf()\n")
    out = subprocess.run([EMBER, "submit", str(script)], env=_env(), capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 1
    lines = out.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1].startswith('  File "%s", line 4' % script) and lines[-1] == "KeyError: 'missing'"


def test_every_name_of_pysparks_all_is_served():
    out = subprocess.run([venv_python(), "-c", "import pyspark; print(sorted(pyspark.__all__))"],
                         env=_env(), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    code = ("import ember.pyspark_compat, pyspark, pyspark.resource.profile, pyspark.util, "
            "pyspark.serializers, pyspark.profiler\n"
            "print(sorted(pyspark.__all__)); print(all(getattr(pyspark, n) is not None for n in pyspark.__all__))")
    ours = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True, text=True, timeout=60)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout.splitlines() == [out.stdout.strip(), "True"]


def test_the_word_count_example_runs_unchanged_on_pyspark_and_on_ember():
    example = os.path.join(ROOT, "examples", "wordcount.py")
    sample = os.path.join(ROOT, "examples", "data", "sample.txt")
    spark = subprocess.run([venv_python(), example, sample, "8"],
                           env=_env(PYTHONPATH="", PYSPARK_SUBMIT_ARGS="--master local[2] pyspark-shell"),
                           capture_output=True, text=True, timeout=300)
    assert spark.returncode == 0, spark.stderr
    ours = subprocess.run([EMBER, "submit", "--master", "local[2]", example, sample, "8"], env=_env(),
                          capture_output=True, text=True, timeout=120)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == spark.stdout and len(spark.stdout.splitlines()) == 8
