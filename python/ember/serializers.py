"""Frames and record batches: the Python side of ember's wire format.

Mirrors src/ember/common/frame.h: a frame is ``<u32 LE length><u8 type>``
followed by the payload. Data frames carry batches of records; control
frames end a stream, report an error or carry accumulator updates.
``decode_frame`` turns any data frame into its records; ``write_batches``
pickles records in batches whose size adapts towards ~64 KiB.
"""

import itertools
import pickle
import struct
import zlib

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

# Stands, in a pair node's input records, for the SECTION frame between the
# first parent's records and the second's (see rdd._split_second_side).
SECTION_MARK = type("SectionMark", (), {"__repr__": lambda self: "<section>"})()

HEADER = struct.Struct("<IB")
U32 = struct.Struct("<I")
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


def write_frame_file(stream, records):
    """`records` as a frame file (src/ember/common/frame_file.h): pickled
    batches, then an END frame holding the CRC-32 of every byte before it."""
    crc = 0

    def batch(data):
        nonlocal crc
        header = HEADER.pack(len(data), PICKLE_BATCH)
        crc = zlib.crc32(data, zlib.crc32(header, crc))
        stream.write(header)
        stream.write(data)
    write_batches(records, batch)
    write_frame(stream, END, U32.pack(crc))


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
        return pickle.loads(data)
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
    raise ValueError("not a data frame type: %d" % ftype)


def decode_frames(frames):
    """Chain the records of a list of (type, payload) frames."""
    for ftype, data in frames:
        yield from decode_frame(ftype, data)


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
