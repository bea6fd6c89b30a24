"""A Python worker: runs one task at a time for the executor, reused.

Protocol (see src/ember/exec/python_stream.h): a TASK frame (u32 header
length, JSON header, pickled Command), then the input's data frames and
END. The worker streams its output frames back (a barrier task may send
a BARRIER frame amid them and wait for the BARRIER_REPLY, setting aside
the input frames that come first), drains any input the
user function did not consume, sends its accumulator updates, its METRICS
(JSON, see src/ember/exec/task_metrics.h: records of each input frame,
records written to a shuffle or file, CPU and deserialization time, spills)
and END, and waits for the next task. If user code raises, the worker sends an ERROR
frame with the traceback and exits; the executor starts a fresh one.
"""

import collections
import functools
import itertools
import json
import os
import sys
import time
import traceback

import cloudpickle

from . import _core, accumulators, barrier, broadcast, fastpath, files, serializers as ser
from .hashing import portable_hash
from .taskcontext import _set_task_context


def _input_frames(stream):
    """The task's input data frames, (type, payload), up to END."""
    while True:
        frame = stream.read_frame()
        if frame is None:
            raise EOFError("executor closed the stream before the end of input")
        if frame[0] == ser.END:
            stream.input_done = True
            return
        yield frame


def _decode(stream, ftype, data):
    """The records of an input frame, counted in stream.counts."""
    batch = ser.decode_frame(ftype, data)
    if ftype == ser.SECTION:
        stream.counts.append(0)
    else:
        if not isinstance(batch, (list, tuple, range)):  # a parallelized range stays one
            batch = list(batch)
        stream.counts.append(len(batch))
    return batch


def _input_batches(stream):
    for ftype, data in _input_frames(stream):
        yield _decode(stream, ftype, data)


def _input_records(stream):
    """The task's input records; iterated in C within each batch."""
    return itertools.chain.from_iterable(_input_batches(stream))


class _Stream:
    def __init__(self, rfile):
        self.rfile = rfile
        self.input_done = False
        self.counts = []  # records of each input frame of the current task
        self.pending = collections.deque()  # input read during a barrier sync

    def read_frame(self):
        if self.pending:
            return self.pending.popleft()
        return ser.read_frame(self.rfile)


def _barrier_channel(stream, write, flush):
    """sync(request) for BarrierTaskContext: sends the request, returns the
    executor's JSON answer."""
    def sync(request):
        write(ser.BARRIER, json.dumps(request).encode("utf-8"))
        flush()
        while True:
            frame = ser.read_frame(stream.rfile)
            if frame is None:
                raise EOFError("executor closed the stream during a barrier sync")
            if frame[0] == ser.BARRIER_REPLY:
                return json.loads(frame[1])
            stream.pending.append(frame)
    return sync


def _emit_buckets(records, num_buckets, partition_func, write):
    """Group (k, v) records by bucket, partition_func(k) % num_buckets, and
    write BUCKET_BATCH frames (u32 bucket, pickled list of its records). A
    bucket holds at most `limit` records, adapted to the record size, so
    memory held here stays near num_buckets x 64 KiB whatever the records.
    The loop runs in C++ (ember._core.fast.emit_buckets), which computes
    portable_hash itself for keys of the common types. Returns the number
    of records written."""
    return _core.fast.emit_buckets(records, num_buckets, partition_func, portable_hash, write, ser.dumps,
                                   functools.partial(ser.adapt_batch_size, most=1024), ser.BUCKET_BATCH)


def _emit_ranges(records, num_buckets, ranges_of, write):
    """A range shuffle's map side (sortByKey, sortBy): as _emit_buckets, but
    ranges_of(chunk) gives the buckets of a chunk of records at once, as
    nested maps that run in C but for the user's key function, and the
    records need not be pairs. Chunks are as long as the adapted batch."""
    return _core.fast.emit_ranges(records, num_buckets, ranges_of, write, ser.dumps,
                                  functools.partial(ser.adapt_batch_size, most=1024), ser.BUCKET_BATCH)


def _emit_lines(records, write):
    """saveAsTextFile: str(record) (bytes as they are), UTF-8, joined.
    Returns the number of records written."""
    chunk, size, written = [], 0, 0
    for x in records:
        if isinstance(x, str):
            x = x.encode("utf-8")
        elif not isinstance(x, (bytes, bytearray)):
            x = str(x).encode("utf-8")
        chunk.append(x)
        size += len(x) + 1
        if size >= ser.TARGET_BATCH_BYTES:
            write(ser.BYTE_LINES, b"\n".join(chunk))
            written += len(chunk)
            chunk, size = [], 0
    if chunk:
        write(ser.BYTE_LINES, b"\n".join(chunk))
    return written + len(chunk)


def _emit_writables(records, key_class, value_class, write):
    """saveAsSequenceFile: (key, value) records as Writables of the classes
    the job chose from its first record (ember/writables.py). Returns the
    number of records written."""
    from .writables import WritableError, encode
    pairs, size, i = [], 0, -1
    for i, record in enumerate(records):
        try:
            key, value = record
        except (TypeError, ValueError):
            raise WritableError("record %d is not a (key, value) pair: %r" % (i, record)) from None
        (kc, k), (vc, v) = encode(key), encode(value)
        if kc != key_class or vc != value_class:
            which, got, want = ("key", kc, key_class) if kc != key_class else ("value", vc, value_class)
            raise WritableError("wrong %s class: %s is not %s (record %d: %r)" % (which, got, want, i, record))
        pairs.append((k, v))
        size += len(k) + len(v) + 8
        if size >= ser.TARGET_BATCH_BYTES:
            write(ser.WRITABLE_PAIRS, ser.encode_writable_pairs(key_class, value_class, pairs))
            pairs, size = [], 0
    if pairs:
        write(ser.WRITABLE_PAIRS, ser.encode_writable_pairs(key_class, value_class, pairs))
    return i + 1


def _run_command(command, split, stream, write):
    """Runs the command; returns (what its output is for: "shuffle", "file"
    or "", records written to it)."""
    if command.native is None:
        records = command.compile()(split, _input_records(stream))
    else:
        records = fastpath.run(command, split, _input_frames(stream),
                               functools.partial(_decode, stream), stream.counts)
    out = command.output
    if out == "pickle":
        emit = functools.partial(write, ser.PICKLE_BATCH)
        if command.serializer is None:
            ser.write_batches(records, emit)
        else:
            ser.write_serialized_batches(records, command.serializer, emit)
        return "", 0
    if out == "lines":
        return "file", _emit_lines(records, write)
    if out[0] == "writables":
        return "file", _emit_writables(records, out[1], out[2], write)
    if out[0] == "ranges":
        return "shuffle", _emit_ranges(records, out[1], out[2], write)
    _, num_buckets, partition_func = out
    return "shuffle", _emit_buckets(records, num_buckets, partition_func, write)


def _spill_metrics():
    """The shuffle module's spill counters, if a task of this worker used it."""
    external = sys.modules.get("ember.external")
    return None if external is None else external.task_metrics


def run_task(payload, stream, write):
    cpu_start, wall_start = time.process_time_ns(), time.perf_counter_ns()
    spills = _spill_metrics()
    if spills is not None:
        spills.reset()
    (hlen,) = ser.U32.unpack_from(payload, 0)
    header = json.loads(payload[4:4 + hlen])
    properties = header.get("properties", {})
    broadcast.prepare_worker(properties)
    files.prepare_worker(properties)
    # After the added files are on sys.path: the command may refer to
    # functions of a --py-files module by reference.
    command = cloudpickle.loads(payload[4 + hlen:])
    _set_task_context(header)
    if header.get("barrier"):
        barrier._enter_task(header, stream.barrier_sync)
    stream.input_done = False
    metrics = {"deserialize_ns": time.perf_counter_ns() - wall_start,
               "deserialize_cpu_ns": time.process_time_ns() - cpu_start}
    if command.profile is None:
        output = _run_command(command, header["split"], stream, write)
    else:
        output = command.profile.profile(_run_command, command, header["split"], stream, write)
    if not stream.input_done:
        for _ in _input_records(stream):
            pass
    updates = accumulators.take_worker_updates()
    if updates:
        write(ser.ACCUMULATORS, ser.dumps(updates))
    write(ser.METRICS, _metrics_payload(metrics, output, stream.counts, cpu_start))
    # The counts' ints were allocated amid the task's records: kept until
    # the next task, they would pin the freed records' memory (pymalloc
    # returns an arena only when all of it is free), tens of MB a worker.
    stream.counts = []
    write(ser.END)
    _set_task_context(None)


def _metrics_payload(metrics, output, counts, cpu_start):
    metrics.update(records_in=counts, output=output[0], records_out=output[1],
                   cpu_ns=time.process_time_ns() - cpu_start)
    spills = _spill_metrics()
    if spills is not None:
        metrics.update(memory_spilled=spills.memory_spilled, disk_spilled=spills.disk_spilled,
                       peak_memory=spills.peak)
    return json.dumps(metrics, separators=(",", ":")).encode()


def serve(sock):
    """Run tasks from the executor on ``sock`` until it closes."""
    rfile = sock.makefile("rb", buffering=1 << 16)
    wfile = sock.makefile("wb", buffering=1 << 16)
    stream = _Stream(rfile)

    def write(ftype, data=b""):
        ser.write_frame(wfile, ftype, data)
    stream.barrier_sync = _barrier_channel(stream, write, wfile.flush)

    while True:
        frame = ser.read_frame(rfile)
        if frame is None:
            return 0
        ftype, payload = frame
        if ftype != ser.TASK:
            print("ember worker: expected a task frame, got type %d" % ftype, file=sys.stderr)
            return 1
        try:
            run_task(payload, stream, write)
            wfile.flush()
        except BaseException:
            try:
                write(ser.ERROR, _format_error().encode("utf-8", "replace"))
                wfile.flush()
            except OSError:
                pass
            return 1


def _format_error():
    etype, value, tb = sys.exc_info()
    try:
        text = "".join(traceback.format_exception(etype, value, tb))
    except BaseException:  # an exception whose __str__ raises
        text = "".join(traceback.format_tb(tb)) + "%s: <exception str() failed>\n" % etype.__name__
    return "Traceback from Python worker (pid %d):\n%s" % (os.getpid(), text)
