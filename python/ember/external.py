"""Aggregation, grouping and sorting in bounded memory: spill to disk above
a budget, merge the spills at the end.

The budget is bytes of resident memory this process may use beyond its
size when this module was imported (``MemoryGauge``: RSS from
/proc/self/statm). The daemon imports it before forking, so for a worker
that is the size of an idle worker, and memory an earlier task left behind
counts against the budget of the next. The gauge is read after every block of
records; blocks shrink when records are large and grow up to
``CHECK_EVERY`` records when they are small, so a check costs little and
no block overshoots the budget by much.

- ``combine_map_side`` never touches disk: when over budget it hands its
  partial combiners downstream and starts again (the shuffle merges them).
- ``ExternalMerger`` keeps one combiner per key in a dict; over budget it
  writes the dict out as a run sorted by ``hash(key)`` and empties it. At the
  end the dict is spilled too and the runs are merged by hash, so keys only need to be
  hashable, never comparable, and memory holds one batch per run.
- ``group_by_key`` is a merger of value lists whose merge phase collects
  each key's values in a ``SpillableList``, so one hot key holding most of
  the data still completes: its values move to disk as they arrive.
- ``HashJoin`` holds a join's table side like a grouper and streams the
  other side through it; spilled, both sides meet in hash order.
- ``ExternalSorter`` writes sorted runs and merges them with heapq.merge;
  the result is stable, like sorted().

Spill files live under the directory given by the caller and are deleted
when read to the end or when the object owning them is collected.
"""

import ctypes
import heapq
import itertools
import os
import pickle
import tempfile
import weakref
from operator import itemgetter

from . import _core
from .resultiterable import ResultIterable

CHECK_EVERY = 4096      # most records between two reads of the memory gauge
LIST_CHUNK = 100        # values per record when a key's list is spilled or shipped
_BATCH_BYTES = 64 << 10  # target size of one pickled batch in a spill file

_PAGE = os.sysconf("SC_PAGE_SIZE")
_first = itemgetter(0)


_statm = [None, -1]  # (pid, fd): /proc/self names the opener, so reopen after a fork


def _rss():
    """Resident bytes of this process: one pread of a kept-open
    /proc/self/statm (opening it each time cost ~10 us, a good part of
    the map-side combine's time)."""
    pid = os.getpid()
    if _statm[0] != pid:
        _statm[:] = [pid, os.open("/proc/self/statm", os.O_RDONLY | os.O_CLOEXEC)]
    return int(os.pread(_statm[1], 128, 0).split()[1]) * _PAGE


def _libc_trim():
    """Give freed heap pages back to the OS so RSS reflects what is live."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


_BASELINE = _rss()


class SpillMetrics:
    """What this process's gauges and spill files measured during the
    current task (the worker reports it and resets it per task): bytes in
    memory above the baseline when a spill to disk began, bytes of spill
    files written, and the most memory a gauge saw in use."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.memory_spilled = self.disk_spilled = self.peak = 0

    def spilling(self, gauge):
        """A structure is about to move what it holds to a spill file."""
        self.memory_spilled += max(0, gauge._last - gauge.baseline)


task_metrics = SpillMetrics()


class MemoryGauge:
    """Is this process using more than ``limit`` bytes above _BASELINE?
    After a spill the threshold rises to what is
    still resident (memory the allocator kept is reused, not regrown), so a
    structure does not spill at every check."""

    def __init__(self, limit):
        self.limit = limit
        self.threshold = limit
        self.baseline = _BASELINE
        self._last = _rss()
        self.block = 16  # records to take before the next check

    def over(self):
        rss = _rss()
        step, self._last = rss - self._last, rss
        task_metrics.peak = max(task_metrics.peak, rss - self.baseline)
        # Aim at 1/32 to 1/8 of the budget between two checks.
        if step > self.limit // 8:
            self.block = max(1, self.block // 4)
        elif step < self.limit // 32:
            self.block = min(CHECK_EVERY, self.block * 2)
        return rss - self.baseline > self.threshold

    def spilled(self):
        _libc_trim()
        self.threshold = max(self.limit, _rss() - self.baseline + self.limit // 8)


_END = object()


def _blocks(iterator, gauge):
    """Iterators over runs of up to gauge.block records, which the caller
    drains, reading the gauge after each. Nothing is copied into lists and
    no iterator is stacked on the records but one islice: these feed the
    hot loops. (The record that proves the source not exhausted comes as a
    block of its own.)"""
    it = iter(iterator)
    while True:
        yield itertools.islice(it, gauge.block)
        first = next(it, _END)
        if first is _END:
            return
        yield (first,)


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


class SpillFile:
    """Records appended in pickled batches of about 64 KiB and read back in
    order, as many times as needed; deleted with the object."""

    def __init__(self, directory):
        fd, self.path = tempfile.mkstemp(prefix="ember-spill-", dir=directory)
        self._out = os.fdopen(fd, "wb", buffering=1 << 16)
        self._per_batch = 1  # grows while batches are small: records may be large
        weakref.finalize(self, _unlink, self.path)

    def write(self, records):
        batch = []
        for record in records:
            batch.append(record)
            if len(batch) >= self._per_batch:
                self._dump(batch)
                batch = []
        if batch:
            self._dump(batch)

    def _dump(self, batch):
        start = self._out.tell()
        pickle.dump(batch, self._out, pickle.HIGHEST_PROTOCOL)
        size = self._out.tell() - start
        task_metrics.disk_spilled += size
        if size < _BATCH_BYTES // 2:
            self._per_batch *= 2
        elif size > _BATCH_BYTES * 2:
            self._per_batch = max(1, self._per_batch * _BATCH_BYTES // size)

    def __iter__(self):
        self._out.flush()
        with open(self.path, "rb") as f:
            while True:
                try:
                    batch = pickle.load(f)
                except EOFError:
                    return
                yield from batch


def merge_into(table, records, create, merge):
    """Fold (k, v) records into table: create(v) for a new key, else
    merge(current, v)."""
    get = table.get  # one lookup per record, not two: this is the hot loop
    for k, v in records:
        c = get(k, _END)
        table[k] = create(v) if c is _END else merge(c, v)


def combine_map_side(agg, iterator, limit, gauge=None):
    """(k, v) -> (k, combiner); a key may come out more than once, as a
    partial combiner, when the budget forced a flush in between."""
    gauge = gauge or MemoryGauge(limit)
    table = {}
    for block in _blocks(iterator, gauge):
        merge_into(table, block, agg.createCombiner, agg.mergeValue)
        if gauge.over():
            yield from table.items()
            table.clear()
            gauge.spilled()
    yield from table.items()


def group_map_side(iterator, limit, gauge=None):
    """(k, v) -> (k, [values]) with at most LIST_CHUNK values per record, so
    no single shuffled record is larger than a chunk of one key's values."""
    gauge = gauge or MemoryGauge(limit)
    table = {}
    for block in _blocks(iterator, gauge):
        yield from _core.fast.group_block(table, block, LIST_CHUNK)
        if gauge.over():
            yield from table.items()
            table.clear()
            gauge.spilled()
    yield from table.items()


class ExternalMerger:
    """One combiner per key, whatever the number of keys.

    Feed it with merge_values ((k, v) records) or merge_combiners ((k, c)
    records, e.g. partial combiners from several map tasks), then read
    items() once."""

    def __init__(self, agg, limit, spill_dir, gauge=None):
        self.agg = agg
        self.spill_dir = spill_dir
        self.gauge = gauge or MemoryGauge(limit)
        self.table = {}
        self.runs = []

    def merge_values(self, iterator):
        self._merge(iterator, self.agg.createCombiner, self.agg.mergeValue)

    def merge_combiners(self, iterator):
        self._merge(iterator, lambda c: c, self.agg.mergeCombiners)

    def _merge(self, iterator, create, merge):
        for block in _blocks(iterator, self.gauge):
            merge_into(self.table, block, create, merge)
            if self.gauge.over():
                self._spill()

    def _spill(self):
        task_metrics.spilling(self.gauge)
        run = SpillFile(self.spill_dir)
        run.write(self._sorted_table())
        self.runs.append(run)
        self.table.clear()  # in place: callers hold the table in a local
        self.gauge.spilled()

    def _sorted_table(self):
        """(hash, key, combiner) in hash order, emptying the table as it goes."""
        table = self.table
        for k in sorted(table, key=hash):
            yield hash(k), k, table.pop(k)

    def items(self):
        if not self.runs:
            return iter(self.table.items())
        self._spill()  # the merge then holds one batch per run, nothing more
        return self._merged()

    def _merged_runs(self):
        runs, self.runs = self.runs, []
        return itertools.groupby(heapq.merge(*runs, key=_first), key=_first)

    def _merged(self):
        merge = self.agg.mergeCombiners
        for _, records in self._merged_runs():
            combined = {}  # keys sharing one hash: almost always exactly one
            for _, k, c in records:
                combined[k] = merge(combined[k], c) if k in combined else c
            yield from combined.items()


class SpillableList:
    """The values of one key: extended in chunks, kept in memory until the
    gauge is over budget, then moved to a spill file. Iterable many times;
    pickles as a plain list."""

    def __init__(self, gauge, spill_dir):
        self._gauge = gauge
        self._spill_dir = spill_dir
        self._memory = []
        self._file = None
        self._length = 0

    def extend(self, values):
        self._memory.extend(values)
        self._length += len(values)
        if len(self._memory) >= LIST_CHUNK and self._gauge.over():
            task_metrics.spilling(self._gauge)
            if self._file is None:
                self._file = SpillFile(self._spill_dir)
            self._file.write(_chunks(self._memory))
            self._memory = []
            self._gauge.spilled()

    def __len__(self):
        return self._length

    def __iter__(self):
        if self._file is not None:
            for chunk in self._file:
                yield from chunk
        yield from self._memory

    def __reduce__(self):
        return list, (list(self),)


def _chunks(values):
    for i in range(0, len(values), LIST_CHUNK):
        yield values[i:i + LIST_CHUNK]


class _Grouper(ExternalMerger):
    """ExternalMerger over value lists: spilled lists are cut into chunks
    and the merge builds SpillableLists, so no step holds a whole hot key."""

    def __init__(self, limit, spill_dir, gauge=None):
        super().__init__(None, limit, spill_dir, gauge)

    def merge_lists(self, iterator):
        # Records range from one value to a chunk of LIST_CHUNK, so the gauge
        # is read every gauge.block values, not records.
        table, gauge = self.table, self.gauge
        pending = 0
        for k, values in iterator:
            if k in table:
                table[k].extend(values)
            else:
                table[k] = list(values)  # never grow the caller's list
            pending += len(values)
            if pending >= gauge.block:
                pending = 0
                if gauge.over():
                    self._spill()

    def _sorted_table(self):
        for h, k, values in super()._sorted_table():
            for chunk in _chunks(values):
                yield h, k, chunk

    def _merged(self):
        for _, records in self._merged_runs():
            groups = {}
            for _, k, chunk in records:
                if k not in groups:
                    groups[k] = SpillableList(self.gauge, self.spill_dir)
                groups[k].extend(chunk)
            yield from groups.items()


class HashJoin(_Grouper):
    """A hash join's table side held by key, the other side streamed
    through it: build() takes the table's (k, w) records, then
    probe(records, func) gives func(table, records), where table is
    {k: [w, ...]} and records are the other side's (k, v) records.

    Above the budget the table spills as runs sorted by hash(k), as a
    grouper's do. The probe side is then grouped and spilled the same way
    and merged with the table's runs; func runs once per hash value, on
    that hash's table (values in SpillableLists) and records, so memory
    holds one hash's table and a batch per run."""

    def build(self, records):
        table, gauge = self.table, self.gauge
        for block in _blocks(records, gauge):
            _core.fast.group_block(table, block, 0)
            if gauge.over():
                self._spill()

    def probe(self, records, func):
        if not self.runs:
            return func(self.table, records)
        self._spill()
        return self._probe_runs(records, func)

    def _probe_runs(self, records, func):
        probes = HashJoin(self.gauge.limit, self.spill_dir, self.gauge)
        probes.build(records)
        probes._spill()
        # Probe entries grow a fourth field; heapq.merge keeps input order
        # on ties, so a hash's table entries come before its probe entries.
        tagged = [map(_probe_entry, run) for run in probes.runs]
        runs, self.runs, probes.runs = self.runs, [], []
        for _, entries in itertools.groupby(heapq.merge(*runs, *tagged, key=_first), key=_first):
            table, first_probe = {}, ()
            for entry in entries:
                if len(entry) == 4:
                    first_probe = (entry,)
                    break
                _, k, chunk = entry
                if k not in table:
                    table[k] = SpillableList(self.gauge, self.spill_dir)
                table[k].extend(chunk)
            records = ((e[1], v) for e in itertools.chain(first_probe, entries) for v in e[2])
            yield from func(table, records)


def _probe_entry(entry):
    return entry + (None,)


def group_by_key(iterator, limit, spill_dir, gauge=None):
    """(k, [values]) records -> (k, ResultIterable of all values of k)."""
    grouper = _Grouper(limit, spill_dir, gauge)
    grouper.merge_lists(iterator)
    return ((k, ResultIterable(values)) for k, values in grouper.items())


class ExternalSorter:
    """sorted() in bounded memory: sorted runs on disk, merged lazily.

    Sorting with a key function makes a key per record, a new object as
    big as the record at worst, all alive while the buffer sorts: with one,
    the buffer spills at half the budget."""

    def __init__(self, limit, spill_dir, gauge=None):
        self.limit = limit
        self.spill_dir = spill_dir
        self.gauge = gauge

    def sorted(self, iterator, key=None, reverse=False):
        runs = []
        buffer = []
        gauge = self.gauge or MemoryGauge(self.limit if key is None else self.limit // 2)
        for block in _blocks(iterator, gauge):
            buffer.extend(block)
            if gauge.over():
                task_metrics.spilling(gauge)
                buffer.sort(key=key, reverse=reverse)
                run = SpillFile(self.spill_dir)
                run.write(buffer)
                runs.append(run)
                buffer = []
                gauge.spilled()
        buffer.sort(key=key, reverse=reverse)
        if not runs:
            return iter(buffer)
        # heapq.merge prefers earlier inputs on ties and runs are in input
        # order, so equal keys keep their input order (stable, like sorted).
        return heapq.merge(*runs, buffer, key=key, reverse=reverse)
