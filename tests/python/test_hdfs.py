"""HDFS through WebHDFS against Hadoop's own mini cluster (tests/
hdfs_cluster.py): ember reads what HDFS holds and HDFS holds what ember
writes, for webhdfs:// URIs (the shared contexts) and hdfs:// ones with
spark.hadoop.dfs.namenode.http-address (a context of the test's own)."""

import os
import re
import socket
import subprocess
import time
import urllib.request
import uuid

import pytest

from ember import errors
from hdfs_cluster import hdfs  # noqa: F401  (the fixture)
from reference import deps_dir
from ui_servers import pools_shown

LINES_A = ["alpha %d" % i for i in range(500)]
LINES_B = ["beta é %d" % i for i in range(300)]


def body(lines):
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def hdfs_dir(hdfs):  # noqa: F811
    """A fresh directory (an HDFS path) for one test."""
    return "/t-" + uuid.uuid4().hex[:12]


def webhdfs(hdfs, path):  # noqa: F811
    return "webhdfs://%s%s" % (hdfs.http, path)


def test_webhdfs_file_system_contract(hdfs):  # noqa: F811
    """The C++ FileSystem tests that need a live namenode
    (tests/cpp/io_webhdfs_file_system_test.cc)."""
    env = dict(os.environ, EMBER_TEST_HDFS=hdfs.uri, EMBER_TEST_HDFS_HTTP=hdfs.http)
    run = subprocess.run([str(deps_dir() / "ember_tests"), "--gtest_filter=WebHdfsLive.*"],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:]
    assert "[  PASSED  ] 6 tests." in run.stdout and "SKIPPED" not in run.stdout, run.stdout[-4000:]


def test_text_files_from_hdfs_dirs_globs_and_splits(sc, hdfs, hdfs_dir):  # noqa: F811
    hdfs.write(hdfs_dir + "/a.txt", body(LINES_A))
    hdfs.write(hdfs_dir + "/b.log", body(LINES_B))
    hdfs.write(hdfs_dir + "/_SUCCESS", b"")
    big = ["line %06d of a file read in several splits" % i for i in range(60000)]
    hdfs.write(hdfs_dir + "/big/c.txt", body(big))
    root = webhdfs(hdfs, hdfs_dir)
    assert sorted(sc.textFile(root + "/a.txt," + root + "/b.log").collect()) == sorted(LINES_A + LINES_B)
    assert sc.textFile(root + "/*.txt").collect() == LINES_A
    assert sc.textFile(root + "/big", 5).getNumPartitions() >= 5
    assert sc.textFile(root + "/big", 5).collect() == big
    files = dict(sc.wholeTextFiles(root + "/*.log").collect())
    assert files == {root + "/b.log": body(LINES_B).decode("utf-8")}
    assert dict(sc.binaryFiles(root + "/a.txt").collect()) == {root + "/a.txt": body(LINES_A)}


def test_a_files_own_block_size_sets_its_splits(sc, hdfs, hdfs_dir):  # noqa: F811
    lines = ["%07d" % i for i in range(500000)]  # 4 MB
    hdfs.write(hdfs_dir + "/small-blocks.txt", body(lines), blocksize=1 << 20)
    rdd = sc.textFile(webhdfs(hdfs, hdfs_dir + "/small-blocks.txt"), 1)
    assert rdd.getNumPartitions() == 4  # 1 MiB blocks, not the 128 MiB default
    assert rdd.collect() == lines


def test_save_as_text_file_to_hdfs_is_what_hdfs_holds(sc, hdfs, hdfs_dir):  # noqa: F811
    out = webhdfs(hdfs, hdfs_dir + "/out")
    sc.parallelize(range(1000), 3).saveAsTextFile(out)
    listing = hdfs.list(hdfs_dir + "/out")
    assert sorted(listing) == ["_SUCCESS", "part-00000", "part-00001", "part-00002"]
    written = b"".join(hdfs.read(hdfs_dir + "/out/" + name) for name in sorted(listing))
    assert written == body([str(i) for i in range(1000)])
    assert sc.textFile(out).map(int).collect() == list(range(1000))
    with pytest.raises(FileExistsError, match="out"):
        sc.parallelize([1]).saveAsTextFile(out)


def test_checkpoints_and_sequence_files_live_on_hdfs(sc, hdfs, hdfs_dir):  # noqa: F811
    root = webhdfs(hdfs, hdfs_dir)
    sc.setCheckpointDir(root + "/checkpoints")
    doubled = sc.parallelize(range(500), 4).map(lambda x: 2 * x)
    doubled.checkpoint()
    assert doubled.sum() == 2 * sum(range(500))
    assert doubled.isCheckpointed()
    directory = doubled.getCheckpointFile()
    assert directory.startswith(root + "/checkpoints/")
    relative = directory[len("webhdfs://" + hdfs.http):]
    assert sorted(hdfs.list(relative)) == ["part-%05d" % i for i in range(4)]
    assert doubled.collect() == [2 * x for x in range(500)]  # read back from HDFS
    pairs = [(i, "v%d" % i) for i in range(3000)]
    sc.parallelize(pairs, 3).saveAsSequenceFile(root + "/seq", "org.apache.hadoop.io.compress.GzipCodec")
    assert hdfs.read(hdfs_dir + "/seq/part-00000")[:3] == b"SEQ"
    assert sorted(sc.sequenceFile(root + "/seq", minSplits=6).collect()) == pairs


def test_missing_hdfs_path_is_named(sc, hdfs, hdfs_dir):  # noqa: F811
    missing = webhdfs(hdfs, hdfs_dir + "/nope.txt")
    with pytest.raises(FileNotFoundError, match=r"nope\.txt"):
        sc.textFile(missing).collect()


def test_hdfs_scheme_finds_webhdfs_through_hadoop_conf(context_with, hdfs, hdfs_dir):  # noqa: F811
    ctx = context_with({"spark.hadoop.dfs.namenode.http-address": hdfs.http})
    hdfs.write(hdfs_dir + "/in/a.txt", body(LINES_A))
    root = hdfs.uri + hdfs_dir
    assert ctx.textFile(root + "/in").collect() == LINES_A
    ctx.textFile(root + "/in").map(str.upper).saveAsTextFile(root + "/out")
    written = b"".join(hdfs.read(hdfs_dir + "/out/" + name)
                       for name in sorted(hdfs.list(hdfs_dir + "/out")) if name.startswith("part-"))
    assert written == body([line.upper() for line in LINES_A])
    paths = [path for path, _ in ctx.wholeTextFiles(root + "/out/part-*").collect()]
    assert paths and all(path.startswith(root + "/out/part-") for path in paths)


def test_namenode_down_is_a_prompt_error_naming_it(sc):
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(errors.EmberIOError, match=r"127\.0\.0\.1:%d.*Connection refused" % port):
        sc.textFile("webhdfs://127.0.0.1:%d/data" % port).collect()
    assert time.monotonic() - started < 30


def test_the_allocation_file_may_be_on_hdfs(context_with, hdfs, hdfs_dir):  # noqa: F811
    """spark.scheduler.allocation.file as an hdfs:// path: its pools show in
    the web UI; one that does not exist fails the context, naming it."""
    hdfs.write(hdfs_dir + "/fair.xml", b'<allocations><pool name="etl"><schedulingMode>FAIR</schedulingMode>'
                                       b'<weight>4</weight><minShare>1</minShare></pool></allocations>')
    settings = {"spark.hadoop.dfs.namenode.http-address": hdfs.http, "spark.scheduler.mode": "FAIR"}
    missing = hdfs.uri + hdfs_dir + "/nope.xml"
    with pytest.raises(errors.IllegalArgumentException,
                       match=re.escape("spark.scheduler.allocation.file %s: cannot read it" % missing)):
        context_with(dict(settings, **{"spark.scheduler.allocation.file": missing}))
    ctx = context_with(dict(settings, **{"spark.scheduler.allocation.file": hdfs.uri + hdfs_dir + "/fair.xml"}))
    with urllib.request.urlopen(ctx.uiWebUrl + "/stages/", timeout=30) as page:
        etl = pools_shown(page.read().decode())["etl"]
    assert (etl["schedulingMode"], etl["weight"], etl["minShare"]) == ("FAIR", "4", "1")
