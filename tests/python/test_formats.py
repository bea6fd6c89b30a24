"""SequenceFiles, pickle files, the Hadoop input/output formats and
binaryRecords, checked against values and bytes computed here: round trips
of every Writable conversion, every compression, splits at sync markers and
line boundaries, and clear errors (naming the file or class) on bad input."""

import collections
import datetime
import decimal
import fractions
import os
import pickle
import struct

import pytest

from ember import errors

SEQ_IN = "org.apache.hadoop.mapred.SequenceFileInputFormat"
SEQ_IN_NEW = "org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat"
TEXT_IN = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_IN_NEW = "org.apache.hadoop.mapreduce.lib.input.TextInputFormat"
KV_IN = "org.apache.hadoop.mapreduce.lib.input.KeyValueTextInputFormat"
SEQ_OUT = "org.apache.hadoop.mapred.SequenceFileOutputFormat"
SEQ_OUT_NEW = "org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat"
TEXT_OUT = "org.apache.hadoop.mapred.TextOutputFormat"
TEXT_OUT_NEW = "org.apache.hadoop.mapreduce.lib.output.TextOutputFormat"
IO = "org.apache.hadoop.io."
CODECS = ["org.apache.hadoop.io.compress.DefaultCodec", "org.apache.hadoop.io.compress.GzipCodec",
          "org.apache.hadoop.io.compress.BZip2Codec"]

VALUES = {
    "str": ["", "a", "héllo wörld", "tab\there", "x" * 300],
    "int": [0, 1, -1, 2 ** 31 - 1, -2 ** 31, 7],
    "long": [2 ** 31, -2 ** 31 - 1, 2 ** 62, -2 ** 63, 2 ** 63 - 1],
    "float": [0.0, -1.5, 3.25, 1e300, float("inf")],
    "bool": [True, False, True],
    "none": [None, None],
    "bytes": [b"", b"\x00\x01\xff", bytes(range(256))],
    "dict": [{}, {"a": 1, "b": 2 ** 40}, {1: "x", "n": None, "f": 2.5, "b": b"\x00", "m": {"in": True}}],
}


def part_files(path):
    return sorted(f for f in os.listdir(path) if f.startswith("part-"))


def expected(value):
    """What a value reads back as: bytes become bytearray (BytesWritable)."""
    if isinstance(value, bytes):
        return bytearray(value)
    if isinstance(value, dict):
        return {expected(k): expected(v) for k, v in value.items()}
    return value


# ------------------------------------------------------------ SequenceFile

@pytest.mark.parametrize("kind", sorted(VALUES))
def test_sequence_file_round_trips_every_writable_as_key_and_value(sc, tmp_path, kind):
    values = VALUES[kind]
    hashable = kind != "dict"
    pairs = [(v if hashable else i, v) for i, v in enumerate(values)]
    sc.parallelize(pairs, 2).saveAsSequenceFile(str(tmp_path / "kv"))
    got = sc.sequenceFile(str(tmp_path / "kv")).collect()
    assert got == [(expected(k), expected(v)) for k, v in pairs]
    if kind == "bytes":
        assert all(type(v) is bytearray for _, v in got)
    if kind == "long":
        assert os.path.exists(tmp_path / "kv" / "_SUCCESS")


def test_sequence_file_header_names_the_writable_classes(sc, tmp_path):
    sc.parallelize([(2 ** 40, 1.5)], 1).saveAsSequenceFile(str(tmp_path / "o"))
    data = (tmp_path / "o" / "part-00000").read_bytes()
    assert data[:4] == b"SEQ\x06"
    assert (IO + "LongWritable").encode() in data and (IO + "DoubleWritable").encode() in data


@pytest.mark.parametrize("compression", ["NONE", "RECORD", "BLOCK"])
@pytest.mark.parametrize("codec", CODECS)
def test_every_compression_round_trips_and_splits_at_sync_markers(sc, tmp_path, codec, compression):
    pairs = [(i, "value %d %s" % (i, "z" * (i % 37))) for i in range(6000)]
    conf = {"mapreduce.output.fileoutputformat.compress": "true",
            "mapreduce.output.fileoutputformat.compress.codec": codec,
            "mapreduce.output.fileoutputformat.compress.type": compression}
    out = str(tmp_path / "o")
    sc.parallelize(pairs, 2).saveAsHadoopFile(out, SEQ_OUT, conf=conf)
    header = (tmp_path / "o" / "part-00000").read_bytes()[:200]
    assert (codec.encode() in header) == (compression != "NONE")
    split = sc.sequenceFile(out, minSplits=24)
    assert split.getNumPartitions() > 2
    assert split.collect() == pairs
    assert sorted(split.map(lambda kv: kv[0]).collect()) == list(range(6000))


def test_save_as_sequence_file_with_codec_compresses_records(sc, tmp_path):
    pairs = [("k%d" % i, "v" * 200) for i in range(500)]
    sc.parallelize(pairs, 1).saveAsSequenceFile(str(tmp_path / "gz"), CODECS[1])
    sc.parallelize(pairs, 1).saveAsSequenceFile(str(tmp_path / "plain"))
    assert os.path.getsize(tmp_path / "gz" / "part-00000") < os.path.getsize(tmp_path / "plain" / "part-00000") / 4
    assert sc.sequenceFile(str(tmp_path / "gz")).collect() == pairs


def test_uncompressed_sequence_file_splits_lose_and_duplicate_nothing(sc, tmp_path):
    pairs = [("key%05d" % i, i * 3) for i in range(20000)]
    out = str(tmp_path / "o")
    sc.parallelize(pairs, 3).saveAsSequenceFile(out)
    for splits in (1, 7, 50):
        rdd = sc.sequenceFile(out, IO + "Text", IO + "IntWritable", minSplits=splits)
        assert rdd.getNumPartitions() >= min(splits, 3)
        assert rdd.collect() == pairs
    assert sc.sequenceFile(out, minSplits=50).getNumPartitions() > 3


def test_hadoop_file_apis_read_sequence_files(sc, tmp_path):
    pairs = [(i, str(i)) for i in range(50)]
    out = str(tmp_path / "o")
    sc.parallelize(pairs, 2).saveAsNewAPIHadoopFile(out, SEQ_OUT_NEW)
    assert sc.hadoopFile(out, SEQ_IN, IO + "IntWritable", IO + "Text").collect() == pairs
    assert sc.newAPIHadoopFile(out, SEQ_IN_NEW, IO + "IntWritable", IO + "Text").collect() == pairs
    conf = {"mapreduce.input.fileinputformat.inputdir": out}
    assert sc.newAPIHadoopRDD(SEQ_IN_NEW, IO + "IntWritable", IO + "Text", conf=conf).collect() == pairs
    assert sc.hadoopRDD(SEQ_IN, IO + "IntWritable", IO + "Text", conf={"mapred.input.dir": out}).collect() == pairs


def test_sequence_file_with_the_wrong_classes_names_file_and_class(sc, tmp_path):
    out = str(tmp_path / "o")
    sc.parallelize([(1, "a")], 1).saveAsSequenceFile(out)
    with pytest.raises(errors.EmberError) as e:
        sc.sequenceFile(out, IO + "Text", IO + "Text").collect()
    assert "part-00000" in str(e.value) and "IntWritable" in str(e.value)


def test_mixed_key_types_fail_and_leave_no_output(sc, tmp_path):
    out = tmp_path / "o"
    with pytest.raises(errors.EmberError) as e:
        sc.parallelize([(1, "a"), ("b", "c")], 1).saveAsSequenceFile(str(out))
    assert "IntWritable" in str(e.value) and "Text" in str(e.value)
    assert not out.exists()
    with pytest.raises(errors.EmberError) as e:  # the first key fits in 32 bits, a later one does not
        sc.parallelize([(1, "a"), (2 ** 40, "c")], 2).saveAsSequenceFile(str(out))
    assert "LongWritable" in str(e.value)
    assert not out.exists()


def test_unconvertible_values_name_their_type(sc, tmp_path):
    with pytest.raises(errors.EmberError) as e:
        sc.parallelize([(1, [1, 2])], 1).saveAsSequenceFile(str(tmp_path / "o"))
    assert "list" in str(e.value)
    assert not (tmp_path / "o").exists()


def test_empty_rdd_saves_and_reads_back_empty(sc, tmp_path):
    empty = sc.parallelize([], 2)
    empty.saveAsSequenceFile(str(tmp_path / "seq"))
    empty.saveAsPickleFile(str(tmp_path / "pickle"))
    empty.saveAsHadoopFile(str(tmp_path / "text"), TEXT_OUT)
    for name in ("seq", "pickle", "text"):
        assert os.path.exists(tmp_path / name / "_SUCCESS"), name
    assert sc.sequenceFile(str(tmp_path / "seq")).collect() == []
    assert sc.pickleFile(str(tmp_path / "pickle")).collect() == []
    assert sc.textFile(str(tmp_path / "text")).collect() == []


# --------------------------------------------------- corrupt SequenceFiles

def _written_file(sc, path, pairs, codec=None):
    sc.parallelize(pairs, 1).saveAsSequenceFile(str(path), codec)
    return path / "part-00000"


def test_truncated_sequence_file_is_a_clear_error(sc, tmp_path):
    f = _written_file(sc, tmp_path / "o", [(i, "v%d" % i) for i in range(1000)])
    data = f.read_bytes()
    f.write_bytes(data[:len(data) - 5])
    with pytest.raises(errors.EmberError) as e:
        sc.sequenceFile(str(tmp_path / "o")).collect()
    assert "part-00000" in str(e.value)
    f.write_bytes(data[:10])  # inside the header
    with pytest.raises(errors.EmberError) as e:
        sc.sequenceFile(str(tmp_path / "o")).collect()
    assert "part-00000" in str(e.value)


def test_sequence_file_with_wrong_magic_is_a_clear_error(sc, tmp_path):
    f = _written_file(sc, tmp_path / "o", [(1, "a")])
    f.write_bytes(b"XYZ" + f.read_bytes()[3:])
    with pytest.raises(errors.EmberError) as e:
        sc.sequenceFile(str(tmp_path / "o")).collect()
    assert "part-00000" in str(e.value) and "SequenceFile" in str(e.value)


def test_sequence_file_naming_an_unknown_codec_is_a_clear_error(sc, tmp_path):
    f = _written_file(sc, tmp_path / "o", [(1, "a")], CODECS[0])
    data = f.read_bytes()
    name = CODECS[0].encode()
    bogus = b"org.apache.hadoop.io.compress.NopeCodecXYZ"
    assert len(bogus) == len(name) and data.count(name) == 1
    f.write_bytes(data.replace(name, bogus))
    with pytest.raises(errors.EmberError) as e:
        sc.sequenceFile(str(tmp_path / "o")).collect()
    assert "part-00000" in str(e.value) and "NopeCodecXYZ" in str(e.value)


def test_pickle_file_on_a_sequence_file_of_text_is_a_clear_error(sc, tmp_path):
    _written_file(sc, tmp_path / "o", [("a", "b")])
    with pytest.raises(errors.EmberError) as e:
        sc.pickleFile(str(tmp_path / "o")).collect()
    assert "part-00000" in str(e.value) and "Text" in str(e.value)


def test_pickle_file_on_other_bytes_values_names_the_path(sc, tmp_path):
    sc.parallelize([(None, b"junk")], 1).saveAsSequenceFile(str(tmp_path / "nb"))
    with pytest.raises(errors.EmberError) as e:
        sc.pickleFile(str(tmp_path / "nb")).collect()
    assert str(tmp_path / "nb") in str(e.value) and "Java-serialized" in str(e.value)


def test_invalid_utf8_text_reads_with_replacement_characters_as_hadoop_text(sc, tmp_path):
    # Hadoop's Text.toString, which PySpark's conversion calls, replaces
    # malformed UTF-8 with U+FFFD.
    f = _written_file(sc, tmp_path / "o", [("k\u00e9y", "v")])
    f.write_bytes(f.read_bytes().replace("k\u00e9y".encode(), b"k\xff\xfey"))
    assert sc.sequenceFile(str(tmp_path / "o")).collect() == [("k\ufffd\ufffdy", "v")]


def test_sequence_file_of_a_missing_path_names_it(sc, tmp_path):
    with pytest.raises(errors.EmberError) as e:
        sc.sequenceFile(str(tmp_path / "nothing")).collect()
    assert "nothing" in str(e.value)


# -------------------------------------------------------------- pickleFile

# Importable classes only: a worker unpickles them (as in PySpark).
OBJECTS = [None, 1, 2 ** 100, 1.5, "s", b"b", [1, [2]], (3, "t"), {"k": {1, 2}}, frozenset([4]),
           decimal.Decimal("1.10"), fractions.Fraction(1, 3), datetime.date(2024, 2, 29),
           collections.OrderedDict(a=1), complex(1, 2)] * 30


@pytest.mark.parametrize("batch_size", [0, 1, 10])
def test_pickle_file_round_trips_arbitrary_objects(sc, tmp_path, batch_size):
    out = str(tmp_path / "p")
    sc.parallelize(OBJECTS, 3).saveAsPickleFile(out, batch_size)
    assert sc.pickleFile(out).collect() == OBJECTS
    assert sorted(map(repr, sc.pickleFile(out, 7).collect())) == sorted(map(repr, OBJECTS))


def test_pickle_file_is_spark_object_file_layout(sc, tmp_path):
    out = tmp_path / "p"
    sc.parallelize(range(25), 1).saveAsPickleFile(str(out), 2)
    data = (out / "part-00000").read_bytes()
    assert (IO + "NullWritable").encode() in data and (IO + "BytesWritable").encode() in data
    pairs = sc.sequenceFile(str(out)).collect()
    assert [k for k, _ in pairs] == [None, None]  # 13 batches: 10 per value
    first = bytes(pairs[0][1])
    assert first.startswith(b"\xac\xed\x00\x05\x75")  # a Java-serialized array
    assert pickle.loads(first[first.index(b"\x80"):]) == [0, 1]


# -------------------------------------------------------- TextInputFormat

def offsets_of(data):
    """(byte offset, line) records as Hadoop's LineRecordReader reads `data`."""
    out, pos = [], 0
    while pos < len(data):
        end = pos
        while end < len(data) and data[end:end + 1] not in (b"\n", b"\r"):
            end += 1
        out.append((pos, data[pos:end].decode("utf-8")))
        if data[end:end + 2] == b"\r\n":
            end += 1
        pos = end + 1
    return out


SMALL_TEXT = b"first\nsecond\r\n\n\r\nfourth \xc3\xa9\r\n\nlast without terminator"


@pytest.mark.parametrize("fmt", [TEXT_IN, TEXT_IN_NEW])
def test_text_input_format_gives_byte_offsets(sc, tmp_path, fmt):
    f = tmp_path / "t.txt"
    f.write_bytes(SMALL_TEXT)
    got = sc.hadoopFile(str(f), fmt, IO + "LongWritable", IO + "Text").collect()
    assert got == offsets_of(SMALL_TEXT)
    assert got[-1] == (SMALL_TEXT.rindex(b"\n") + 1, "last without terminator")


def test_text_input_format_offsets_across_many_splits(sc, tmp_path):
    rows = []
    for i in range(30000):
        rows.append(("line %d %s" % (i, "é" * (i % 11))).encode() + (b"\r\n" if i % 3 else b"\n"))
        if i % 97 == 0:
            rows.append(b"\n")
    data = b"".join(rows) + b"tail"
    f = tmp_path / "big.txt"
    f.write_bytes(data)
    want = offsets_of(data)
    conf = {"mapred.input.dir": str(f)}
    rdd = sc.hadoopRDD(TEXT_IN, IO + "LongWritable", IO + "Text", conf=conf)
    assert rdd.collect() == want
    many = sc.newAPIHadoopFile(str(f), TEXT_IN_NEW, IO + "LongWritable", IO + "Text")
    assert many.getNumPartitions() >= 2
    assert many.collect() == want


@pytest.mark.parametrize("fmt", [TEXT_IN_NEW, KV_IN])
def test_a_custom_record_delimiter_is_a_clear_error_not_ignored(sc, tmp_path, fmt):
    # Hadoop would read "a\nb" and "c\nd\n": reading lines instead would
    # silently give other records.
    f = tmp_path / "t.txt"
    f.write_text("a\nb\n\nc\nd\n")
    with pytest.raises(errors.EmberError) as e:
        sc.newAPIHadoopFile(str(f), fmt, IO + "LongWritable", IO + "Text",
                            conf={"textinputformat.record.delimiter": "\n\n"}).collect()
    assert "textinputformat.record.delimiter" in str(e.value)


def test_key_value_text_input_format(sc, tmp_path):
    f = tmp_path / "kv.txt"
    f.write_text("a\t1\nb\t2\t3\nno separator\n\tempty key\n")
    got = sc.newAPIHadoopFile(str(f), KV_IN, IO + "Text", IO + "Text").collect()
    assert got == [("a", "1"), ("b", "2\t3"), ("no separator", ""), ("", "empty key")]
    conf = {"mapreduce.input.keyvaluelinerecordreader.key.value.separator": "="}
    g = tmp_path / "eq.txt"
    g.write_text("x=1\ny=2=3\n")
    assert sc.hadoopFile(str(g), KV_IN.replace("mapreduce.lib.input", "mapred"), IO + "Text", IO + "Text",
                         conf=conf).collect() == [("x", "1"), ("y", "2=3")]


# ------------------------------------------------------- TextOutputFormat

def read_lines(path):
    return [line for f in part_files(path) for line in open(os.path.join(path, f), encoding="utf-8")]


@pytest.mark.parametrize("fmt", [TEXT_OUT, TEXT_OUT_NEW])
def test_text_output_format_writes_key_tab_value(sc, tmp_path, fmt):
    pairs = [("a", 1), (2, "b"), (None, "only value"), ("only key", None), (None, None), (1.5, True)]
    out = tmp_path / "o"
    sc.parallelize(pairs, 2).saveAsNewAPIHadoopFile(str(out), fmt)
    assert read_lines(str(out)) == ["a\t1\n", "2\tb\n", "only value\n", "only key\n", "\n", "1.5\ttrue\n"]


def test_text_output_format_writes_values_as_their_writables_print(sc, tmp_path):
    # TextOutputFormat writes Writable.toString(): Java's spelling of
    # booleans and doubles, BytesWritable as hex, MapWritable as {k=v}.
    pairs = [(True, False), (1.5, 1e300), (12345678.0, 1.5e-05), (float("inf"), float("nan")),
             (-0.0, 0.001), (b"\x00\x1f\xff", bytearray(b"a")), ("m", {"a": 1, "b": True})]
    out = tmp_path / "o"
    sc.parallelize(pairs, 1).saveAsHadoopFile(str(out), TEXT_OUT)
    assert read_lines(str(out)) == ["true\tfalse\n", "1.5\t1.0E300\n", "1.2345678E7\t1.5E-5\n",
                                    "Infinity\tNaN\n", "-0.0\t0.001\n", "00 1f ff\t61\n",
                                    "m\t{a=1, b=true}\n"]


def test_save_as_hadoop_dataset_reads_everything_from_conf(sc, tmp_path):
    pairs = [("k%d" % i, i) for i in range(100)]
    text_out, seq_out = str(tmp_path / "text"), str(tmp_path / "seq")
    sc.parallelize(pairs, 2).saveAsHadoopDataset({
        "mapred.output.dir": text_out, "mapred.output.format.class": TEXT_OUT,
        "mapred.textoutputformat.separator": ",",
        "mapred.output.compress": "true", "mapred.output.compression.codec": CODECS[1]})
    assert all(f.endswith(".gz") for f in part_files(text_out))
    assert sc.textFile(text_out).collect() == ["k%d,%d" % (i, i) for i in range(100)]
    sc.parallelize(pairs, 2).saveAsNewAPIHadoopDataset({
        "mapreduce.output.fileoutputformat.outputdir": seq_out,
        "mapreduce.job.outputformat.class": SEQ_OUT_NEW,
        "mapreduce.job.output.key.class": IO + "Text",
        "mapreduce.job.output.value.class": IO + "IntWritable",
        "mapreduce.output.fileoutputformat.compress": "true",
        "mapreduce.output.fileoutputformat.compress.type": "BLOCK"})
    data = (tmp_path / "seq" / "part-00000").read_bytes()[:200]
    assert CODECS[0].encode() in data
    assert sc.sequenceFile(seq_out).collect() == pairs


def test_save_as_hadoop_dataset_without_a_path_is_an_error(sc):
    with pytest.raises(errors.EmberError) as e:
        sc.parallelize([(1, 2)]).saveAsHadoopDataset({"mapred.output.format.class": TEXT_OUT})
    assert "mapred.output.dir" in str(e.value)


def test_unsupported_formats_and_converters_are_named(sc, tmp_path):
    rdd = sc.parallelize([(1, 2)], 1)
    with pytest.raises(errors.EmberError) as e:
        rdd.saveAsHadoopFile(str(tmp_path / "o"), "org.example.ParquetOutputFormat")
    assert "org.example.ParquetOutputFormat" in str(e.value)
    with pytest.raises(errors.EmberError) as e:
        sc.hadoopFile(str(tmp_path), "org.example.AvroInputFormat", IO + "Text", IO + "Text")
    assert "org.example.AvroInputFormat" in str(e.value)
    with pytest.raises(errors.EmberError) as e:
        rdd.saveAsSequenceFile(str(tmp_path / "o"), "org.example.SnappierCodec")
    assert "org.example.SnappierCodec" in str(e.value)
    with pytest.raises(errors.EmberError) as e:
        sc.sequenceFile(str(tmp_path), keyConverter="org.example.MyConverter")
    assert "org.example.MyConverter" in str(e.value)
    with pytest.raises(errors.EmberError) as e:
        rdd.saveAsHadoopFile(str(tmp_path / "o"), TEXT_OUT, valueConverter="org.example.Conv2")
    assert "org.example.Conv2" in str(e.value)
    assert not (tmp_path / "o").exists()


# ------------------------------------------------------------ binaryRecords

def test_binary_records_in_order_across_many_partitions(sc, tmp_path):
    records = [struct.pack(">I", i) + bytes([i % 256]) * 9 for i in range(4000)]
    # One big file cut inside a record (split size total/2 is no multiple
    # of 13), then many small ones: many partitions, each record once.
    (tmp_path / "a00.bin").write_bytes(b"".join(records[:3000]))
    for n in range(20):
        (tmp_path / ("b%02d.bin" % n)).write_bytes(b"".join(records[3000 + 50 * n:3050 + 50 * n]))
    (tmp_path / "c-empty.bin").write_bytes(b"")
    rdd = sc.binaryRecords(str(tmp_path), 13)
    assert rdd.getNumPartitions() > 20
    got = rdd.collect()
    assert got == records
    assert all(type(r) is bytes for r in got)
    assert rdd.glom().map(len).sum() == 4000


def test_binary_records_bad_input_is_a_clear_error(sc, tmp_path):
    f = tmp_path / "odd.bin"
    f.write_bytes(b"x" * 100)
    with pytest.raises(errors.EmberError) as e:
        sc.binaryRecords(str(f), 7).count()
    assert "odd.bin" in str(e.value) and "multiple" in str(e.value)
    g = tmp_path / "z.bin.gz"
    g.write_bytes(__import__("gzip").compress(b"x" * 70))
    with pytest.raises(errors.EmberError) as e:
        sc.binaryRecords(str(g), 7).count()
    assert "z.bin.gz" in str(e.value) and "compressed" in str(e.value)
    for bad in (0, -4):
        with pytest.raises(errors.EmberError) as e:
            sc.binaryRecords(str(f), bad).count()
        assert "record length" in str(e.value)
    with pytest.raises(errors.EmberError) as e:
        sc.binaryRecords(str(tmp_path / "missing"), 4).count()
    assert "missing" in str(e.value)
