"""Scenario 14: inputs at the edges — each the right answer or a clear
error. (Missing paths, empty directories, truncated .gz, corrupt .bz2,
invalid UTF-8, unpicklable closures and exceptions whose __str__ raises
are covered in tests/python/test_text_files.py and test_errors.py.)"""

import os

import pytest

from ember import PythonException
from ember.errors import PicklingError


def test_one_line_of_200_mb(sc, tmp_path):
    path = tmp_path / "long.txt"
    with open(path, "w") as f:
        f.write("x" * (200 << 20))
        f.write("\nshort\n")
    lengths = sc.textFile(str(path), 4).map(len).collect()
    assert lengths == [200 << 20, 5]


def test_ten_thousand_empty_files(sc, tmp_path):
    for i in range(10000):
        (tmp_path / ("f%05d.txt" % i)).touch()
    (tmp_path / "f99999.txt").write_text("only\nlines\n")
    rdd = sc.textFile(str(tmp_path))
    assert rdd.collect() == ["only", "lines"]


def test_ten_thousand_partitions_and_twenty_thousand_tiny_tasks(sc):
    assert sc.parallelize(range(10000), 10000).map(lambda x: x * 2).sum() == 2 * sum(range(10000))
    assert sc.parallelize([], 20000).count() == 0


def test_unpicklable_result_is_a_clear_error(sc):
    import threading
    with pytest.raises(PythonException, match="lock"):
        sc.parallelize([1], 1).map(lambda _: threading.Lock()).collect()
    assert sc.parallelize([1, 2]).count() == 2


def test_unpicklable_value_in_a_closure_names_it(sc):
    import threading
    lock = threading.Lock()
    with pytest.raises(PicklingError, match="lock"):
        sc.parallelize([1]).map(lambda x: (lock, x)).collect()


def test_a_record_of_100_mb(sc):
    sizes = sc.parallelize([0, 1], 2).map(lambda i: os.urandom(1) * (100 << 20) if i else b"") \
        .map(len).collect()
    assert sizes == [0, 100 << 20]
    big = sc.parallelize([0], 1).map(lambda _: b"y" * (100 << 20)).collect()
    assert len(big) == 1 and len(big[0]) == 100 << 20
