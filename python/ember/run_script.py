"""`ember submit`'s runner: ``python -m ember.run_script SCRIPT [ARGS]`` runs
SCRIPT as ``__main__`` the way ``python SCRIPT ARGS`` would (sys.argv,
sys.path[0] = the script's directory, a traceback that starts in the
script, exit status 1 on an uncaught exception), with ``pyspark`` imports served by
ember unless EMBER_PYSPARK_COMPAT=0 (see ember.pyspark_aliases)."""

import os
import runpy
import sys
import traceback

from . import pyspark_aliases
from .conf import SparkConf
from .context import python_path_entry


def main():
    script = sys.argv[1]
    if not os.path.isfile(script):
        sys.exit("ember submit: cannot open %s: no such file" % script)
    sys.argv = sys.argv[1:]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    py_files = SparkConf().get("spark.submit.pyFiles", "")
    sys.path[1:1] = [python_path_entry(f) for f in py_files.split(",") if f]
    if os.environ.get(pyspark_aliases.ENV) != "0":
        pyspark_aliases.install()
    try:
        runpy.run_path(script, run_name="__main__")
    except Exception as e:  # noqa: BLE001 - reported as Python would, without runpy's frames
        tb = e.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != script:
            tb = tb.tb_next
        traceback.print_exception(type(e), e, tb or e.__traceback__)
        sys.exit(1)


if __name__ == "__main__":
    main()
