"""The C++ half of `pip install .` (pyproject.toml has the rest): builds the
_core module and the `ember` program with CMake and puts them in the wheel
(ember/_core*.so, ember/bin/ember).

By default it configures its own tree, build/pip (through ccache when it is
installed, so a second tree costs little). EMBER_BUILD_DIR=DIR uses an
already configured tree instead (`make build`'s build/): only its _core and
ember targets are brought up to date; nothing is reconfigured."""

import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.abspath(os.path.dirname(__file__))


def _configure(build):
    """Configures build/pip; returns the directory _core is built in."""
    out = os.path.join(build, "python")
    args = ["cmake", "-S", ROOT, "-B", build, "-G", "Ninja", "-DPYTHON=" + sys.executable,
            "-DEMBER_CORE_OUTPUT_DIR=" + out]
    if shutil.which("ccache"):
        args.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
    subprocess.check_call(args)
    return out


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = os.environ.get("EMBER_BUILD_DIR")
        if build:
            core_dir = os.path.join(ROOT, "python", "ember")  # that tree's default
        else:
            build = os.path.join(ROOT, "build", "pip")
            core_dir = _configure(build)
        env = dict(os.environ, CCACHE_BASEDIR=ROOT, CCACHE_NOHASHDIR="1")
        subprocess.check_call(["cmake", "--build", build, "--target", "_core", "ember"], env=env)
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy(glob.glob(os.path.join(core_dir, "_core*.so"))[0], target)
        bin_dir = os.path.join(os.path.dirname(target), "bin")
        os.makedirs(bin_dir, exist_ok=True)
        shutil.copy(os.path.join(build, "ember"), os.path.join(bin_dir, "ember"))


setup(ext_modules=[Extension("ember._core", sources=[])], cmdclass={"build_ext": CMakeBuild})
