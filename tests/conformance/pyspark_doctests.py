"""PySpark's own doctests, run unchanged against ember (`make conformance`).

The examples come from the PySpark installed in the test venv
(scripts/install-test-deps.sh), read from its source files, never copied
into this repository. Each module runs in a process of its own; each
docstring is one test, run the way PySpark's ``_test()`` runs its module: a fresh copy of the module's globals per
docstring, ``sc`` bound to a SparkContext("local[4]") (ember's, through
ember.pyspark_aliases), the module's option flags. The globals are those of
ember's module for the same name plus the names the PySpark module imports
at top level, imported through the aliases (so ``pyspark.X`` gives ember's
X; an import ember cannot serve leaves its name out).

Tests in skips.SKIPS are not run and are reported with their reason; the
rest make the portable set. --reference runs the same doctests the same way
on the real PySpark (under the venv's python), which is how the skips
"fails on PySpark itself" were found. Prints ``N passed, M failed, K skipped`` per
module and in total; with --floor F exits 1 when passed / (passed + failed)
of the portable set is below F. --report PATH writes every failure's
doctest output; -k SUBSTRING runs the tests whose name contains it.
"""

import argparse
import ast
import doctest
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # tests/: reference.py

from reference import venv_python  # noqa: E402
from skips import SKIPS  # noqa: E402

# PySpark module -> (its file under the package, doctest option flags as its
# _test() passes them, how its _test() names the context: "sc" or "spark").
MODULES = {
    "pyspark.core.rdd": ("core/rdd.py", doctest.ELLIPSIS, "sc"),
    "pyspark.core.context": ("core/context.py", doctest.ELLIPSIS, "sc"),
    "pyspark.accumulators": ("accumulators.py", doctest.ELLIPSIS, "sc"),
    "pyspark.core.broadcast": ("core/broadcast.py", 0, "spark"),
    "pyspark.core.files": ("core/files.py", doctest.ELLIPSIS, "sc"),
    "pyspark.statcounter": ("statcounter.py", doctest.ELLIPSIS, "sc"),
    "pyspark.conf": ("conf.py", doctest.ELLIPSIS, None),
    "pyspark.taskcontext": ("taskcontext.py", doctest.ELLIPSIS, "spark"),
    "pyspark.serializers": ("serializers.py", 0, None),
    "pyspark.profiler": ("profiler.py", 0, None),
}
TIMEOUT_SECONDS = 60  # one docstring's examples


def pyspark_dir():
    out = subprocess.run([venv_python(), "-c", "import os, pyspark; print(os.path.dirname(pyspark.__file__))"],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def docstrings(tree, prefix):
    """(qualified name, docstring, line) of the module and of every class,
    function and method in it, in source order."""
    found = []
    doc = ast.get_docstring(tree, clean=False)
    if doc:
        found.append((prefix, doc, 0))

    def visit(node, name):  # as doctest.DocTestFinder: into classes, not into functions
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                qual = name + "." + child.name
                doc = ast.get_docstring(child, clean=False)
                if doc:
                    found.append((qual, doc, child.body[0].lineno - 1))
                if isinstance(child, ast.ClassDef):
                    visit(child, qual)
    visit(tree, prefix)
    return found


def module_globals(module, tree, reference):
    """Ember's module for `module`, plus the names PySpark's module imports
    at top level (through the aliases); with `reference`, PySpark's own."""
    import importlib
    if reference:
        return dict(vars(importlib.import_module(module)))
    globs = {}
    try:
        globs.update(vars(importlib.import_module(module)))
    except ImportError:
        pass
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                single = ast.Module(body=[type(node)(**{**node.__dict__, "names": [alias]})], type_ignores=[])
                try:
                    exec(compile(ast.fix_missing_locations(single), module, "exec"), globs)
                except Exception:  # noqa: BLE001 - a name ember cannot serve stays undefined
                    pass
    globs["__name__"] = module
    return globs


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout("docstring examples ran over %d s" % TIMEOUT_SECONDS)


def run_module(module, path, flags, context_name, selected, report, reference):
    """Runs one module's docstrings; returns (passed, failed, skipped)."""
    if reference:
        from pyspark import SparkConf, SparkContext
    else:
        from ember import SparkConf, SparkContext
    source = open(path, encoding="utf-8").read()
    tree = ast.parse(source)
    base = module_globals(module, tree, reference)
    tests = [t for t in docstrings(tree, module) if ">>>" in t[1] and (selected is None or selected in t[0])]
    passed = failed = skipped = 0
    sc = None
    checkpoints = tempfile.TemporaryDirectory()
    parser = doctest.DocTestParser()
    try:
        for name, doc, line in tests:
            if name in SKIPS and not reference:
                skipped += 1
                continue
            if sc is None and context_name is not None:
                sc = SparkContext("local[4]", "PythonTest", conf=SparkConf())
                sc.setCheckpointDir(checkpoints.name)
            globs = dict(base)
            if context_name == "sc":
                globs["sc"] = sc
            elif context_name == "spark":  # SparkSession is SQL: only its sparkContext is here
                globs["spark"] = types.SimpleNamespace(sparkContext=sc)
            test = parser.get_doctest(doc, globs, name, path, line)
            out = io.StringIO()
            started = time.monotonic()
            runner = doctest.DocTestRunner(optionflags=flags)
            signal.signal(signal.SIGALRM, _alarm)
            signal.alarm(TIMEOUT_SECONDS)
            try:
                result = runner.run(test, out=out.write, clear_globs=True)
            except _Timeout as e:
                result = doctest.TestResults(1, 1)
                out.write("%s: %s\n" % (name, e))
            finally:
                signal.alarm(0)
            if time.monotonic() - started > 10:
                report.write("SLOW %s: %.0f s\n" % (name, time.monotonic() - started))
            if result.failed:
                failed += 1
                report.flush()
                report.write("=" * 70 + "\nFAILED %s (%s:%d)\n%s" % (name, path, line + 1, out.getvalue()))
            else:
                passed += 1
    finally:
        # one a docstring made and left running
        active = getattr(SparkContext, "_active_spark_context" if reference else "_active_context")
        for context in {sc, active} - {None}:
            context.stop()
        checkpoints.cleanup()
    return passed, failed, skipped


def run_child(opts):
    """One module, in this process (a child of main): prints its counts as
    the last line of stdout, appends failures to the report."""
    module = opts.modules[0]
    if not opts.reference:
        from ember import pyspark_aliases
        pyspark_aliases.install()
    rel, flags, context_name = MODULES[module]
    with open(opts.report, "a") as report:
        counts = run_module(module, os.path.join(opts.root, rel), flags, context_name, opts.selected,
                            report, opts.reference)
    print(json.dumps(counts))


def main():
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--floor", type=float, default=None)
    args.add_argument("--report", default=None)
    args.add_argument("-k", dest="selected", default=None)
    args.add_argument("--reference", action="store_true",
                      help="run the doctests on the real PySpark instead (run under the venv's python)")
    args.add_argument("--child-of", dest="root", default=None, help=argparse.SUPPRESS)
    args.add_argument("modules", nargs="*", default=list(MODULES))
    opts = args.parse_args()
    if opts.root is not None:
        return run_child(opts)
    root = pyspark_dir()
    report = opts.report or os.path.join(tempfile.mkdtemp(), "failures.txt")
    open(report, "w").close()
    totals = [0, 0, 0]
    print("PySpark %s doctests from %s" % (_pyspark_version(root), root))
    for module in opts.modules:  # each in its own process, as PySpark's _test() runs them
        child = [sys.executable, os.path.abspath(__file__), "--child-of", root, "--report", report]
        child += (["-k", opts.selected] if opts.selected else []) + (["--reference"] if opts.reference else [])
        out = subprocess.run(child + [module], stdout=subprocess.PIPE, text=True)
        try:
            counts = json.loads(out.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            sys.exit("%s: the doctest run ended with status %d before reporting:\n%s"
                     % (module, out.returncode, out.stdout))
        totals = [a + b for a, b in zip(totals, counts)]
        print("%-24s %3d passed, %3d failed, %3d skipped" % tuple([module] + counts), flush=True)
    passed, failed, skipped = totals
    rate = passed / (passed + failed) if passed + failed else 1.0
    print("%-24s %3d passed, %3d failed, %3d skipped  (portable set: %.1f%% pass)"
          % ("total", passed, failed, skipped, 100 * rate))
    print("failures written to", report)
    if opts.floor is not None and rate < opts.floor:
        print("FAIL: pass rate %.1f%% is below the floor %.1f%%" % (100 * rate, 100 * opts.floor))
        sys.exit(1)


def _pyspark_version(root):
    about = {}
    exec(open(os.path.join(root, "version.py")).read(), about)
    return about.get("__version__", "?")


if __name__ == "__main__":
    main()
