"""textFile/wholeTextFiles/saveAsTextFile against plain Python file reads:
splits, compression, globs, bad input, the output commit protocol."""

import bz2
import gzip
import os
import subprocess

import pytest
from hypothesis import given, settings, strategies as st

from ember import errors

LINES = st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                                 blacklist_characters="\r\n\x85\u2028\u2029\x0b\x0c\x1c\x1d\x1e"),
                         max_size=30), max_size=40)


def hadoop_lines(data):
    """Lines as Hadoop reads them: \\n, \\r and \\r\\n end a line."""
    text = data.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


@settings(max_examples=25, deadline=None)
@given(LINES, st.sampled_from(["\n", "\r\n", "\r"]), st.booleans(), st.integers(1, 9))
def test_text_file_lines_match_python_for_any_split(sc, tmp_path_factory, lines, eol, trailing, parts):
    path = tmp_path_factory.mktemp("t") / "f.txt"
    data = eol.join(lines) + (eol if trailing and lines else "")
    path.write_bytes(data.encode("utf-8"))
    rdd = sc.textFile(str(path), parts)
    assert rdd.collect() == hadoop_lines(data)


def test_compressed_dirs_globs_and_lists(sc, tmp_path):
    lines = ["line %d é" % i for i in range(2000)]
    body = ("\n".join(lines) + "\n").encode("utf-8")
    (tmp_path / "a.txt").write_bytes(body)
    with gzip.open(tmp_path / "b.gz", "wb") as f:
        f.write(body)
    with bz2.open(tmp_path / "c.bz2", "wb") as f:
        f.write(body)
    src = str(tmp_path / "a.txt")
    subprocess.run(["zstd", "-q", "-f", src, "-o", str(tmp_path / "d.zst")], check=True)
    subprocess.run(["lz4", "-q", "-f", src, str(tmp_path / "d.lz4")], check=True)
    (tmp_path / "_hidden").write_text("skip me\n")
    assert sc.textFile(str(tmp_path / "b.gz")).collect() == lines
    assert sc.textFile(str(tmp_path / "c.bz2")).collect() == lines
    assert sc.textFile(str(tmp_path / "d.zst")).collect() == lines
    assert sc.textFile(str(tmp_path / "d.lz4")).collect() == lines
    assert sc.textFile(str(tmp_path)).count() == 5 * len(lines)
    assert sc.textFile(str(tmp_path / "*.gz") + "," + str(tmp_path / "a.txt")).count() == 2 * len(lines)
    assert sc.textFile(str(tmp_path / "a.txt"), use_unicode=False).first() == b"line 0 \xc3\xa9"
    files = dict(sc.wholeTextFiles(str(tmp_path / "a.txt")).collect())
    assert list(files.values()) == [body.decode("utf-8")]
    assert dict(sc.binaryFiles(str(tmp_path / "b.gz")).collect()).popitem()[1] == body


def test_missing_path_and_empty_dir(sc, tmp_path):
    with pytest.raises(FileNotFoundError, match="Input path does not exist: .*nope"):
        sc.textFile(str(tmp_path / "nope"))
    with pytest.raises(FileNotFoundError, match="matches 0 files"):
        sc.textFile(str(tmp_path / "*.none"))
    (tmp_path / "empty").mkdir()
    assert sc.textFile(str(tmp_path / "empty")).collect() == []


def test_corrupt_compressed_files(sc, tmp_path):
    with gzip.open(tmp_path / "t.gz", "wb") as f:
        f.write(b"hello\n" * 100000)
    data = (tmp_path / "t.gz").read_bytes()
    (tmp_path / "t.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(errors.CorruptInputError, match=r"t\.gz.*truncated"):
        sc.textFile(str(tmp_path / "t.gz")).count()
    (tmp_path / "c.bz2").write_bytes(b"BZh9" + b"\x00garbage" * 20)
    with pytest.raises(errors.CorruptInputError, match=r"c\.bz2"):
        sc.textFile(str(tmp_path / "c.bz2")).count()


def test_invalid_utf8_names_file_and_offset(sc, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"good line\nbad \xff here\n")
    with pytest.raises(errors.CorruptInputError, match=r"bad\.txt at byte 14"):
        sc.textFile(str(path)).collect()
    assert sc.textFile(str(path), use_unicode=False).collect() == [b"good line", b"bad \xff here"]


def test_save_as_text_file_commits_or_leaves_nothing(sc, tmp_path):
    out = tmp_path / "out"
    sc.parallelize(["a", 1, (2, "b"), b"raw"], 3).saveAsTextFile(str(out))
    names = sorted(os.listdir(out))
    assert names == ["_SUCCESS", "part-00000", "part-00001", "part-00002"]
    assert sc.textFile(str(out)).collect() == ["a", "1", "(2, 'b')", "raw"]
    with pytest.raises(FileExistsError, match="already exists"):
        sc.parallelize([1]).saveAsTextFile(str(out))
    gz = tmp_path / "gz"
    sc.parallelize(range(100), 2).saveAsTextFile(str(gz), "org.apache.hadoop.io.compress.GzipCodec")
    assert sorted(os.listdir(gz)) == ["_SUCCESS", "part-00000.gz", "part-00001.gz"]
    assert sc.textFile(str(gz)).map(int).collect() == list(range(100))

    def boom(x):
        if x == 7:
            raise ValueError("no sevens")
        return x
    failed = tmp_path / "failed"
    with pytest.raises(errors.PythonException, match="no sevens"):
        sc.parallelize(range(10), 2).map(boom).saveAsTextFile(str(failed))
    assert not failed.exists()
