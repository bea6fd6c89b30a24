"""`ember shell`: an interactive Python session with ``sc`` ready.

    python -m ember.shell [--no-ipython] [-c CODE]

(`ember shell [--master M] [--name N] [--conf k=v]... [--py-files F,...]`
runs this with those settings in the environment ember.SparkConf reads.)
Prints a banner (ember's version, Python's, the master, the application id
and the web UI's address when there is one), then:

- with ``-c CODE``: runs CODE with ``sc`` defined and exits with its status
  (1 and a traceback on an uncaught exception, sys.exit's code as given);
- otherwise IPython's prompt when IPython is importable, the plain Python
  prompt (which runs $PYTHONSTARTUP first, as ``python`` does) when it is
  not, with --no-ipython, or with EMBER_SHELL_IPYTHON=0. The context stops
  when the prompt ends (Ctrl-D, exit()).

``pyspark`` imports are served by ember unless EMBER_PYSPARK_COMPAT=0.
"""

import argparse
import code
import os
import platform
import sys
import traceback

from ember import SparkConf, SparkContext, pyspark_aliases

IPYTHON_ENV = "EMBER_SHELL_IPYTHON"


def banner(sc):
    lines = ["Welcome to ember %s, Spark's RDD API on a C++ engine." % sc.version,
             "Using Python version %s (%s)" % (platform.python_version(), sys.executable)]
    if sc.uiWebUrl is not None:
        lines.append("Web UI available at %s" % sc.uiWebUrl)
    lines.append("SparkContext available as 'sc' (master = %s, app id = %s)."
                 % (sc.master, sc.applicationId))
    return "\n".join(lines)


def run_code(source, namespace):
    """Runs -c's CODE; the exit status: 0, SystemExit's, or 1 on an error."""
    try:
        exec(compile(source, "<string>", "exec"), namespace)  # noqa: S102 - the user's own code
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            return e.code or 0
        print(e.code, file=sys.stderr)
        return 1
    except BaseException:  # noqa: BLE001 - reported as python -c reports it
        etype, value, tb = sys.exc_info()
        traceback.print_exception(etype, value, tb.tb_next)
        return 1
    return 0


def plain_prompt(namespace, text):
    """Python's own prompt: line editing and tab completion when readline
    is there, $PYTHONSTARTUP run first."""
    try:
        import readline
        import rlcompleter

        readline.set_completer(rlcompleter.Completer(namespace).complete)
        readline.parse_and_bind("tab: complete")
    except ImportError:
        pass
    startup = os.environ.get("PYTHONSTARTUP")
    if startup and os.path.isfile(startup):
        with open(startup) as f:
            exec(compile(f.read(), startup, "exec"), namespace)  # noqa: S102 - as python does
    code.interact(banner=text, local=namespace, exitmsg="")


def ipython_prompt(namespace, text):
    import IPython
    from traitlets.config import Config

    print(text)
    config = Config()
    config.TerminalIPythonApp.display_banner = False
    config.TerminalInteractiveShell.confirm_exit = False  # Ctrl-D ends it, as in the plain prompt
    IPython.start_ipython(argv=[], user_ns=namespace, config=config)


def use_ipython(no_ipython):
    if no_ipython or os.environ.get(IPYTHON_ENV) == "0":
        return False
    try:
        import IPython  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(prog="ember shell")
    parser.add_argument("-c", dest="code", help="run CODE with sc defined, then exit")
    parser.add_argument("--no-ipython", action="store_true", help="the plain Python prompt")
    args = parser.parse_args(argv)
    if os.environ.get(pyspark_aliases.ENV) != "0":
        pyspark_aliases.install()
    conf = SparkConf().setIfMissing("spark.app.name", "ember-shell")
    sc = SparkContext(conf=conf)
    namespace = {"__name__": "__main__", "__builtins__": __builtins__, "sc": sc}
    try:
        if args.code is not None:
            return run_code(args.code, namespace)
        text = banner(sc)
        if use_ipython(args.no_ipython):
            ipython_prompt(namespace, text)
        else:
            plain_prompt(namespace, text)
        return 0
    finally:
        sc.stop()


if __name__ == "__main__":
    sys.exit(main())
