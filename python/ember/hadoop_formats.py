"""Hadoop input and output formats named by their Java class names.

PySpark's hadoopFile / newAPIHadoopFile / hadoopRDD / newAPIHadoopRDD and
saveAsHadoopFile / saveAsNewAPIHadoopFile / save...Dataset take Hadoop class
names and a Hadoop configuration dict. ember runs no Java: it knows the
sequence-file and text formats of both Hadoop APIs by name and does their
work natively; any other class name, any converter class and a custom
textinputformat.record.delimiter are clear errors naming them. Input:
SequenceFileInputFormat, TextInputFormat, KeyValueTextInputFormat; output:
SequenceFileOutputFormat, TextOutputFormat.
"""

import decimal

from .errors import EmberError

SEQUENCE_INPUTS = {
    "org.apache.hadoop.mapred.SequenceFileInputFormat",
    "org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat",
}
TEXT_INPUTS = {
    "org.apache.hadoop.mapred.TextInputFormat",
    "org.apache.hadoop.mapreduce.lib.input.TextInputFormat",
}
KEY_VALUE_INPUTS = {
    "org.apache.hadoop.mapred.KeyValueTextInputFormat",
    "org.apache.hadoop.mapreduce.lib.input.KeyValueTextInputFormat",
}
SEQUENCE_OUTPUTS = {
    "org.apache.hadoop.mapred.SequenceFileOutputFormat",
    "org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat",
}
TEXT_OUTPUTS = {
    "org.apache.hadoop.mapred.TextOutputFormat",
    "org.apache.hadoop.mapreduce.lib.output.TextOutputFormat",
}

# Hadoop's property names, old and new API, for what the Dataset variants
# and hadoopRDD read from the configuration.
INPUT_DIR = ("mapreduce.input.fileinputformat.inputdir", "mapred.input.dir")
OUTPUT_DIR = ("mapreduce.output.fileoutputformat.outputdir", "mapred.output.dir")
OUTPUT_FORMAT = ("mapreduce.job.outputformat.class", "mapred.output.format.class")
COMPRESS = ("mapreduce.output.fileoutputformat.compress", "mapred.output.compress")
COMPRESS_CODEC = ("mapreduce.output.fileoutputformat.compress.codec", "mapred.output.compression.codec")
COMPRESS_TYPE = ("mapreduce.output.fileoutputformat.compress.type", "mapred.output.compression.type")
SEQUENCE_BLOCK_SIZE = ("io.seqfile.compress.blocksize",)
TEXT_SEPARATOR = ("mapreduce.output.textoutputformat.separator", "mapred.textoutputformat.separator")
RECORD_DELIMITER = "textinputformat.record.delimiter"
KEY_VALUE_SEPARATOR = ("mapreduce.input.keyvaluelinerecordreader.key.value.separator",
                       "key.value.separator.in.input.line")


class UnsupportedFormatError(EmberError, ValueError):
    """A Hadoop class name ember has no native implementation for."""


def job_conf(spark_conf, conf):
    """The Hadoop settings of one job: the context's spark.hadoop.* entries
    without the prefix, overridden by the job's own conf dict."""
    merged = {k[len("spark.hadoop."):]: v for k, v in spark_conf.getAll() if k.startswith("spark.hadoop.")}
    merged.update(conf or {})
    return merged


def setting(conf, names, default=None):
    """The first of `names` set in the Hadoop conf dict, else default."""
    for name in names:
        if conf and name in conf:
            return conf[name]
    return default


def check_no_converters(keyConverter, valueConverter):
    for c in (keyConverter, valueConverter):
        if c:
            raise UnsupportedFormatError(
                "converter class %s: ember runs no Java, so Writables are converted as "
                "PySpark's defaults do (ember/writables.py) and converters are not supported" % c)


def input_kind(class_name):
    """"sequence", "text" or "keyvalue" for the input formats of either
    Hadoop API that ember reads natively."""
    for kind, names in (("sequence", SEQUENCE_INPUTS), ("text", TEXT_INPUTS),
                        ("keyvalue", KEY_VALUE_INPUTS)):
        if class_name in names:
            return kind
    raise UnsupportedFormatError("input format %s is not supported; ember reads %s" % (
        class_name, ", ".join(sorted(SEQUENCE_INPUTS | TEXT_INPUTS | KEY_VALUE_INPUTS))))


def check_line_records(conf):
    """ember's text formats read lines (\\n, \\r, \\r\\n); a custom record
    delimiter would change the records, so it is an error, not ignored."""
    if setting(conf, (RECORD_DELIMITER,)) is not None:
        raise UnsupportedFormatError("%s is not supported: ember's TextInputFormat and "
                                     "KeyValueTextInputFormat read lines" % RECORD_DELIMITER)


def key_value_split(separator):
    """KeyValueTextInputFormat's record of a line: (key, value) split at the
    first separator; (line, "") when there is none."""
    def split(line):
        key, sep, value = line.partition(separator)
        return (key, value) if sep else (line, "")
    return split


def output_kind(class_name):
    """"sequence" or "text" for the output formats ember writes natively."""
    if class_name in SEQUENCE_OUTPUTS:
        return "sequence"
    if class_name in TEXT_OUTPUTS:
        return "text"
    raise UnsupportedFormatError(
        "output format %s is not supported; ember writes %s"
        % (class_name, ", ".join(sorted(SEQUENCE_OUTPUTS | TEXT_OUTPUTS))))


def compression(conf, codec_class):
    """(codec class or "", compression type) for an output job: the codec
    given, else the one the conf turns on; the type (NONE, RECORD, BLOCK)
    from the conf, RECORD by default as in Hadoop."""
    if not codec_class and str(setting(conf, COMPRESS, "false")).lower() == "true":
        codec_class = setting(conf, COMPRESS_CODEC, "org.apache.hadoop.io.compress.DefaultCodec")
    kind = str(setting(conf, COMPRESS_TYPE, "RECORD")).upper()
    if kind not in ("NONE", "RECORD", "BLOCK"):
        raise UnsupportedFormatError("compression type %s: expected NONE, RECORD or BLOCK" % kind)
    return codec_class or "", kind if codec_class else "NONE"


def _java_double(x):
    """Java's Double.toString: plain decimals in [1e-3, 1e7), else
    d.dddE<n>; the shortest digits, as Python's repr picks them."""
    if x != x or x in (float("inf"), float("-inf")):
        return "NaN" if x != x else ("Infinity" if x > 0 else "-Infinity")
    if x == 0 or 1e-3 <= abs(x) < 1e7:
        return repr(x)
    sign, digits, exponent = decimal.Decimal(repr(x)).as_tuple()
    exponent += len(digits) - 1
    digits = "".join(map(str, digits)).rstrip("0")
    return "%s%s.%sE%d" % ("-" if sign else "", digits[0], digits[1:] or "0", exponent)


def writable_string(value):
    """What Hadoop's TextOutputFormat prints for the Writable a value
    converts to (ember/writables.py): its toString()."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _java_double(value)
    if isinstance(value, (bytes, bytearray)):
        return " ".join("%02x" % b for b in value)
    if isinstance(value, dict):
        return "{%s}" % ", ".join("%s=%s" % (writable_string(k), writable_string(v)) for k, v in value.items())
    return str(value)


def sequence_block_size(conf):
    """Uncompressed key+value bytes per block of a BLOCK-compressed
    SequenceFile, as the conf sets it for Hadoop's writer; 0 when unset
    (Hadoop's default, 1,000,000)."""
    value = setting(conf, SEQUENCE_BLOCK_SIZE)
    if value is None:
        return 0
    try:
        size = int(value)
    except (TypeError, ValueError):
        size = 0
    if size <= 0:
        raise EmberError("%s must be a positive number of bytes, got %r" % (SEQUENCE_BLOCK_SIZE[0], value))
    return size


def text_line(separator):
    """TextOutputFormat's line for a (key, value) record: key, separator,
    value, each as its Writable prints; a None key or value (NullWritable)
    is left out with the separator."""
    def line(kv):
        key, value = kv
        if key is None:
            return "" if value is None else writable_string(value)
        if value is None:
            return writable_string(key)
        return "%s%s%s" % (writable_string(key), separator, writable_string(value))
    return line
