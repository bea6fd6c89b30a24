"""`ember submit`'s runner: ``python -m ember.run_script SCRIPT [ARGS]`` runs
SCRIPT as ``__main__`` the way ``python SCRIPT ARGS`` would (sys.argv,
sys.path[0] = the script's directory), with ``pyspark`` imports served by
ember unless EMBER_PYSPARK_COMPAT=0 (see ember.pyspark_aliases)."""

import os
import runpy
import sys

from . import pyspark_aliases


def main():
    script = sys.argv[1]
    if not os.path.isfile(script):
        sys.exit("ember submit: cannot open %s: no such file" % script)
    sys.argv = sys.argv[1:]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    if os.environ.get(pyspark_aliases.ENV) != "0":
        pyspark_aliases.install()
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
