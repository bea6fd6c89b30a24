"""textFile / saveAsTextFile on s3a:// paths against moto's S3 server
(tests/s3_server.py), checked behind ember's back with boto3: files,
directories and globs, listings longer than one page, multipart output,
and errors that name the path and S3's own code.

Each case runs its driver in a fresh process: the fs.s3a.* settings are
read once per process, when the file system for a bucket is first made."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from s3_server import s3_auth_server, s3_server  # noqa: F401  (fixtures)
from ui_servers import pools_shown

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROGRAM = """
import json, sys
from ember import SparkConf, SparkContext
conf = SparkConf()
for key, value in json.loads(sys.argv[1]).items():
    conf.set(key, value)
sc = SparkContext(sys.argv[2], "s3-test", conf=conf)
def report(**values):
    print("RESULT " + json.dumps(values), flush=True)
try:
{body}
finally:
    sc.stop()
"""


def run(server, body, master="local[2]", timeout=300, settings=None, **conf):
    """Runs `body` (indented into PROGRAM; it calls report(...)) in a
    driver process with the server's settings (and `settings`); returns
    what it reported, or the process's output when it failed."""
    program = PROGRAM.format(body=textwrap.indent(textwrap.dedent(body), "    "))
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    out = subprocess.run([sys.executable, "-c", program, json.dumps(dict(server.hadoop_conf(**conf), **(settings or {}))), master],
                         env=env, capture_output=True, text=True, timeout=timeout)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    return {"returncode": out.returncode, "stderr": out.stderr[-4000:]}


def test_text_file_reads_a_file_a_directory_and_a_glob(s3_server):
    s3_server.put("ember-data", {
        "logs/a.txt": b"a1\na2\n",
        "logs/b.txt": b"b1\nb2\nb3",
        "logs/_SUCCESS": b"",
        "logs/2026/x.txt": b"x1\n",
        "logs/2027/y.txt": b"y1\ny2\n",
    })
    got = run(s3_server, """
        report(file=sc.textFile("s3a://ember-data/logs/a.txt").collect(),
               listed=sorted(sc.textFile("s3a://ember-data/logs/a.txt,s3a://ember-data/logs/b.txt").collect()),
               glob=sorted(sc.textFile("s3a://ember-data/logs/202*/*.txt").collect()),
               s3=sc.textFile("s3://ember-data/logs/a.txt").count())
    """)
    assert got == {"file": ["a1", "a2"], "listed": ["a1", "a2", "b1", "b2", "b3"],
                   "glob": ["x1", "y1", "y2"], "s3": 2}, got


def test_a_directory_of_files_reads_all_but_hidden_ones(s3_server):
    s3_server.put("ember-data", {"flat/p1": b"1\n2\n", "flat/p2": b"3\n", "flat/.hidden": b"no\n"})
    got = run(s3_server, """
        report(lines=sorted(sc.textFile("s3a://ember-data/flat").collect()))
    """)
    assert got == {"lines": ["1", "2", "3"]}, got


def test_a_bucket_of_more_than_a_thousand_keys_is_listed_fully(s3_server):
    s3_server.put("ember-many", {"k/%05d" % i: b"%d\n" % i for i in range(1205)})
    got = run(s3_server, """
        rdd = sc.textFile("s3a://ember-many/k")
        report(partitions=rdd.getNumPartitions(), total=rdd.map(int).sum())
    """)
    assert got == {"partitions": 1205, "total": sum(range(1205))}, got


@pytest.mark.parametrize("master", ["local[2]", "local-cluster[2,1,1024]"])
def test_save_as_text_file_then_read_back(s3_server, master):
    out = "s3a://ember-out/words-%s" % master.split("[")[0]
    got = run(s3_server, """
        sc.parallelize(["w%d" % i for i in range(1000)], 4).saveAsTextFile(OUT)
        report(back=sorted(sc.textFile(OUT).collect()))
    """.replace("OUT", repr(out)), master=master)
    assert got == {"back": sorted("w%d" % i for i in range(1000))}, got
    prefix = out.split("ember-out/")[1] + "/"
    keys = s3_server.keys("ember-out", prefix)
    assert prefix + "_SUCCESS" in keys
    assert sorted(k for k in keys if "part-" in k) == [prefix + "part-%05d" % i for i in range(4)]
    assert all("_temporary" not in k for k in keys), keys


def test_checkpoints_and_pickle_files_live_on_s3(s3_server):
    got = run(s3_server, """
        sc.setCheckpointDir("s3a://ember-out/checkpoints")
        squares = sc.parallelize(range(300), 3).map(lambda x: x * x)
        squares.checkpoint()
        total = squares.sum()
        back = squares.collect()
        sc.parallelize([{"n": i} for i in range(100)], 2).saveAsPickleFile("s3a://ember-out/pickles")
        report(total=total, back=back == [x * x for x in range(300)], done=squares.isCheckpointed(),
               directory=squares.getCheckpointFile(),
               pickles=sc.pickleFile("s3a://ember-out/pickles").collect() == [{"n": i} for i in range(100)])
    """)
    assert got.pop("directory", "").startswith("s3a://ember-out/checkpoints/"), got
    assert got == {"total": sum(x * x for x in range(300)), "back": True, "done": True, "pickles": True}, got
    keys = s3_server.keys("ember-out", "checkpoints/")
    assert sorted(k.rsplit("/", 1)[1] for k in keys if "part-" in k) == ["part-00000", "part-00001", "part-00002"]
    assert all("_temporary" not in k for k in keys), keys


def test_a_100_mb_output_is_one_multipart_object_read_back_byte_exact(s3_server):
    got = run(s3_server, """
        line = "x" * 1023
        sc.parallelize(range(100 * 1024), 1).map(lambda i: "%08d" % i + line[8:]).saveAsTextFile(
            "s3a://ember-out/big")
        back = sc.textFile("s3a://ember-out/big")
        report(count=back.count(), first=back.first()[:8], ok=back.map(len).distinct().collect())
    """, **{"multipart_size": "8M"})
    assert got == {"count": 100 * 1024, "first": "00000000", "ok": [1023]}, got
    keys = s3_server.keys("ember-out", "big/")
    assert keys == ["big/_SUCCESS", "big/part-00000"], keys
    data = s3_server.get("ember-out", "big/part-00000")
    assert len(data) == 100 * 1024 * 1024
    assert data[:1024] == b"00000000" + b"x" * 1015 + b"\n"
    assert data[-1024:] == b"%08d" % (100 * 1024 - 1) + b"x" * 1015 + b"\n"
    assert s3_server.uploads("ember-out") == []


READ_TOP_LEVEL = """
    try:
        report(lines=sc.textFile("s3a://ember-data/signed.txt").collect())
    except Exception as e:
        report(error=str(e))
"""


def test_requests_pass_a_servers_signature_check(s3_auth_server):
    # A top-level key: its reads have no '/' in a query (see s3_server.py).
    s3_auth_server.put("ember-data", {"signed.txt": b"s1\ns2\n"})
    assert run(s3_auth_server, READ_TOP_LEVEL) == {"lines": ["s1", "s2"]}


def test_a_wrong_secret_names_the_path_and_s3s_code(s3_auth_server):
    s3_auth_server.put("ember-data", {"signed.txt": b"s1\ns2\n"})
    got = run(s3_auth_server, READ_TOP_LEVEL, secret_key="wrong-secret-value")
    assert "s3a://ember-data/signed.txt" in got["error"], got
    assert "SignatureDoesNotMatch" in got["error"], got
    assert "wrong-secret-value" not in got["error"]


def test_an_unknown_access_key_names_the_path_and_s3s_code(s3_auth_server):
    got = run(s3_auth_server, READ_TOP_LEVEL, access_key="AKIAUNKNOWNKEY000000")
    assert "s3a://ember-data/signed.txt" in got["error"], got
    assert "InvalidAccessKeyId" in got["error"], got


def test_missing_bucket_and_missing_key_are_named(s3_server):
    got = run(s3_server, """
        from ember import errors
        found = {}
        for path in ("s3a://no-such-bucket/a.txt", "s3a://no-such-bucket/*.txt", "s3a://ember-data/no/such.txt"):
            try:
                sc.textFile(path).collect()
            except (errors.InputNotFoundError, errors.EmberIOError) as e:
                found[path] = [type(e).__name__, str(e)]
        report(**found)
    """)
    for path in ("s3a://no-such-bucket/a.txt", "s3a://no-such-bucket/*.txt"):
        kind, message = got[path]
        assert kind == "EmberIOError" and "NoSuchBucket" in message and "s3a://no-such-bucket/" in message, got
    assert got["s3a://ember-data/no/such.txt"] == [
        "InputNotFoundError", "Input path does not exist: s3a://ember-data/no/such.txt"], got


def test_an_unreachable_endpoint_is_named(s3_server):
    got = run(s3_server, """
        try:
            sc.textFile("s3a://ember-data/a.txt").collect()
        except Exception as e:
            report(error=str(e))
    """, endpoint="http://127.0.0.1:9", connection_establish_timeout="5s")
    assert "cannot reach S3 endpoint http://127.0.0.1:9" in got["error"], got


def test_the_allocation_file_may_be_on_s3(s3_server):
    """spark.scheduler.allocation.file as an s3a:// key: its pools show in
    the web UI; a key that does not exist fails the context, naming it."""
    s3_server.put("ember-data", {"conf/fair.xml": b'<allocations><pool name="etl"><weight>7</weight>'
                                                  b'</pool></allocations>'})
    show_pools = """
        import urllib.request
        with urllib.request.urlopen(sc.uiWebUrl + "/stages/", timeout=30) as page:
            report(page=page.read().decode())
    """
    fair = {"spark.scheduler.mode": "FAIR"}
    got = run(s3_server, show_pools,
              settings=dict(fair, **{"spark.scheduler.allocation.file": "s3a://ember-data/conf/fair.xml"}))
    assert "page" in got, got
    etl = pools_shown(got["page"])["etl"]
    assert (etl["schedulingMode"], etl["weight"], etl["minShare"]) == ("FIFO", "7", "0")
    got = run(s3_server, show_pools,
              settings=dict(fair, **{"spark.scheduler.allocation.file": "s3a://ember-data/conf/nope.xml"}))
    assert got["returncode"] != 0
    assert "spark.scheduler.allocation.file s3a://ember-data/conf/nope.xml: cannot read it" in got["stderr"], got
