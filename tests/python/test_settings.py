"""The settings registry (src/ember/deploy/setting_registry.h): the docs'
tables are generated from it, Python reads settings through it typed
(ember.settings.get), and a context checks every setting it is given at
start: a bad value fails naming key and value, an unknown spark.* /
ember.* key is warned about once, a Spark setting ember ignores on purpose
is not."""

import os
import re
import subprocess
import sys

import pytest

from ember import SparkConf, settings
from ember.errors import IllegalArgumentException

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOG_LINE = r"^\d\d/\d\d/\d\d \d\d:\d\d:\d\d "  # the one log format's time stamp


def run_python(script):
    env = {k: v for k, v in os.environ.items() if k not in ("EMBER_CONF", "SPARK_CONF_DIR", "EMBER_CONF_DIR")}
    env["PYTHONPATH"] = os.path.join(ROOT, "python")
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                          timeout=120, cwd="/")


def test_configuration_doc_is_generated_from_the_registry():
    out = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_configuration_doc.py"), "--check"],
                         env=dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python")),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_values_are_typed_with_defaults_units_and_fallbacks():
    conf = SparkConf(loadDefaults=False)
    assert settings.get(conf, "spark.python.worker.memory") == 512 << 20
    assert settings.get(conf.set("spark.python.worker.memory", "1g"), "spark.python.worker.memory") == 1 << 30
    assert settings.get(conf, "spark.network.timeout") == 120.0
    assert settings.get(conf.set("spark.network.timeout", "90"), "spark.network.timeout") == 90.0  # bare: s
    assert settings.get(conf.set("spark.executor.heartbeatInterval", "500"),
                        "spark.executor.heartbeatInterval") == 0.5  # bare: ms
    assert settings.get(conf, "spark.shuffle.io.connectionTimeout") == 90.0  # falls back to the timeout
    assert settings.get(conf, "spark.speculation") is False
    assert settings.get(conf.set("spark.speculation", "TRUE"), "spark.speculation") is True
    assert settings.get(conf, "spark.task.maxFailures") == 4
    assert settings.get(conf, "spark.python.profile.dump") is None
    assert settings.get(conf.set("spark.executorEnv.FOO", "bar"), "spark.executorEnv.FOO") == "bar"


@pytest.mark.parametrize("key,value,message", [
    ("spark.memory.fraction", "1.5", "invalid value '1.5' for setting spark.memory.fraction"),
    ("spark.task.maxFailures", "four", "invalid value 'four' for setting spark.task.maxFailures"),
    ("spark.reducer.maxSizeInFlight", "lots", "invalid size 'lots' for setting spark.reducer.maxSizeInFlight"),
    ("spark.log.level", "LOUD", "invalid value 'LOUD' for setting spark.log.level"),
    ("spark.python.factory.idleWorkerMaxPoolSize", "0",
     "invalid value '0' for setting spark.python.factory.idleWorkerMaxPoolSize (a positive integer)"),
    ("ember.python.worker.idleTimeout", "a while",
     "invalid duration 'a while' for setting ember.python.worker.idleTimeout"),
])
def test_a_bad_value_is_an_error_naming_key_and_value(key, value, message):
    with pytest.raises(IllegalArgumentException, match=re.escape(message)):
        settings.get(SparkConf(loadDefaults=False).set(key, value), key)


def test_a_key_outside_the_registry_cannot_be_read():
    with pytest.raises(IllegalArgumentException, match="spark.no.such.key is not in ember's registry"):
        settings.get(SparkConf(loadDefaults=False), "spark.no.such.key")


def test_a_context_checks_every_setting_at_start():
    # spark.shuffle.io.retryWait is read by executors only, when a shuffle
    # fetch fails: it is checked when the context starts all the same.
    out = run_python(
        "from ember import SparkConf, SparkContext\n"
        "from ember.errors import IllegalArgumentException\n"
        "conf = SparkConf().set('spark.shuffle.io.retryWait', 'soon')\n"
        "try:\n"
        "    SparkContext('local[1]', conf=conf)\n"
        "except IllegalArgumentException as e:\n"
        "    print(e)\n")
    assert out.returncode == 0, out.stderr
    assert "invalid duration 'soon' for setting spark.shuffle.io.retryWait" in out.stdout


def test_unknown_keys_are_warned_about_once_and_ignored_spark_keys_not_at_all():
    out = run_python(
        "from ember import SparkConf, SparkContext\n"
        "conf = (SparkConf().set('spark.nosuch.setting', '1').set('ember.nosuch', '2')\n"
        "        .set('spark.sql.shuffle.partitions', '4').set('spark.driver.memory', '2g')\n"
        "        .set('myapp.key', '3'))\n"
        "for _ in range(2):\n"
        "    sc = SparkContext('local[1]', conf=conf)\n"
        "    assert sc.getConf().get('spark.nosuch.setting') == '1'\n"
        "    sc.stop()\n")
    assert out.returncode == 0, out.stderr
    for key in ("spark.nosuch.setting", "ember.nosuch"):
        lines = re.findall(LOG_LINE + r"WARN ember: Ignoring unknown setting " + re.escape(key) + r"\b",
                           out.stderr, re.M)
        assert len(lines) == 1, out.stderr
    for key in ("spark.sql.shuffle.partitions", "spark.driver.memory", "myapp.key"):
        assert key not in out.stderr
