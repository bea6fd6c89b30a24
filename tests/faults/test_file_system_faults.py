"""The `faulty:` file system (src/ember/io/fault_file_system.h) under the
input and output formats: short reads change no record (sequential
readers: text, offsets, whole files, binary records; SequenceFiles are read
at offsets, which io::ByteSource never shortens, so their rows check only
reading through another scheme), a full disk fails
the save naming "No space left on device" and the file and commits
nothing, a listed file that vanishes fails the job naming it."""

import os

from harness import ok_json, run_driver

SHORT_READS = """
import gzip
data = {data!r}
sc = make_context(ember_test_fs_shortReads="true")
report = {{}}
text = os.path.join(data, "text")
os.makedirs(text)
lines = ["line %d %s" % (i, "x" * (i % 50)) for i in range(20000)]
with open(os.path.join(text, "a.txt"), "w") as f:
    f.write("\\n".join(lines[:15000]) + "\\r\\n")
with open(os.path.join(text, "b.txt"), "w") as f:
    f.write("\\n".join(lines[15000:]))
with gzip.open(os.path.join(text, "c.txt.gz"), "wt") as f:
    f.write("\\n".join(lines[:3000]))
records = bytes(i % 251 for i in range(13 * 9000))
os.makedirs(os.path.join(data, "bin"))
with open(os.path.join(data, "bin", "r.bin"), "wb") as f:
    f.write(records)
pairs = [(i, "v%d" % i) for i in range(20000)]
sc.parallelize(pairs, 2).saveAsSequenceFile(os.path.join(data, "seq"))
sc.parallelize(pairs, 2).saveAsSequenceFile(os.path.join(data, "seqgz"), "org.apache.hadoop.io.compress.GzipCodec")
for name, read in [
        ("text", lambda p: sc.textFile(os.path.join(p, "text"), 9).collect()),
        ("offsets", lambda p: sc.hadoopFile(os.path.join(p, "text", "a.txt"), "org.apache.hadoop.mapred.TextInputFormat",
                                            "org.apache.hadoop.io.LongWritable", "org.apache.hadoop.io.Text").collect()),
        ("whole", lambda p: sorted((os.path.basename(k), v) for k, v in sc.wholeTextFiles(os.path.join(p, "text")).collect())),
        ("binary", lambda p: sc.binaryRecords(os.path.join(p, "bin"), 13).collect()),
        ("seq", lambda p: sc.sequenceFile(os.path.join(p, "seq"), minSplits=30).collect()),
        ("seqgz", lambda p: sc.sequenceFile(os.path.join(p, "seqgz"), minSplits=30).collect())]:
    plain, faulty = read(data), read("faulty://" + data)
    report[name] = [len(plain), plain == faulty]
report["binary_ok"] = b"".join(sc.binaryRecords("faulty://" + os.path.join(data, "bin"), 13).collect()) == records
report["seq_ok"] = sc.sequenceFile("faulty://" + os.path.join(data, "seq"), minSplits=30).collect() == pairs
sc.stop()
print(json.dumps(report))
"""


def test_short_reads_change_no_record(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    report = ok_json(run_driver(SHORT_READS.format(data=str(data)), tmp_path / "local"))
    assert report.pop("binary_ok") and report.pop("seq_ok"), report
    assert report == {"text": [23000, True], "offsets": [15000, True], "whole": [3, True],
                      "binary": [9000, True], "seq": [20000, True], "seqgz": [20000, True]}


DISK_FULL = """
out = {out!r}
sc = make_context(ember_test_fs_diskFullAfter=5000)
report = {{}}
rows = sc.parallelize([(i, "value %d" % i) for i in range(5000)], 2)
saves = [("text", lambda p: rows.saveAsTextFile(p)),
         ("seq", lambda p: rows.saveAsSequenceFile(p)),
         ("seqgz", lambda p: rows.saveAsSequenceFile(p, "org.apache.hadoop.io.compress.DefaultCodec")),
         ("pickle", lambda p: rows.saveAsPickleFile(p))]
for name, save in saves:
    path = os.path.join(out, name)
    try:
        save("faulty://" + path)
        report[name] = ["finished"]
    except Exception as e:
        report[name] = [str(e).splitlines()[0]]
    report[name].append(os.path.exists(path))
small = os.path.join(out, "small")
sc.parallelize(range(10), 2).saveAsTextFile("faulty://" + small)
report["small"] = sorted(os.listdir(small))
sc.stop()
print(json.dumps(report))
"""


def test_disk_full_fails_the_save_naming_the_file_and_leaves_no_output(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    report = ok_json(run_driver(DISK_FULL.format(out=str(out)), tmp_path / "local"))
    for name in ("text", "seq", "seqgz", "pickle"):
        error, exists = report[name]
        assert "No space left on device" in error and "part-0000" in error, (name, error)
        assert not exists, (name, report)
    assert report["small"] == ["_SUCCESS", "part-00000", "part-00001"]


VANISH = """
data = {data!r}
sc = make_context(ember_test_fs_vanish="gone")
report = {{}}
for name in ("a.txt", "gone.txt"):
    with open(os.path.join(data, name), "w") as f:
        f.write("x\\n")
os.makedirs(os.path.join(data, "seq"))
sc.parallelize([(1, "a")], 1).saveAsSequenceFile(os.path.join(data, "seq", "gone-seq"))
with open(os.path.join(data, "gone.bin"), "wb") as f:
    f.write(b"abcd")
reads = [("text", lambda: sc.textFile("faulty://" + data + "/*.txt").collect()),
         ("whole", lambda: sc.wholeTextFiles("faulty://" + data + "/*.txt").collect()),
         ("seq", lambda: sc.sequenceFile("faulty://" + data + "/seq/gone-seq").collect()),
         ("binary", lambda: sc.binaryRecords("faulty://" + data + "/gone.bin", 2).collect())]
for name, read in reads:
    try:
        report[name] = "finished: %r" % (read(),)
    except Exception as e:
        report[name] = str(e).splitlines()[0]
report["kept"] = sc.textFile("faulty://" + data + "/a.txt").collect()
sc.stop()
print(json.dumps(report))
"""


def test_a_listed_file_that_vanishes_fails_naming_it(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    report = ok_json(run_driver(VANISH.format(data=str(data)), tmp_path / "local"))
    assert "gone.txt" in report["text"] and "No such file" in report["text"], report
    assert "gone.txt" in report["whole"], report
    assert "gone-seq" in report["seq"] and "part-00000" in report["seq"], report
    assert "gone.bin" in report["binary"], report
    assert report["kept"] == ["x"]
