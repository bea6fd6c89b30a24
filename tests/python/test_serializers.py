"""PySpark's serializers (ember.serializers as ``pyspark.serializers``) and
SparkContext(serializer=..., batchSize=...): the installed PySpark's own
module examples, its names, its byte streams, and records travelling in
the context's serializer."""

import ast
import doctest
import io
import json
import subprocess

import pytest

from ember import PythonException, serializers as ser
from ember.serializers import (AutoBatchedSerializer, BatchedSerializer, CartesianDeserializer,
                               ChunkedStream, CloudPickleSerializer, CompressedSerializer,
                               CPickleSerializer, FramedSerializer, MarshalSerializer, NoOpSerializer,
                               PairDeserializer, PickleSerializer, UTF8Deserializer)
from reference import pyspark_file, venv_python


def _pyspark_source():
    return pyspark_file("serializers.py").read_text()


def test_pyspark_module_examples_pass_against_ember(context_with):
    """The examples of PySpark's serializers module, run with ember's
    SparkContext under the test's master. Left out: the one reading
    ``rdd._jrdd.count()``, a JVM object."""
    examples = []
    for example in doctest.DocTestParser().get_examples(ast.get_docstring(ast.parse(_pyspark_source()))):
        if "_jrdd" in example.source or "pyspark.core.context" in example.source:
            continue
        example.source = example.source.replace("pyspark.serializers", "ember.serializers")
        examples.append(example)
    assert len(examples) == 8

    def spark_context(master, app_name, **kwargs):  # under the test's master, not 'local'
        return context_with({}, **kwargs)
    test = doctest.DocTest(examples, {"SparkContext": spark_context}, "pyspark.serializers", None, 0, None)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out = io.StringIO()
    runner.run(test, out=out.write)
    assert runner.failures == 0, out.getvalue()


def test_every_name_pyspark_defines_is_here():
    tree = ast.parse(_pyspark_source())
    top = list(tree.body)  # with the statements of module-level ifs
    top += [n for node in tree.body if isinstance(node, ast.If) for n in node.body + node.orelse]
    names = {node.name for node in top if isinstance(node, (ast.ClassDef, ast.FunctionDef))}
    names |= {target.id for node in top if isinstance(node, ast.Assign)
              for target in node.targets if isinstance(target, ast.Name)}
    assert {"MarshalSerializer", "ChunkedStream", "write_with_length", "CPickleSerializer"} <= names
    assert not [n for n in sorted(names) if not n.startswith("_") and not hasattr(ser, n)]
    assert ser.__all__ == ["PickleSerializer", "CPickleSerializer", "CloudPickleSerializer",
                           "MarshalSerializer", "UTF8Deserializer"]
    assert CPickleSerializer is CloudPickleSerializer  # as in PySpark 3.4+


# PySpark writes these streams; ember reads them, and writes the same bytes.
PYSPARK_STREAMS = r"""
import base64, io, json
from pyspark.serializers import *
from pyspark.serializers import (AutoBatchedSerializer, BatchedSerializer, CompressedSerializer,
                                 ChunkedStream, NoOpSerializer, write_with_length)
records = [1, "two", [3.0, None], (4, b"5"), {"6": 7}]
streams = {}
for name, s in [("marshal", MarshalSerializer()), ("pickle", PickleSerializer()),
                ("batched", BatchedSerializer(MarshalSerializer(), 2)),
                ("unlimited", BatchedSerializer(PickleSerializer())),
                ("auto", AutoBatchedSerializer(MarshalSerializer())),
                ("compressed", BatchedSerializer(CompressedSerializer(MarshalSerializer()), 3))]:
    out = io.BytesIO()
    s.dump_stream(records, out)
    streams[name] = base64.b64encode(out.getvalue()).decode()
out = io.BytesIO()
NoOpSerializer().dump_stream([b"a", b"bc"], out)
streams["noop"] = base64.b64encode(out.getvalue()).decode()
out = io.BytesIO()
for t in ["x", "\u00e9t\u00e9"]:
    write_with_length(t.encode(), out)
streams["utf8"] = base64.b64encode(out.getvalue()).decode()
sink = io.BytesIO(); sink.close = lambda: None
chunked = ChunkedStream(sink, 4)
chunked.write(b"abcdefghij"); chunked.write(b"kl"); chunked.close()
streams["chunked"] = base64.b64encode(sink.getvalue()).decode()
print(json.dumps(streams))
"""


def test_streams_are_pysparks():
    import base64
    out = subprocess.run([venv_python(), "-c", PYSPARK_STREAMS], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    streams = {k: base64.b64decode(v) for k, v in json.loads(out.stdout).items()}
    records = [1, "two", [3.0, None], (4, b"5"), {"6": 7}]
    for name, s in [("marshal", MarshalSerializer()), ("pickle", PickleSerializer()),
                    ("batched", BatchedSerializer(MarshalSerializer(), 2)),
                    ("unlimited", BatchedSerializer(PickleSerializer())),
                    ("auto", AutoBatchedSerializer(MarshalSerializer())),
                    ("compressed", BatchedSerializer(CompressedSerializer(MarshalSerializer()), 3))]:
        assert list(s.load_stream(io.BytesIO(streams[name]))) == records, name
        mine = io.BytesIO()
        s.dump_stream(records, mine)
        assert mine.getvalue() == streams[name], name
    assert list(NoOpSerializer().load_stream(io.BytesIO(streams["noop"]))) == [b"a", b"bc"]
    assert list(UTF8Deserializer().load_stream(io.BytesIO(streams["utf8"]))) == ["x", "\u00e9t\u00e9"]
    assert list(UTF8Deserializer(False).load_stream(io.BytesIO(streams["utf8"]))) == [b"x", "\u00e9t\u00e9".encode()]
    sink = io.BytesIO()
    sink.close = lambda: None
    chunked = ChunkedStream(sink, 4)
    chunked.write(b"abcdefghij")
    chunked.write(b"kl")
    chunked.close()
    assert sink.getvalue() == streams["chunked"]


def test_pair_and_cartesian_deserializers_read_paired_batches():
    out = io.BytesIO()
    keys, values = BatchedSerializer(PickleSerializer(), 2), BatchedSerializer(MarshalSerializer(), 3)
    keys.dump_stream(["a", "b"], out)
    values.dump_stream([1, 2], out)
    keys.dump_stream(["c"], out)
    values.dump_stream([3], out)
    data = out.getvalue()
    assert list(PairDeserializer(keys, values).load_stream(io.BytesIO(data))) == [("a", 1), ("b", 2), ("c", 3)]
    assert list(CartesianDeserializer(keys, values).load_stream(io.BytesIO(data))) == [
        ("a", 1), ("a", 2), ("b", 1), ("b", 2), ("c", 3)]
    out = io.BytesIO()
    keys.dump_stream(["a", "b"], out)
    values.dump_stream([1], out)
    with pytest.raises(ValueError, match="different number of items in batches: \\(2, 1\\)"):
        list(PairDeserializer(keys, values).load_stream(io.BytesIO(out.getvalue())))


def test_serializers_compare_and_print_as_pysparks():
    assert BatchedSerializer(MarshalSerializer(), 5) == BatchedSerializer(MarshalSerializer(), 5)
    assert BatchedSerializer(MarshalSerializer(), 5) != BatchedSerializer(MarshalSerializer(), 6)
    assert repr(AutoBatchedSerializer(CompressedSerializer(PickleSerializer()))) == \
        "AutoBatchedSerializer(CompressedSerializer(PickleSerializer()))"
    assert repr(BatchedSerializer(NoOpSerializer(), -1)) == "BatchedSerializer(NoOpSerializer(), -1)"
    with pytest.raises(TypeError, match="must be a FramedSerializer"):
        CompressedSerializer(UTF8Deserializer())


def test_default_context_reads_as_pyspark_and_keeps_pickled_batches(sc):
    assert repr(sc.serializer) == "AutoBatchedSerializer(CloudPickleSerializer())"
    assert sc.parallelize([1]).ctx.serializer is sc.serializer
    frames = sc._run_frames(sc.parallelize(range(10), 2).map(lambda x: x))
    assert all(data[0] == 0x80 for _, data in frames)  # plain pickles


def test_records_travel_in_the_context_serializer(context_with):
    sc = context_with({}, serializer=MarshalSerializer())
    assert repr(sc.serializer) == "AutoBatchedSerializer(MarshalSerializer())"
    rdd = sc.parallelize(range(100), 4).map(lambda x: (x % 3, str(x), [x, x * 0.5]))
    assert rdd.cache().collect() == [(x % 3, str(x), [x, x * 0.5]) for x in range(100)]
    assert rdd.map(lambda r: (r[0], r[2][0])).reduceByKey(lambda a, b: a + b).sortByKey().collect() == [
        (0, sum(range(0, 100, 3))), (1, sum(range(1, 100, 3))), (2, sum(range(2, 100, 3)))]
    assert rdd.count() == 100  # read back from the cache
    for _, data in sc._run_frames(rdd):  # marshalled, not pickled
        assert data[0] == 0
        assert b"MarshalSerializer" in data[:200]
    with pytest.raises(PythonException, match="ValueError: unmarshallable object"):
        sc.parallelize(range(3)).map(lambda x: object()).collect()
    with pytest.raises(ValueError, match="unmarshallable object"):
        sc.parallelize([object()])  # on the driver, as in PySpark

    sc.stop()

    class JsonSerializer(FramedSerializer):
        """A user's own (pickled by value: tasks cannot import this file)."""

        def dumps(self, obj):
            return json.dumps(obj).encode()

        def loads(self, obj):
            return json.loads(obj)
    json_context = context_with({}, serializer=JsonSerializer())
    assert json_context.parallelize([(1, "a")], 1).map(lambda r: r + [2]).collect() == [[1, "a", 2]]


@pytest.mark.parametrize("batch_size, batches", [(1, [1] * 8), (3, [3, 3, 2]), (-1, [8]),
                                                 (0, [1, 2, 4, 1])])
def test_batch_size_gives_pysparks_batches(context_with, batch_size, batches):
    sc = context_with({}, batchSize=batch_size)
    expected = ("AutoBatchedSerializer(CloudPickleSerializer())" if batch_size == 0
                else "BatchedSerializer(CloudPickleSerializer(), %d)" % batch_size)
    assert repr(sc.serializer) == expected
    rdd = sc.parallelize(range(16), 2).map(lambda x: x * 2)
    assert rdd.glom().collect() == [list(range(0, 16, 2)), list(range(16, 32, 2))]
    if batch_size == 0:  # the default keeps ember's own pickled batches
        return
    sizes = []
    for _, data in sc._run_frames(rdd):  # both partitions' frames, in order
        (n,) = ser.U32.unpack_from(data, 1)
        sizes += [len(b) for b in sc.serializer._load_stream_without_unbatching(io.BytesIO(data[5 + n:]))]
    assert sizes == batches * 2


def test_marshal_with_fixed_batches(context_with):
    sc = context_with({}, serializer=MarshalSerializer(), batchSize=2)
    assert repr(sc.serializer) == "BatchedSerializer(MarshalSerializer(), 2)"
    assert sc.parallelize(range(16), 4).map(lambda x: x).glom().collect() == [
        [0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]


def test_bad_serializer_arguments_are_named(context_with):
    with pytest.raises(TypeError, match="serializer must be a pyspark.serializers.Serializer, not str"):
        context_with({}, serializer="marshal")
    with pytest.raises(ValueError, match="batchSize must be .* got -2"):
        context_with({}, batchSize=-2)
