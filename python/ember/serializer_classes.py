"""PySpark's user-visible serializers (``pyspark.serializers``), written anew.

A Serializer turns an iterator of objects into bytes on a stream and back
(``dump_stream``/``load_stream``); a FramedSerializer writes each object as
a big-endian i32 length and ``dumps(obj)``. ``SparkContext(serializer=...,
batchSize=...)`` wraps the chosen serializer as PySpark does
(AutoBatchedSerializer for 0, BatchedSerializer otherwise; -1 is
unlimited) and that wrapped serializer encodes the records of every batch
a Python task emits (see serializers.encode_serialized_batch). The stream
helpers (read_int, write_with_length, ...) use PySpark's big-endian layout.
These classes are re-exported by ember.serializers, the module user code
imports as ``pyspark.serializers``.
"""

import itertools
import marshal
import pickle
import struct
import zlib

import cloudpickle

pickle_protocol = pickle.HIGHEST_PROTOCOL

__all__ = ["PickleSerializer", "CPickleSerializer", "CloudPickleSerializer", "MarshalSerializer",
           "UTF8Deserializer"]


class SpecialLengths:
    """Negative lengths that stand for markers in a length-prefixed stream."""
    END_OF_DATA_SECTION = -1
    PYTHON_EXCEPTION_THROWN = -2
    TIMING_DATA = -3
    END_OF_STREAM = -4
    NULL = -5
    START_ARROW_STREAM = -6


def _read(stream, fmt):
    data = stream.read(struct.calcsize(fmt))
    if not data:
        raise EOFError
    return struct.unpack(fmt, data)[0]


def read_long(stream):
    return _read(stream, "!q")


def write_long(value, stream):
    stream.write(struct.pack("!q", value))


def pack_long(value):
    return struct.pack("!q", value)


def read_int(stream):
    return _read(stream, "!i")


def write_int(value, stream):
    stream.write(struct.pack("!i", value))


def read_bool(stream):
    return _read(stream, "!?")


def write_with_length(obj, stream):
    write_int(len(obj), stream)
    stream.write(obj)


class Serializer:
    """Base class: subclasses define dump_stream and load_stream (and, when
    they serialize one object at a time, dumps and loads)."""

    def dump_stream(self, iterator, stream):
        """Serialize an iterator of objects to the output stream."""
        raise NotImplementedError

    def load_stream(self, stream):
        """An iterator of the objects deserialized from the input stream."""
        raise NotImplementedError

    def dumps(self, obj):
        """Serialize one object (a list of objects when batching) to bytes."""
        raise NotImplementedError

    def _load_stream_without_unbatching(self, stream):
        """The stream's batches; a serializer without batches gives each
        object as a one-element list."""
        return ([x] for x in self.load_stream(stream))

    def __eq__(self, other):
        return isinstance(other, self.__class__) and self.__dict__ == other.__dict__

    def __ne__(self, other):
        return not self == other

    def __repr__(self):
        return "%s()" % type(self).__name__

    def __hash__(self):
        return hash(str(self))


class FramedSerializer(Serializer):
    """Objects as (i32 length, ``dumps(obj)``) pairs; subclasses define
    dumps and loads."""

    def dump_stream(self, iterator, stream):
        for obj in iterator:
            self._write_with_length(obj, stream)

    def load_stream(self, stream):
        while True:
            try:
                yield self._read_with_length(stream)
            except EOFError:
                return

    def _write_with_length(self, obj, stream):
        data = self.dumps(obj)
        if data is None:
            raise ValueError("serialized value should not be None")
        if len(data) > (1 << 31):
            raise ValueError("can not serialize object larger than 2G")
        write_with_length(data, stream)

    def _read_with_length(self, stream):
        length = read_int(stream)
        if length == SpecialLengths.END_OF_DATA_SECTION:
            raise EOFError
        if length == SpecialLengths.NULL:
            return None
        data = stream.read(length)
        if len(data) < length:
            raise EOFError
        return self.loads(data)

    def dumps(self, obj):
        raise NotImplementedError

    def loads(self, obj):
        """Deserialize one object from bytes."""
        raise NotImplementedError


class BatchedSerializer(Serializer):
    """Writes a stream of objects as lists of ``batchSize`` objects (all of
    them in one list for UNLIMITED_BATCH_SIZE), each written by the wrapped
    serializer."""

    UNLIMITED_BATCH_SIZE = -1
    UNKNOWN_BATCH_SIZE = 0

    def __init__(self, serializer, batchSize=UNLIMITED_BATCH_SIZE):
        self.serializer = serializer
        self.batchSize = batchSize

    def _batched(self, iterator):
        if self.batchSize == self.UNLIMITED_BATCH_SIZE:
            yield list(iterator)
            return
        it = iter(iterator)
        while True:
            batch = list(itertools.islice(it, self.batchSize))
            if not batch:
                return
            yield batch

    def dump_stream(self, iterator, stream):
        self.serializer.dump_stream(self._batched(iterator), stream)

    def load_stream(self, stream):
        return itertools.chain.from_iterable(self._load_stream_without_unbatching(stream))

    def _load_stream_without_unbatching(self, stream):
        return self.serializer.load_stream(stream)

    def __repr__(self):
        return "BatchedSerializer(%s, %d)" % (self.serializer, self.batchSize)


class AutoBatchedSerializer(BatchedSerializer):
    """Batches whose size adapts to the serialized size: doubled while a
    batch is under ``bestSize`` bytes, halved when over ten times it."""

    def __init__(self, serializer, bestSize=1 << 16):
        BatchedSerializer.__init__(self, serializer, self.UNKNOWN_BATCH_SIZE)
        self.bestSize = bestSize

    def dump_stream(self, iterator, stream):
        batch, it = 1, iter(iterator)
        while True:
            values = list(itertools.islice(it, batch))
            if not values:
                return
            data = self.serializer.dumps(values)
            write_with_length(data, stream)
            if len(data) < self.bestSize:
                batch *= 2
            elif len(data) > self.bestSize * 10 and batch > 1:
                batch //= 2

    def __repr__(self):
        return "AutoBatchedSerializer(%s)" % self.serializer


class FlattenedValuesSerializer(BatchedSerializer):
    """(key, values) pairs whose value lists are split into pieces of at
    most ``batchSize`` values, each written as its own (key, piece)."""

    def __init__(self, serializer, batchSize=10):
        BatchedSerializer.__init__(self, serializer, batchSize)

    def _batched(self, iterator):
        n = self.batchSize
        for key, values in iterator:
            for i in range(0, len(values), n):
                yield key, values[i:i + n]

    def load_stream(self, stream):
        return self.serializer.load_stream(stream)

    def __repr__(self):
        return "FlattenedValuesSerializer(%s, %d)" % (self.serializer, self.batchSize)


class _PairedBatches(Serializer):
    """A stream of alternating batches of two serializers, read pairwise."""

    def __init__(self, key_ser, val_ser):
        self.key_ser = key_ser
        self.val_ser = val_ser

    def _batch_pairs(self, stream):
        keys = self.key_ser._load_stream_without_unbatching(stream)
        values = self.val_ser._load_stream_without_unbatching(stream)
        return zip(keys, values)

    def load_stream(self, stream):
        return itertools.chain.from_iterable(self._load_stream_without_unbatching(stream))

    def __repr__(self):
        return "%s(%s, %s)" % (type(self).__name__, self.key_ser, self.val_ser)


class CartesianDeserializer(_PairedBatches):
    """Reads a cartesian product written as pairs of batches: yields every
    (key, value) of each pair of batches."""

    def _load_stream_without_unbatching(self, stream):
        for keys, values in self._batch_pairs(stream):
            yield itertools.product(keys, values)


class PairDeserializer(_PairedBatches):
    """Reads a zip written as pairs of batches of equal length."""

    def _load_stream_without_unbatching(self, stream):
        for keys, values in self._batch_pairs(stream):
            keys = keys if hasattr(keys, "__len__") else list(keys)
            values = values if hasattr(values, "__len__") else list(values)
            if len(keys) != len(values):
                raise ValueError("Can not deserialize PairRDD with different number of items"
                                 " in batches: (%d, %d)" % (len(keys), len(values)))
            yield zip(keys, values)


class NoOpSerializer(FramedSerializer):
    """Bytes as they are."""

    def loads(self, obj):
        return obj

    def dumps(self, obj):
        return obj


class PickleSerializer(FramedSerializer):
    """Python's pickle (highest protocol): nearly any Python object."""

    def dumps(self, obj):
        return pickle.dumps(obj, pickle_protocol)

    def loads(self, obj, encoding="bytes"):
        return pickle.loads(obj, encoding=encoding)


class CloudPickleSerializer(FramedSerializer):
    """cloudpickle: also lambdas, closures and classes defined in __main__."""

    def dumps(self, obj):
        try:
            return cloudpickle.dumps(obj, pickle_protocol)
        except pickle.PickleError:
            raise
        except Exception as e:
            message = str(e)
            if "'i' format requires" in message:
                raise pickle.PicklingError("Object too large to serialize: %s" % message) from e
            raise pickle.PicklingError("Could not serialize object: %s: %s"
                                       % (type(e).__name__, message)) from e

    def loads(self, obj, encoding="bytes"):
        return cloudpickle.loads(obj, encoding=encoding)


# PySpark 3.4+ made cPickle's name stand for cloudpickle.
CPickleSerializer = CloudPickleSerializer


class MarshalSerializer(FramedSerializer):
    """Python's marshal: faster than pickle, fewer types (marshal raises
    ValueError for the others)."""

    def dumps(self, obj):
        return marshal.dumps(obj)

    def loads(self, obj):
        return marshal.loads(obj)


class AutoSerializer(FramedSerializer):
    """marshal until an object needs pickle, pickle from then on; each
    payload starts with b"M" or b"P" to say which."""

    def __init__(self):
        FramedSerializer.__init__(self)
        self._type = None

    def dumps(self, obj):
        if self._type is None:
            try:
                return b"M" + marshal.dumps(obj)
            except ValueError:
                self._type = b"P"
        return b"P" + pickle.dumps(obj, -1)

    def loads(self, obj):
        kind, data = obj[:1], obj[1:]
        if kind == b"M":
            return marshal.loads(data)
        if kind == b"P":
            return pickle.loads(data)
        raise ValueError("invalid serialization type: %r" % kind)


class CompressedSerializer(FramedSerializer):
    """Another FramedSerializer's payloads, zlib-compressed."""

    def __init__(self, serializer):
        FramedSerializer.__init__(self)
        if not isinstance(serializer, FramedSerializer):
            raise TypeError("serializer must be a FramedSerializer, not %s" % type(serializer).__name__)
        self.serializer = serializer

    def dumps(self, obj):
        return zlib.compress(self.serializer.dumps(obj), 1)

    def loads(self, obj):
        return self.serializer.loads(zlib.decompress(obj))

    def __repr__(self):
        return "CompressedSerializer(%s)" % self.serializer


class UTF8Deserializer(Serializer):
    """Reads length-prefixed UTF-8 strings (bytes with use_unicode=False)."""

    def __init__(self, use_unicode=True):
        self.use_unicode = use_unicode

    def loads(self, stream):
        length = read_int(stream)
        if length == SpecialLengths.END_OF_DATA_SECTION:
            raise EOFError
        if length == SpecialLengths.NULL:
            return None
        data = stream.read(length)
        return data.decode("utf-8") if self.use_unicode else data

    def load_stream(self, stream):
        try:
            while True:
                yield self.loads(stream)
        except (struct.error, EOFError):
            return

    def __repr__(self):
        return "UTF8Deserializer(%s)" % self.use_unicode


class ChunkedStream:
    """A writable file object that sends what is written to ``wrapped`` in
    chunks of ``buffer_size`` bytes, each preceded by its i32 length; close()
    sends the rest and a length of -1."""

    def __init__(self, wrapped, buffer_size):
        self.buffer_size = buffer_size
        self.buffer = bytearray(buffer_size)
        self.current_pos = 0
        self.wrapped = wrapped

    def write(self, data):
        view, pos = memoryview(data), 0
        while pos < len(view):
            take = min(self.buffer_size - self.current_pos, len(view) - pos)
            self.buffer[self.current_pos:self.current_pos + take] = view[pos:pos + take]
            self.current_pos += take
            pos += take
            if self.current_pos == self.buffer_size:
                write_int(self.buffer_size, self.wrapped)
                self.wrapped.write(self.buffer)
                self.current_pos = 0

    def close(self):
        if self.current_pos > 0:
            write_int(self.current_pos, self.wrapped)
            self.wrapped.write(self.buffer[:self.current_pos])
        write_int(-1, self.wrapped)
        self.wrapped.close()

    @property
    def closed(self):
        return self.wrapped.closed


def context_serializer(serializer, batchSize):
    """What ``SparkContext.serializer`` is for SparkContext(serializer,
    batchSize), as in PySpark."""
    if serializer is None:
        serializer = CPickleSerializer()
    if not isinstance(serializer, Serializer):
        raise TypeError("serializer must be a pyspark.serializers.Serializer, not %s"
                        % type(serializer).__name__)
    if not isinstance(batchSize, int) or isinstance(batchSize, bool) or batchSize < -1:
        raise ValueError("batchSize must be an int: 0 (automatic), -1 (unlimited) or a positive "
                         "number of records, got %r" % (batchSize,))
    if batchSize == 0:
        return AutoBatchedSerializer(serializer)
    return BatchedSerializer(serializer, batchSize)
