"""PySpark's pickle-file format (saveAsPickleFile / pickleFile).

A pickle file is a SequenceFile of NullWritable keys and BytesWritable
values (Spark's saveAsObjectFile). Each value is a Java-serialized
``byte[][]`` holding up to ten byte arrays, and each byte array is one
pickled batch: a pickled list of up to `batchSize` records. This module
writes and reads exactly that, so files move between ember and PySpark.

Java serialization of ``byte[][]`` (java.io.ObjectOutputStream): magic
0xACED, version 5, then TC_ARRAY with the class descriptor of "[[B", the
element count, and each element as TC_ARRAY with the descriptor of "[B"
(in full the first time, later as a back-reference), its length and bytes.
"""

import pickle
import struct

from .writables import WritableError

GROUP = 10  # byte arrays per value, as Spark's saveAsObjectFile groups them

_TC_NULL, _TC_REFERENCE, _TC_CLASSDESC, _TC_ARRAY = 0x70, 0x71, 0x72, 0x75
_TC_ENDBLOCKDATA = 0x78
_BASE_HANDLE = 0x7E0000
_ARRAY_OF_ARRAYS_UID = 0x4BFD19156767DB37  # serialVersionUID of "[[B"
_BYTE_ARRAY_UID = 0xACF317F8060854E0       # serialVersionUID of "[B"
_I32 = struct.Struct(">i")


def _class_desc(name, uid):
    raw = name.encode()
    return (bytes([_TC_CLASSDESC]) + struct.pack(">H", len(raw)) + raw + struct.pack(">Q", uid)
            + b"\x02\x00\x00" + bytes([_TC_ENDBLOCKDATA, _TC_NULL]))


def dump_arrays(arrays):
    """Java serialization of a byte[][] holding `arrays`."""
    out = [b"\xac\xed\x00\x05", bytes([_TC_ARRAY]), _class_desc("[[B", _ARRAY_OF_ARRAYS_UID),
           _I32.pack(len(arrays))]
    for i, a in enumerate(arrays):
        out.append(bytes([_TC_ARRAY]))
        # Handles: 0 = "[[B" descriptor, 1 = the outer array, 2 = "[B" descriptor.
        out.append(_class_desc("[B", _BYTE_ARRAY_UID) if i == 0
                   else struct.pack(">BI", _TC_REFERENCE, _BASE_HANDLE + 2))
        out.append(_I32.pack(len(a)))
        out.append(bytes(a))
    return b"".join(out)


class _Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise WritableError("Java-serialized value ends early at byte %d" % self.pos)
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def byte(self):
        return self.take(1)[0]

    def int32(self):
        return _I32.unpack(self.take(4))[0]


def _read_class_desc(r, expected):
    tag = r.byte()
    if tag == _TC_REFERENCE:
        r.take(4)
        return
    if tag != _TC_CLASSDESC:
        raise WritableError("expected a class descriptor of %s, found tag 0x%02x" % (expected, tag))
    (n,) = struct.unpack(">H", r.take(2))
    name = bytes(r.take(n)).decode("utf-8", "replace")
    if name != expected:
        raise WritableError("expected a serialized %s, found %s" % (expected, name))
    r.take(8 + 1)  # serialVersionUID, flags
    (fields,) = struct.unpack(">H", r.take(2))
    if fields or r.byte() != _TC_ENDBLOCKDATA or r.byte() != _TC_NULL:
        raise WritableError("unexpected class descriptor layout for %s" % expected)


def load_arrays(data):
    """The byte arrays of a Java-serialized byte[][]."""
    r = _Reader(memoryview(data))
    if bytes(r.take(4)) != b"\xac\xed\x00\x05":
        raise WritableError("not a Java-serialized object (no stream magic)")
    if r.byte() != _TC_ARRAY:
        raise WritableError("not a Java-serialized array")
    _read_class_desc(r, "[[B")
    count = r.int32()
    arrays = []
    for _ in range(count):
        tag = r.byte()
        if tag == _TC_NULL:
            continue
        if tag != _TC_ARRAY:
            raise WritableError("expected a byte[] element, found tag 0x%02x" % tag)
        _read_class_desc(r, "[B")
        n = r.int32()
        if n < 0:
            raise WritableError("negative byte[] length %d" % n)
        arrays.append(bytes(r.take(n)))
    return arrays


def encode_partition(records, batch_size):
    """(None, value) pairs for saveAsPickleFile: records pickled in batches
    of `batch_size` (0: batches grown to about 64 KiB), ten batches per value."""
    from .serializers import adapt_batch_size
    batches, batch, limit = [], [], batch_size or 16
    for x in records:
        batch.append(x)
        if len(batch) >= limit:
            data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
            batches.append(data)
            batch = []
            if not batch_size:
                limit = adapt_batch_size(limit, len(data))
            if len(batches) == GROUP:
                yield None, bytearray(dump_arrays(batches))
                batches = []
    if batch:
        batches.append(pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
    if batches:
        yield None, bytearray(dump_arrays(batches))


def decode_value(value, path):
    """The records of one pickle-file value read from `path` (named in the
    error when the value is no pickle-file value)."""
    try:
        arrays = load_arrays(value)
    except WritableError as e:
        raise WritableError("%s is not a pickle file (saveAsPickleFile's output): %s" % (path, e)) from None
    for data in arrays:
        yield from pickle.loads(data)
