"""pytest set-up shared by the doctests in python/ember and tests/python:
one SparkContext per test process, available to doctests as ``sc``."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))

from ember import SparkContext  # noqa: E402


@pytest.fixture(scope="session")
def sc():
    context = SparkContext("local[2]", "ember-tests")
    yield context
    context.stop()


@pytest.fixture(autouse=True)
def _doctest_sc(doctest_namespace, sc):
    doctest_namespace["sc"] = sc
