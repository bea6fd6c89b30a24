"""`pip install` of ember: pip builds a wheel from the source tree (as plain
`pip install .` does, with build isolation: pyproject.toml + setup.py),
the wheel goes into a fresh venv (no system site-packages: its dependency,
cloudpickle, comes from PyPI), and from outside the source tree `ember
--version` and `python -m ember submit` run word count on the sample.

The wheel reuses the configured build tree (EMBER_BUILD_DIR, setup.py), so
building it costs a pip run, not a compile."""

import collections
import glob
import os
import shutil
import subprocess
import sys

import pytest

import ember

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.dirname(os.environ.get("EMBER_EXECUTABLE", os.path.join(ROOT, "build", "ember")))


def _run(argv, **kwargs):
    run = subprocess.run(argv, capture_output=True, text=True, timeout=900, **kwargs)
    assert run.returncode == 0, "%s failed:\n%s\n%s" % (argv, run.stdout, run.stderr)
    return run.stdout


def _clean_env():
    """The user's environment: nothing pointing into the source tree."""
    return {k: v for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "EMBER_EXECUTABLE", "EMBER_CORE_DIR", "PYTHON", "VIRTUAL_ENV")}


def _expected_word_count(path, top_n=10):
    with open(path) as f:
        counts = collections.Counter(f.read().split())
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top_n]
    return "".join("%s\t%d\n" % kv for kv in top)


@pytest.mark.timeout(900)  # pip, venv and PyPI on a loaded machine
def test_the_wheel_installs_into_a_fresh_venv_and_runs_word_count(tmp_path):
    work = os.path.join(BUILD, "wheel-test")
    shutil.rmtree(work, ignore_errors=True)
    dist, venv = os.path.join(work, "dist"), os.path.join(work, "venv")
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, ROOT],
         env=dict(_clean_env(), EMBER_BUILD_DIR=BUILD))
    [wheel] = glob.glob(os.path.join(dist, "ember-%s-*.whl" % ember.__version__))
    _run([sys.executable, "-m", "venv", venv])
    python = os.path.join(venv, "bin", "python")
    env = _clean_env()
    _run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel], env=env)
    assert _run([os.path.join(venv, "bin", "ember"), "--version"], env=env, cwd=tmp_path) \
        == "ember %s\n" % ember.__version__
    sample = os.path.join(ROOT, "examples", "data", "sample.txt")
    out = _run([python, "-m", "ember", "submit", "--master", "local[2]",
                os.path.join(ROOT, "examples", "wordcount.py"), sample], env=env, cwd=tmp_path)
    assert out == _expected_word_count(sample)
    # the installed copy ran, not the source tree's
    where = _run([python, "-c", "import ember; print(ember.__file__)"], env=env, cwd=tmp_path)
    assert where.startswith(venv)


def test_ember_core_dir_holds_the_core_that_every_process_imports(tmp_path):
    # The sanitizer runs (docs/testing.md) point EMBER_CORE_DIR at their
    # instrumented _core; the package's other modules stay the source tree's.
    (tmp_path / "_core.py").write_text("BUILD = 'another build'\n")
    program = "import ember._core, ember.rdd; print(ember._core.BUILD, ember.rdd.__file__)"
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"), EMBER_CORE_DIR=str(tmp_path))
    out = _run([sys.executable, "-c", program], env=env).split()
    assert out == ["another", "build", os.path.join(ROOT, "python", "ember", "rdd.py")]
