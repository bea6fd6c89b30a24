"""Where the test-only reference systems live (scripts/install-test-deps.sh).

`make test` exports EMBER_TEST_DEPS (the build directory); these helpers
find PySpark's venv interpreter and Hadoop's Java class path there. A test
needing one fails with the command to run when it is missing, rather than
skipping: the reference systems are part of the test suite.
"""
import os
import pathlib

_ROOT = pathlib.Path(__file__).resolve().parent.parent


def deps_dir():
    return pathlib.Path(os.environ.get("EMBER_TEST_DEPS", _ROOT / "build"))


def _require(path, what):
    if not path.exists():
        raise RuntimeError(f"{what} missing at {path}: run `make test-deps`")
    return path


def venv_python():
    """The venv interpreter that has PySpark and moto installed."""
    return str(_require(deps_dir() / "venv" / "bin" / "python", "test venv"))


def reference_env():
    """The environment for a reference system's process (moto, boto3):
    this one's without LD_PRELOAD. Under `make test-asan` and `make
    test-tsan` the preloaded sanitizer runtime is there for ember's
    processes; a reference system is not what those runs check, and its
    own leaks at exit (the type objects pyo3 never frees in the
    `cryptography` package moto imports) would fail them."""
    return {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}


def pyspark_file(relative):
    """A file of the PySpark package in the test venv (its source: tests
    run PySpark's documented examples against ember)."""
    found = sorted((deps_dir() / "venv" / "lib").glob("python3*/site-packages/pyspark/" + relative))
    return _require(found[0] if found else deps_dir() / "venv" / "pyspark" / relative, "PySpark's " + relative)


def java_classpath():
    """Hadoop's jars plus the compiled test tools, as a -cp argument."""
    java = deps_dir() / "java"
    jars = _require(java / "classpath.txt", "Hadoop class path").read_text().strip()
    return str(_require(java / "classes", "compiled Java test tools")) + os.pathsep + jars


def java_command(main_class, *args, heap="1g"):
    """argv running one of tests/java/src's tools with Hadoop on the class path."""
    return ["java", "-Xmx" + heap, "-cp", java_classpath(), main_class, *map(str, args)]


def node_modules():
    """The node_modules with playwright-core (the web UI's browser test)."""
    return str(_require(deps_dir() / "node" / "node_modules" / "playwright-core", "playwright-core").parent)
