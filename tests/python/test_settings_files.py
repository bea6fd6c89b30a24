"""Settings files, as Spark reads them (docs/configuration.md#settings-files),
through real `ember submit` runs: spark-defaults.conf in $SPARK_CONF_DIR or
$EMBER_CONF_DIR, `--properties-file` replacing it, and the precedence
program > command line > file."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JOB = """
import sys
from ember import SparkConf, SparkContext
conf = SparkConf()
if "code" in sys.argv[1:]:
    conf.set("spark.app.name", "from-code")
if "start" in sys.argv[1:]:
    sc = SparkContext(conf=conf)
    print(sc.appName, sc.master, sc.getConf().get("spark.custom.b"))
    sc.stop()
else:
    print(conf.get("spark.app.name"), conf.get("spark.master"), conf.get("spark.custom.b"))
"""


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def run(tmp_path, args, job_args=(), **env_extra):
    job = write(tmp_path / "job.py", JOB)
    env = {k: v for k, v in os.environ.items() if k not in ("EMBER_CONF", "SPARK_CONF_DIR", "EMBER_CONF_DIR")}
    env.update(PYTHONPATH=os.path.join(ROOT, "python"), **env_extra)
    command = [os.path.join(ROOT, "build", "ember"), "submit"] + list(args) + [job] + list(job_args) \
        if args is not None else [sys.executable, job] + list(job_args)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, cwd="/")


def defaults(tmp_path, name="conf"):
    return str(tmp_path / name), write(tmp_path / name / "spark-defaults.conf",
                                       "# the defaults\n"
                                       "spark.app.name      from-file\n"
                                       "spark.master   local[1]\n"
                                       "\n"
                                       "spark.custom.b=b from file\n")


def test_spark_defaults_conf_is_read_and_used_by_the_context(tmp_path):
    conf_dir, _ = defaults(tmp_path)
    out = run(tmp_path, [], ["start"], SPARK_CONF_DIR=conf_dir)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["from-file local[1] b from file"]


def test_ember_conf_dir_is_read_when_spark_conf_dir_is_not_set(tmp_path):
    conf_dir, _ = defaults(tmp_path)
    out = run(tmp_path, [], EMBER_CONF_DIR=conf_dir)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["from-file local[1] b from file"]


def test_the_command_line_wins_over_the_file(tmp_path):
    conf_dir, _ = defaults(tmp_path)
    out = run(tmp_path, ["--master", "local[2]", "--conf", "spark.app.name=from-cli"], SPARK_CONF_DIR=conf_dir)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["from-cli local[2] b from file"]


def test_the_program_wins_over_the_command_line(tmp_path):
    conf_dir, _ = defaults(tmp_path)
    out = run(tmp_path, ["--conf", "spark.app.name=from-cli"], ["code"], SPARK_CONF_DIR=conf_dir)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["from-code local[1] b from file"]


def test_a_properties_file_replaces_the_default_one(tmp_path):
    conf_dir, _ = defaults(tmp_path)
    own = write(tmp_path / "own.conf", "spark.app.name from-own-file\n")
    out = run(tmp_path, ["--properties-file", own], SPARK_CONF_DIR=conf_dir)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["from-own-file None None"]


def test_a_program_run_without_submit_reads_the_default_file(tmp_path):
    conf_dir, _ = defaults(tmp_path)
    out = run(tmp_path, None, SPARK_CONF_DIR=conf_dir)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["from-file local[1] b from file"]


def test_a_bad_file_is_an_error_naming_file_and_line(tmp_path):
    bad = write(tmp_path / "bad.conf", "spark.app.name x\nspark.master\n")
    out = run(tmp_path, ["--properties-file", bad])
    assert out.returncode == 2
    assert "%s line 2: 'spark.master' has no value" % bad in out.stderr
    missing = str(tmp_path / "missing.conf")
    out = run(tmp_path, ["--properties-file", missing])
    assert out.returncode == 2 and "cannot read the properties file " + missing in out.stderr


def test_spark_env_sh_is_sourced_with_its_variables_exported(tmp_path):
    conf_dir = tmp_path / "conf dir; touch injected"  # a path the shell must not interpret
    write(conf_dir / "spark-env.sh", "MY_SETTING='from spark-env.sh'\nPYSPARK_PYTHON=%s\necho chatter\n"
          % sys.executable)
    job = write(tmp_path / "env_job.py",
                "import os\nfrom ember import SparkContext\nsc = SparkContext('local[1]')\n"
                "print(os.environ['MY_SETTING'], os.environ['SPARK_ENV_LOADED'],"
                " sc.getConf().get('spark.pyspark.python'))\nsc.stop()\n")
    env = {k: v for k, v in os.environ.items() if k not in ("EMBER_CONF", "SPARK_CONF_DIR", "EMBER_CONF_DIR",
                                                          "PYSPARK_PYTHON", "SPARK_ENV_LOADED")}
    env.update(PYTHONPATH=os.path.join(ROOT, "python"), SPARK_CONF_DIR=str(conf_dir))
    out = subprocess.run([os.path.join(ROOT, "build", "ember"), "submit", job], env=env, capture_output=True,
                         text=True, timeout=120, cwd=str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["from spark-env.sh 1 %s" % sys.executable]
    assert "chatter" in out.stderr and not (tmp_path / "injected").exists()
