"""The `ember` command as Python runs it: the `ember` console script of a
pip-installed ember and ``python -m ember`` (ember/__main__.py). Runs the
C++ `ember` program (the one executors run: $EMBER_EXECUTABLE, the
package's ember/bin/ember, or the source tree's build/ember) with this
interpreter as $PYTHON, so `ember submit` and `ember shell` use the
environment ember is installed in."""

import os
import sys

from .context import _ember_program


def main():
    binary = _ember_program()
    if not binary:
        sys.exit("ember: the ember program is missing: set EMBER_EXECUTABLE or reinstall ember")
    env = dict(os.environ, PYTHON=sys.executable)
    os.execve(binary, [binary] + sys.argv[1:], env)
