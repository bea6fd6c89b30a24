"""Hadoop input and output formats named by their Java class names.

PySpark's hadoopFile / newAPIHadoopFile / hadoopRDD / newAPIHadoopRDD and
saveAsHadoopFile / saveAsNewAPIHadoopFile / save...Dataset take Hadoop class
names and a Hadoop configuration dict. ember runs no Java: it knows the
sequence-file and text formats of both Hadoop APIs by name and does their
work natively; any other class name, and any converter class, is a clear
error naming it.
"""

from .errors import EmberError

SEQUENCE_INPUTS = {
    "org.apache.hadoop.mapred.SequenceFileInputFormat",
    "org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat",
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


class UnsupportedFormatError(EmberError, ValueError):
    """A Hadoop class name ember has no native implementation for."""


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
    """"sequence" for the sequence-file input formats of either Hadoop API."""
    if class_name in SEQUENCE_INPUTS:
        return "sequence"
    raise UnsupportedFormatError(
        "input format %s is not supported; ember reads %s" % (class_name, ", ".join(sorted(SEQUENCE_INPUTS))))


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
    value; a None key or value (NullWritable) is left out with the separator."""
    def line(kv):
        key, value = kv
        if key is None:
            return "" if value is None else str(value)
        if value is None:
            return str(key)
        return "%s%s%s" % (key, separator, value)
    return line
