"""Frames and record batches: the Python side of ember's wire format.

Mirrors src/ember/common/frame.h: a frame is ``<u32 LE length><u8 type>``
followed by the payload. Data frames carry batches of records; control
frames end a stream, report an error or carry accumulator updates.
``decode_frame`` turns any data frame into its records; ``write_batches``
pickles records in batches whose size adapts towards ~64 KiB.

A context made with another serializer or batch size than the default
(pickle, automatic batches) sends its records as PICKLE_BATCH frames whose
payload starts with a zero byte (a pickle never does): then come a u32
length, the cloudpickled serializer (``SparkContext.serializer``) and the
records as that serializer's ``dump_stream`` wrote them. Such a frame says
how to read it, wherever it goes (a worker, the driver, a cached block).

PySpark's serializer classes live in serializer_classes.py and are
re-exported here, as user code imports them from ``pyspark.serializers``.
"""

import functools
import io
import itertools
import operator
import pickle
import struct

import cloudpickle

from .serializer_classes import *  # noqa: F401,F403 (pyspark.serializers' names)
from .serializer_classes import __all__  # noqa: F401
from .serializer_classes import (  # noqa: F401 (not in __all__, imported by user code too)
    AutoBatchedSerializer, AutoSerializer, BatchedSerializer, CartesianDeserializer, ChunkedStream,
    CompressedSerializer, FlattenedValuesSerializer, FramedSerializer, NoOpSerializer,
    PairDeserializer, Serializer, SpecialLengths, pack_long, pickle_protocol, read_bool, read_int,
    read_long, write_int, write_long, write_with_length)

PICKLE_BATCH = 1
UTF8_LINES = 2
BYTE_LINES = 3
BUCKET_BATCH = 4
END = 5
ERROR = 6
ACCUMULATORS = 7
TASK = 8
TEXT_FILE = 9
BINARY_FILE = 10
SECTION = 11
WRITABLE_PAIRS = 13  # key class, value class, then serialized (key, value) pairs
FIXED_RECORDS = 14  # u32 record length, then records of that length (binaryRecords)
BARRIER = 15  # worker -> executor: a barrier sync, JSON (ember/barrier.py)
BARRIER_REPLY = 16  # executor -> worker: its answer, JSON
METRICS = 17  # worker -> executor, once per task before END: what it measured, JSON

# Stands, in a pair node's input records, for the SECTION frame between the
# first parent's records and the second's (see rdd._split_second_side).
SECTION_MARK = type("SectionMark", (), {"__repr__": lambda self: "<section>"})()


def before_section(iterator):
    """The records of `iterator` up to its SECTION_MARK (consumed, not
    given); the rest stays in the iterator."""
    return itertools.takewhile(functools.partial(operator.is_not, SECTION_MARK), iterator)


HEADER = struct.Struct("<IB")
U32 = struct.Struct("<I")
U16 = struct.Struct("<H")
PROTOCOL = pickle.HIGHEST_PROTOCOL
TARGET_BATCH_BYTES = 64 * 1024


def dumps(obj):
    return pickle.dumps(obj, PROTOCOL)


def read_frame(stream):
    """Next (type, payload) from a buffered binary stream; None at clean EOF."""
    header = stream.read(HEADER.size)
    if not header:
        return None
    if len(header) < HEADER.size:
        raise EOFError("stream ended inside a frame header")
    length, ftype = HEADER.unpack(header)
    payload = stream.read(length)
    if len(payload) < length:
        raise EOFError("stream ended inside a frame")
    return ftype, payload


def write_frame(stream, ftype, payload=b""):
    stream.write(HEADER.pack(len(payload), ftype))
    stream.write(payload)


def _decode_file(data, as_text):
    (n,) = U32.unpack_from(data, 0)
    path = data[4:4 + n].decode("utf-8", "surrogateescape")
    if path.startswith("/"):  # a local file, named as PySpark does; URIs keep their scheme
        path = "file:" + path
    body = data[4 + n:]
    return [(path, body.decode("utf-8") if as_text else bytes(body))]


def decode_frame(ftype, data):
    """The records of one data frame, as an iterable."""
    if ftype == PICKLE_BATCH:
        if data[0]:  # the first byte of a pickle (0x80), not SERIALIZED_MARK
            return pickle.loads(data)
        return _decode_serialized_batch(data)
    if ftype == UTF8_LINES:
        return data.decode("utf-8").split("\n")
    if ftype == BYTE_LINES:
        return bytes(data).split(b"\n")
    if ftype == TEXT_FILE:
        return _decode_file(data, as_text=True)
    if ftype == BINARY_FILE:
        return _decode_file(data, as_text=False)
    if ftype == SECTION:
        return (SECTION_MARK,)
    if ftype == WRITABLE_PAIRS:
        return decode_writable_pairs(data)
    if ftype == FIXED_RECORDS:
        (n,) = U32.unpack_from(data, 0)
        return [bytes(data[i:i + n]) for i in range(4, len(data), n)]
    raise ValueError("not a data frame type: %d" % ftype)


def _writable_classes(data):
    """(key class, value class, offset of the first pair) of a WRITABLE_PAIRS payload."""
    (n,) = U16.unpack_from(data, 0)
    key_class = bytes(data[2:2 + n]).decode()
    pos = 2 + n
    (n,) = U16.unpack_from(data, pos)
    value_class = bytes(data[pos + 2:pos + 2 + n]).decode()
    return key_class, value_class, pos + 2 + n


def decode_writable_pairs(data):
    """The (key, value) records of a WRITABLE_PAIRS frame, as PySpark
    converts Writables (ember/writables.py)."""
    from . import writables
    key_class, value_class, pos = _writable_classes(data)
    key, value = writables.decoder(key_class), writables.decoder(value_class)
    view, out, end = memoryview(data), [], len(data)
    while pos < end:
        (n,) = U32.unpack_from(view, pos)
        k = key(view[pos + 4:pos + 4 + n])
        pos += 4 + n
        (n,) = U32.unpack_from(view, pos)
        out.append((k, value(view[pos + 4:pos + 4 + n])))
        pos += 4 + n
    return out


def encode_writable_pairs(key_class, value_class, pairs):
    """A WRITABLE_PAIRS payload: serialized (key, value) byte strings."""
    kc, vc = key_class.encode(), value_class.encode()
    out = [U16.pack(len(kc)), kc, U16.pack(len(vc)), vc]
    for k, v in pairs:
        out += (U32.pack(len(k)), k, U32.pack(len(v)), v)
    return b"".join(out)


def adapt_batch_size(batch_size, payload_bytes, most=1 << 16):
    """The next batch size, given the pickled size of a batch of batch_size
    records: double while small, cut at once to the target when too big."""
    if payload_bytes < TARGET_BATCH_BYTES // 2:
        return min(most, batch_size * 2)
    if payload_bytes > TARGET_BATCH_BYTES * 2:
        return max(1, batch_size * TARGET_BATCH_BYTES // payload_bytes)
    return batch_size


def write_batches(iterator, emit, batch_size=16):
    """Pickle records from ``iterator`` in adaptive batches; ``emit(payload)``."""
    it = iter(iterator)
    while True:
        batch = list(itertools.islice(it, batch_size))
        if not batch:
            return
        payload = dumps(batch)
        emit(payload)
        batch_size = adapt_batch_size(batch_size, len(payload))


SERIALIZED_MARK = b"\0"


def serializer_tag(serializer):
    """What a frame in `serializer` carries to name it (cloudpickled)."""
    return cloudpickle.dumps(serializer, PROTOCOL)


@functools.lru_cache(maxsize=32)
def serializer_of(tag):
    return cloudpickle.loads(tag)


def _decode_serialized_batch(data):
    (n,) = U32.unpack_from(data, 1)
    serializer = serializer_of(bytes(data[5:5 + n]))
    return serializer.load_stream(io.BytesIO(data[5 + n:]))


def encode_serialized_batch(tag, records):
    """A PICKLE_BATCH payload holding `records` in the serializer of `tag`."""
    out = io.BytesIO()
    out.write(SERIALIZED_MARK + U32.pack(len(tag)) + tag)
    serializer_of(tag).dump_stream(records, out)
    return out.getvalue()


def write_serialized_batches(iterator, tag, emit, batch_size=16):
    """As write_batches, in the serializer of `tag`: a frame holds a whole
    number of a BatchedSerializer's batches, all records when its batch
    size is unlimited (-1)."""
    fixed = getattr(serializer_of(tag), "batchSize", 0)
    it = iter(iterator)
    while True:
        if fixed == BatchedSerializer.UNLIMITED_BATCH_SIZE:
            batch = list(it)
        else:
            batch = list(itertools.islice(it, batch_size if fixed <= 0 else max(fixed, batch_size // fixed * fixed)))
        if not batch:
            return
        payload = encode_serialized_batch(tag, batch)
        emit(payload)
        batch_size = adapt_batch_size(batch_size, len(payload) - len(tag))
