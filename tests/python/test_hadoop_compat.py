"""Proof that ember's SequenceFiles and pickle files interoperate with the
real Hadoop and the real PySpark (issue 13 §4).

SequenceFiles: Hadoop's own writer makes files of every compression kind
(tests/java/src/SeqFileTool.java, once per session) and ember must read
the values this file computes with the same formulas, whole and split at
sync markers (their headers carry metadata, which must be skipped);
ember's files of every compression kind must read back in
Hadoop's reader as the same records, of the classes ember's inference
chose (ember/writables.py). Records are compared in SeqFileTool's
canonical text (see there).

Pickle files: one real PySpark process per session
(tests/pyspark_pickle_peer.py) writes pickle files at three batch sizes,
which ember must read, and reads ember's, which must give the records
ember saved. The same PySpark reads SequenceFiles too: ember's must give
PySpark the records ember saved, and Hadoop's the values ember reads
(ember converts Writables as PySpark does).
"""

import os
import pickle
import subprocess

import pytest

from reference import java_command, venv_python

RECORDS = 2000  # SeqFileTool.RECORDS
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
CODECS = {"default": "org.apache.hadoop.io.compress.DefaultCodec",
          "gzip": "org.apache.hadoop.io.compress.GzipCodec",
          "bzip2": "org.apache.hadoop.io.compress.BZip2Codec",
          "lz4": "org.apache.hadoop.io.compress.Lz4Codec"}
IO = "org.apache.hadoop.io."


# ------------------------------------------------ SeqFileTool's records

def _text(i):
    pad = "".join(ALPHABET[(i * j * 31 + j) % len(ALPHABET)] for j in range((i * 13) % 400))
    return "r%d|" % i + "é日😀" * (i % 11) + pad


def _bytes(i):
    return bytearray((i * 31 + j * j) % 256 for j in range(70000 + i if i % 997 == 0 else (i * 7) % 500))


def _map(i):
    m = {} if i % 10 == 0 else {"a": i - 1500, "b": i * 0.5, "s": _text(i % 50), i % 7: "seven", "t": i % 2 == 0,
                                "n": None, "y": bytearray([i % 256, 0, 255]), 5000000000 + i: ""}
    if i % 3 == 0:
        m["m"] = {"x": i}
    return m


# kind -> (record i, classes Hadoop writes, whether every codec is written)
KINDS = {
    "int_text": (lambda i: (i * 7 - 1000, _text(i)), ("IntWritable", "Text"), True),
    "long_double": (lambda i: ((1 if i % 2 else -1) * (i * 3000000019 + 5000000000), i * 0.25 - 100),
                    ("LongWritable", "DoubleWritable"), False),
    "null_bytes": (lambda i: (None, _bytes(i)), ("NullWritable", "BytesWritable"), False),
    "text_map": (lambda i: ("k%d" % i, _map(i)), ("Text", "MapWritable"), False),
    "float_bool": (lambda i: (i * 0.25 - 3, i % 3 == 0), ("FloatWritable", "BooleanWritable"), False),
    "vint_vlong": (lambda i: (i * 1000003 - 1000000000, (1 if i % 2 else -1) * i ** 5),
                   ("VIntWritable", "VLongWritable"), False),
}


# ember writes a Python int as IntWritable or LongWritable by its size (never
# VInt), and a file's classes are its first record's, as in PySpark.
EMBER_WRITES = [kind for kind in KINDS if kind != "vint_vlong"]


def records(kind):
    make = KINDS[kind][0]
    return [make(i) for i in range(RECORDS)]


def compressions(kind):
    """(file-name suffix, Hadoop compression type, codec name or None)."""
    codecs = CODECS if KINDS[kind][2] else ["default"]
    return [("none", "NONE", None)] + [
        ("%s-%s" % (t.lower(), c), t, c) for c in codecs for t in ("RECORD", "BLOCK")]


def typed(value):
    """`value` with the type of every part made explicit, so that 1 != True,
    2 != 2.0 and bytes != bytearray when lists of records are compared."""
    if isinstance(value, dict):
        return ("dict", sorted((repr(typed(k)), typed(v)) for k, v in value.items()))
    if isinstance(value, (tuple, list)):
        return (type(value).__name__,) + tuple(typed(v) for v in value)
    return (type(value).__name__, value)


# ------------------------------------------------ canonical text

def _class_of(value):
    """The short Writable class ember writes `value` as (ember/writables.py)."""
    if isinstance(value, bool):
        return "BooleanWritable"
    if isinstance(value, int):
        return "IntWritable" if -(1 << 31) <= value < (1 << 31) else "LongWritable"
    return {str: "Text", float: "DoubleWritable", type(None): "NullWritable", bytes: "BytesWritable",
            bytearray: "BytesWritable", dict: "MapWritable"}[type(value)]


def canonical(value):
    """SeqFileTool's canonical text of the Writable `value` becomes."""
    if isinstance(value, str):
        return value.encode("utf-8").hex()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        entries = ("%s:%s=%s:%s" % (_class_of(k), canonical(k), _class_of(v), canonical(v))
                   for k, v in value.items())
        return "{" + ",".join(sorted(entries)) + "}"
    return repr(value)


def hadoop_read(paths):
    """{path: (header fields, record lines, sync markers passed)} as Hadoop's
    SequenceFile.Reader sees them."""
    out = subprocess.run(java_command("SeqFileTool", "read", *paths, heap="256m"),
                         check=True, capture_output=True, text=True).stdout
    files, path, lines = {}, None, None
    for line in out.splitlines():
        if line.startswith("FILE "):
            path, *header = line.split(" ")[1:]
            lines = []
        elif line.startswith("SYNCS "):
            files[path] = (header, lines, int(line.split(" ")[1]))
        else:
            lines.append(line)
    return files


def _part_files(path):
    """The part files of an output directory, in partition order."""
    return sorted(os.path.join(path, f) for f in os.listdir(path) if f.startswith("part-"))


# ------------------------------------------------ fixtures

@pytest.fixture(scope="session")
def hadoop_files(tmp_path_factory):
    """The directory of SeqFileTool's files, written once per session."""
    root = tmp_path_factory.mktemp("hadoop-seq")
    subprocess.run(java_command("SeqFileTool", "write", root, heap="256m"), check=True,
                   capture_output=True)
    return root


def _hadoop_file_list():
    return [("%s-%s.seq" % (kind, suffix), kind) for kind in KINDS for suffix, _, _ in compressions(kind)]


# ------------------------------------------------ Hadoop -> ember

def test_hadoop_written_files_read_by_ember(sc, hadoop_files):
    files = _hadoop_file_list()
    rdds = [sc.sequenceFile(str(hadoop_files / name)) for name, _ in files]
    got = sc.union(rdds).collect()
    for n, (name, kind) in enumerate(files):
        want = records(kind)
        assert typed(got[n * RECORDS:(n + 1) * RECORDS]) == typed(want), name
    assert len(got) == len(files) * RECORDS


def test_hadoop_written_files_split_at_sync_markers(sc, hadoop_files):
    """With many splits per file, every record is read exactly once and the
    records are spread over the splits (each starts at a sync marker)."""
    files = _hadoop_file_list()
    rdds = [sc.sequenceFile(str(hadoop_files / name), IO + KINDS[kind][1][0], IO + KINDS[kind][1][1],
                            minSplits=12) for name, kind in files]
    parts = sc.union(rdds).glom().collect()
    start = 0
    for rdd, (name, kind) in zip(rdds, files):
        mine = parts[start:start + rdd.getNumPartitions()]
        start += rdd.getNumPartitions()
        assert typed([r for p in mine for r in p]) == typed(records(kind)), name
        filled = sum(1 for p in mine if p)
        assert filled >= max(2, len(mine) // 2), "%s: %s" % (name, [len(p) for p in mine])
    assert start == len(parts)


# ------------------------------------------------ ember -> Hadoop

def _save(rdd, path, compression, codec):
    """BLOCK through the Hadoop conf, its blocks 4 KiB (default 1 MB) so
    that every part holds several."""
    if compression == "BLOCK":
        rdd.saveAsHadoopFile(path, "org.apache.hadoop.mapred.SequenceFileOutputFormat", conf={
            "mapreduce.output.fileoutputformat.compress": "true",
            "mapreduce.output.fileoutputformat.compress.codec": CODECS[codec],
            "mapreduce.output.fileoutputformat.compress.type": "BLOCK",
            "io.seqfile.compress.blocksize": "4096"})
    else:
        rdd.saveAsSequenceFile(path, CODECS[codec] if codec else None)


def test_ember_written_files_read_by_hadoop(sc, tmp_path):
    """Same records, classes and compression in Hadoop's reader; every part
    has sync markers past its header (in BLOCK files: several blocks, so
    the io.seqfile.compress.blocksize given is honoured)."""
    outputs = []  # (dir, records, compression, codec)
    for kind in EMBER_WRITES:
        data = records(kind)
        for suffix, compression, codec in compressions(kind):
            path = str(tmp_path / ("%s-%s" % (kind, suffix)))
            _save(sc.parallelize(data, 3), path, compression, codec)
            outputs.append((path, data, compression, codec))
    parts = {path: _part_files(path) for path, _, _, _ in outputs}
    seen = hadoop_read([p for path in parts for p in parts[path]])
    for path, data, compression, codec in outputs:
        key_class, value_class = IO + _class_of(data[0][0]), IO + _class_of(data[0][1])
        codec_class = CODECS[codec] if codec else "-"
        lines = []
        for part in parts[path]:
            header, part_lines, syncs = seen[part]
            assert header == [key_class, value_class, compression, codec_class], part
            assert syncs >= 2, part
            lines += part_lines
        assert lines == ["%s\t%s" % (canonical(k), canonical(v)) for k, v in data], path


# ------------------------------------------------ pickle files

PICKLE_RECORDS = [(i, "s%d-é" % i, i * 0.5, {"k": [i, None]}, b"\x00\xff" * (i % 5), i % 2 == 0)
                  for i in range(1000)]
PYSPARK_BATCHES = (1, 7, 0)


class PySparkPeer:
    """tests/pyspark_pickle_peer.py, running: its files and a read request."""

    def __init__(self, root):
        self.root = root
        records_path = os.path.join(root, "records.pickle")
        with open(records_path, "wb") as f:
            pickle.dump(PICKLE_RECORDS, f)
        self._log = open(os.path.join(root, "pyspark.log"), "wb")
        env = dict(os.environ, JAVA_HOME=os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64"))
        script = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                              "pyspark_pickle_peer.py")
        self._proc = subprocess.Popen([venv_python(), script, root, records_path, *map(str, PYSPARK_BATCHES)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
                                      text=True, env=env)
        self._reply("READY")

    def _reply(self, word):
        """The rest of the peer's next line starting with `word`."""
        for line in self._proc.stdout:
            said, _, rest = line.rstrip("\n").partition(" ")
            if said == "ERROR":
                raise AssertionError("PySpark failed: " + rest)
            if said == word:
                return rest
        with open(self._log.name, "rb") as log:
            tail = log.read()[-3000:].decode("utf-8", "replace")
        raise RuntimeError("PySpark peer exited before %s; end of its log:\n%s" % (word, tail))

    def read(self, kind, path):
        """PySpark's pickleFile(path) or sequenceFile(path) (kind "pickle"
        or "sequence"), collected."""
        self._proc.stdin.write("%s %s\n" % (kind, path))
        self._proc.stdin.flush()
        return pickle.loads(bytes.fromhex(self._reply("RECORDS")))

    def stop(self):
        self._proc.stdin.close()
        self._proc.wait(timeout=120)
        self._log.close()


@pytest.fixture(scope="session")
def pyspark_peer(tmp_path_factory):
    peer = PySparkPeer(str(tmp_path_factory.mktemp("pyspark-pickle")))
    yield peer
    peer.stop()


@pytest.mark.parametrize("batch", PYSPARK_BATCHES)
def test_pyspark_pickle_files_read_by_ember(sc, pyspark_peer, batch):
    got = sc.pickleFile(os.path.join(pyspark_peer.root, "pyspark-batch%d" % batch)).collect()
    assert typed(got) == typed(PICKLE_RECORDS)


@pytest.mark.parametrize("batch", [1, 10, 0])
def test_ember_pickle_files_read_by_pyspark(sc, pyspark_peer, tmp_path, batch):
    path = str(tmp_path / "ember-pickle")
    sc.parallelize(PICKLE_RECORDS, 3).saveAsPickleFile(path, batch)
    # File by file: Hadoop lists a local directory in the file system's order, not by name.
    got = [r for part in _part_files(path) for r in pyspark_peer.read("pickle", part)]
    assert typed(got) == typed(PICKLE_RECORDS)


# ------------------------------------------------ SequenceFiles in PySpark

@pytest.fixture(scope="session")
def pyspark_reads_hadoop_files(pyspark_peer, hadoop_files):
    """{file name: PySpark's sequenceFile records} for SeqFileTool's
    uncompressed files of the kinds ember writes too (the conversions are
    the point here; compression is proved against Hadoop above)."""
    names = ["%s-none.seq" % kind for kind in EMBER_WRITES]
    return {name: pyspark_peer.read("sequence", str(hadoop_files / name)) for name in names}


def test_pyspark_and_ember_convert_hadoop_writables_alike(sc, hadoop_files, pyspark_reads_hadoop_files):
    for name, want in pyspark_reads_hadoop_files.items():
        assert typed(sc.sequenceFile(str(hadoop_files / name)).collect()) == typed(want), name


def test_ember_sequence_files_read_by_pyspark(sc, pyspark_peer, tmp_path):
    for kind in EMBER_WRITES:
        path = str(tmp_path / kind)
        sc.parallelize(records(kind), 2).saveAsSequenceFile(path, CODECS["gzip"])
        got = [r for part in _part_files(path) for r in pyspark_peer.read("sequence", part)]
        assert typed(got) == typed(records(kind)), kind
