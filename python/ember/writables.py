"""Python values to and from Hadoop Writables, as PySpark converts them.

Reading (sequenceFile, hadoopFile): Text -> str (malformed UTF-8 replaced
by U+FFFD, as Text.toString does), IntWritable/LongWritable/
VIntWritable/VLongWritable -> int, FloatWritable/DoubleWritable -> float,
BooleanWritable -> bool, BytesWritable -> bytearray, NullWritable -> None,
MapWritable -> dict (its keys and values converted alike). Any other class
is a WritableError naming it: ember runs no Java, so it cannot load a
user's Writable class.

Writing (saveAsSequenceFile, the Hadoop output formats): None ->
NullWritable, bool -> BooleanWritable, int -> IntWritable when it fits in
32 bits else LongWritable, float -> DoubleWritable, str -> Text,
bytes/bytearray -> BytesWritable, dict -> MapWritable, tuple ->
ArrayWritable (of Writable, as PySpark writes it). Anything else (a list
among them, as in PySpark) is a WritableError naming its type.

Serialized bytes are exactly Hadoop's Writable.write output; variable-length
integers are WritableUtils' zero-compressed encoding.
"""

import struct

from .errors import EmberError

IO = "org.apache.hadoop.io."
TEXT = IO + "Text"
INT = IO + "IntWritable"
LONG = IO + "LongWritable"
FLOAT = IO + "FloatWritable"
DOUBLE = IO + "DoubleWritable"
BOOLEAN = IO + "BooleanWritable"
BYTES = IO + "BytesWritable"
NULL = IO + "NullWritable"
MAP = IO + "MapWritable"
ARRAY = IO + "ArrayWritable"
VINT = IO + "VIntWritable"
VLONG = IO + "VLongWritable"

_I32 = struct.Struct(">i")
_I64 = struct.Struct(">q")
_F32 = struct.Struct(">f")
_F64 = struct.Struct(">d")
_U16 = struct.Struct(">H")

# AbstractMapWritable's predefined class ids; others travel in the map's header.
_MAP_IDS = {ARRAY: -127, BOOLEAN: -126, BYTES: -125, FLOAT: -124, INT: -123, LONG: -122,
            MAP: -121, IO + "MD5Hash": -120, NULL: -119, IO + "ObjectWritable": -118,
            IO + "SortedMapWritable": -117, TEXT: -116, IO + "TwoDArrayWritable": -115,
            VINT: -114, VLONG: -113}
_MAP_CLASSES = {v: k for k, v in _MAP_IDS.items()}


class WritableError(EmberError, ValueError):
    """A value or class ember cannot convert to or from a Writable."""


# ------------------------------------------------------------------ vints

def write_vlong(v):
    if -112 <= v <= 127:
        return struct.pack(">b", v)
    length = -112
    if v < 0:
        v = ~v
        length = -120
    n = (v.bit_length() + 7) // 8
    return struct.pack(">b", length - n) + v.to_bytes(n, "big")


def read_vlong(data, pos):
    """(value, new position) of the vlong at data[pos]."""
    first = struct.unpack_from(">b", data, pos)[0]
    if first >= -112:
        return first, pos + 1
    negative = first < -120
    n = (-119 - first) if negative else (-111 - first)
    n -= 1
    if pos + 1 + n > len(data):
        raise WritableError("truncated variable-length integer at byte %d" % pos)
    v = int.from_bytes(data[pos + 1:pos + 1 + n], "big")
    return (~v if negative else v), pos + 1 + n


# ----------------------------------------------------------------- reading

def _read_text(data, pos):
    n, pos = read_vlong(data, pos)
    if n < 0 or pos + n > len(data):
        raise WritableError("Text of %d bytes at byte %d runs past its record" % (n, pos))
    # As Hadoop's Text.toString: malformed UTF-8 becomes U+FFFD.
    return bytes(data[pos:pos + n]).decode("utf-8", "replace"), pos + n


def _read_fixed(fmt):
    def read(data, pos):
        return fmt.unpack_from(data, pos)[0], pos + fmt.size
    return read


def _read_bytes(data, pos):
    (n,) = _I32.unpack_from(data, pos)
    pos += 4
    if n < 0 or pos + n > len(data):
        raise WritableError("BytesWritable of %d bytes at byte %d runs past its record" % (n, pos))
    return bytearray(data[pos:pos + n]), pos + n


def _read_bool(data, pos):
    return data[pos] != 0, pos + 1


def _read_map(data, pos):
    classes = dict(_MAP_CLASSES)
    count = data[pos]
    pos += 1
    for _ in range(count):
        cid = struct.unpack_from(">b", data, pos)[0]
        (n,) = _U16.unpack_from(data, pos + 1)
        classes[cid] = bytes(data[pos + 3:pos + 3 + n]).decode("utf-8")
        pos += 3 + n
    (size,) = _I32.unpack_from(data, pos)
    pos += 4
    out = {}
    for _ in range(size):
        key, pos = _read_tagged(data, pos, classes)
        value, pos = _read_tagged(data, pos, classes)
        out[key] = value
    return out, pos


def _read_tagged(data, pos, classes):
    cid = struct.unpack_from(">b", data, pos)[0]
    name = classes.get(cid)
    if name is None:
        raise WritableError("MapWritable entry names unknown class id %d" % cid)
    return reader(name)(data, pos + 1)


_READERS = {
    TEXT: _read_text, INT: _read_fixed(_I32), LONG: _read_fixed(_I64),
    FLOAT: _read_fixed(_F32), DOUBLE: _read_fixed(_F64), BOOLEAN: _read_bool,
    BYTES: _read_bytes, NULL: lambda data, pos: (None, pos), MAP: _read_map,
    VINT: read_vlong, VLONG: read_vlong,
}


def reader(class_name):
    """A function (data, pos) -> (value, new pos) for one Writable class."""
    r = _READERS.get(class_name)
    if r is None:
        raise WritableError(
            "cannot convert %s: ember reads the Writables %s" % (class_name, ", ".join(
                sorted(c.rsplit(".", 1)[1] for c in _READERS))))
    return r


def decoder(class_name):
    """A function converting one serialized value of `class_name`."""
    read = reader(class_name)

    def decode(data):
        value, end = read(data, 0)
        if end != len(data):
            raise WritableError("%s value has %d bytes after its end" % (class_name, len(data) - end))
        return value
    return decode


# ----------------------------------------------------------------- writing

def _map_class_table(value, extra):
    """Adds to `extra` the classes a MapWritable must name in its header."""
    for k, v in value.items():
        for item in (k, v):
            name, _ = encode(item)
            if name not in _MAP_IDS and name not in extra:
                extra.append(name)


def _encode_map(value):
    extra = []
    _map_class_table(value, extra)
    out = [bytes([len(extra)])]
    ids = dict(_MAP_IDS)
    for i, name in enumerate(extra, 1):
        ids[name] = i
        raw = name.encode("utf-8")
        out.append(struct.pack(">b", i) + _U16.pack(len(raw)) + raw)
    out.append(_I32.pack(len(value)))
    for k, v in value.items():
        for item in (k, v):
            name, data = encode(item)
            out.append(struct.pack(">b", ids[name]) + data)
    return b"".join(out)


def encode(value):
    """(Writable class name, serialized bytes) for one Python value."""
    if value is None:
        return NULL, b""
    if isinstance(value, bool):
        return BOOLEAN, b"\x01" if value else b"\x00"
    if isinstance(value, int):
        if -(1 << 31) <= value < (1 << 31):
            return INT, _I32.pack(value)
        if -(1 << 63) <= value < (1 << 63):
            return LONG, _I64.pack(value)
        raise WritableError("int %d does not fit in a LongWritable" % value)
    if isinstance(value, float):
        return DOUBLE, _F64.pack(value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return TEXT, write_vlong(len(raw)) + raw
    if isinstance(value, (bytes, bytearray)):
        return BYTES, _I32.pack(len(value)) + bytes(value)
    if isinstance(value, dict):
        return MAP, _encode_map(value)
    if isinstance(value, tuple):
        return ARRAY, _I32.pack(len(value)) + b"".join(encode(v)[1] for v in value)
    raise WritableError("Data of type %s cannot be used as a Writable (ember converts None, "
                        "bool, int, float, str, bytes, bytearray, dict and tuple)"
                        % type(value).__name__)
