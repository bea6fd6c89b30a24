"""pip install support: `pip install --no-build-isolation .` builds the C++
engine with CMake (Debian's packages, no downloads) and installs the
`ember` package plus the `ember` command."""

import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.abspath(os.path.dirname(__file__))


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = os.path.join(ROOT, "build", "pip")
        subprocess.check_call(["cmake", "-S", ROOT, "-B", build, "-G", "Ninja",
                               "-DPYTHON=" + sys.executable])
        subprocess.check_call(["cmake", "--build", build, "--target", "_core", "ember"])
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy(glob.glob(os.path.join(ROOT, "python", "ember", "_core*.so"))[0], target)
        bin_dir = os.path.join(os.path.dirname(target), "bin")
        os.makedirs(bin_dir, exist_ok=True)
        shutil.copy(os.path.join(build, "ember"), os.path.join(bin_dir, "ember"))


setup(
    name="ember",
    version="0.1.0",
    description="Spark's RDD engine in C++ with a PySpark-compatible Python API",
    package_dir={"": "python"},
    packages=["ember"],
    ext_modules=[Extension("ember._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    entry_points={"console_scripts": ["ember=ember.cli:main"]},
    python_requires=">=3.9",
)
