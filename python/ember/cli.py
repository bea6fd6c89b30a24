"""The `ember` command of a pip-installed ember: runs the packaged C++
`ember` program (ember/bin/ember) with this interpreter as $PYTHON, so
`ember submit` and `ember shell` use the environment ember is installed in."""

import os
import sys


def main():
    binary = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", "ember")
    env = dict(os.environ, PYTHON=sys.executable)
    os.execve(binary, [binary] + sys.argv[1:], env)
