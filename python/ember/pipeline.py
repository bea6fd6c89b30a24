"""Fused narrow transformations: what a Python node of the engine runs.

A PipelinedRDD records its operations as a flat list of ops instead of
nesting functions, so a chain of thousands of ``map`` calls neither
recurses when built nor per record when run. A short run of per-record
ops (map, filter, flatMap) becomes the builtins map/filter/chain, which
iterate in C; a long run is compiled into one generator function with
plain nested loops (one loop level per flatMap), so thousands of maps
never nest thousands of iterators. Partition-level ops (mapPartitions and
friends) wrap the iterator as PySpark's do.

``Command`` is the pickled unit the engine ships: the ops plus what the
worker does with the output (pickled batches, shuffle buckets, text lines).
"""

MAP, FILTER, FLATMAP, PARTITION = "map", "filter", "flatMap", "partition"

import itertools

from .util import stop_iteration_error

# Python allows 20 statically nested blocks; keep well below it.
_MAX_LOOPS_PER_SEGMENT = 15
# Up to this many record ops are chained as builtin iterators (C speed);
# more would nest C iterators deeply, so they are compiled into loops.
_MAX_BUILTIN_CHAIN = 8


class Command:
    """ops: list of (kind, f); f(x) for record ops, f(split, iterator) for
    PARTITION. output: "pickle", "lines", ("buckets", n, partition_func),
    ("ranges", n, ranges_of: a chunk of records -> their buckets) or
    ("writables", key class, value class).
    profile: None, or the profiler (ember.profiler) the task runs under
    (spark.python.profile).
    serializer: None for ember's pickled batches, or the tag of the
    context's serializer "pickle" output is written in
    (serializers.serializer_tag).
    native: None, or the ember.fastpath.Plan of the ops' leading part that
    runs in C++ over text input."""

    def __init__(self, ops, output="pickle", profile=None, serializer=None, native=None):
        self.ops = ops
        self.output = output
        self.profile = profile
        self.serializer = serializer
        self.native = native

    def compile(self):
        """A function (split, iterator) -> iterator running every op."""
        stages = []
        segment = []
        for kind, f in self.ops:
            if kind == PARTITION:
                stages.extend(_compile_segments(segment))
                segment = []
                stages.append(f)
            else:
                segment.append((kind, f))
        stages.extend(_compile_segments(segment))

        def run(split, iterator):
            for stage in stages:
                iterator = stage(split, iterator)
            return iterator
        return run


def _compile_segments(ops):
    """Split record ops into segments of bounded loop depth; compile each."""
    if not ops:
        return []
    if len(ops) <= _MAX_BUILTIN_CHAIN:
        return [_builtin_chain(ops)]
    segments, current, loops = [], [], 0
    for kind, f in ops:
        if kind == FLATMAP and loops == _MAX_LOOPS_PER_SEGMENT:
            segments.append(current)
            current, loops = [], 0
        current.append((kind, f))
        loops += kind == FLATMAP
    if current:
        segments.append(current)
    return [_compile_segment(seg) for seg in segments]


def _builtin_chain(ops):
    def segment(split, it):
        # map and filter take a StopIteration out of f for the end of their
        # input and would drop the rest silently. So the input ends in a
        # marker that notes it was read to the end, and the output in a
        # check that it was: an error otherwise, as PySpark's. (The compiled
        # loops are generators, where Python turns it into an error.)
        source_ended = []
        it = itertools.chain(it, _note_end(source_ended))
        for kind, f in ops:
            if kind == MAP:
                it = map(f, it)
            elif kind == FILTER:
                it = filter(f, it)
            else:
                it = itertools.chain.from_iterable(map(f, it))
        return itertools.chain(it, _check_end(source_ended))
    return segment


def _note_end(ended):
    ended.append(True)
    return
    yield


def _check_end(source_ended):
    if not source_ended:
        raise stop_iteration_error("a map, filter or flatMap function raised StopIteration")
    return
    yield


def _compile_segment(ops):
    env = {}
    lines = ["def segment(split, it):", "    for x0 in it:"]
    depth, var = 2, "x0"
    for i, (kind, f) in enumerate(ops):
        fn = "f%d" % i
        env[fn] = f
        pad = "    " * depth
        if kind == MAP:
            lines.append("%s%s = %s(%s)" % (pad, var, fn, var))
        elif kind == FILTER:
            lines.append("%sif not %s(%s): continue" % (pad, fn, var))
        elif kind == FLATMAP:
            inner = "x%d" % depth
            lines.append("%sfor %s in %s(%s):" % (pad, inner, fn, var))
            depth, var = depth + 1, inner
        else:
            raise ValueError("unknown op kind %r" % kind)
    lines.append("%syield %s" % ("    " * depth, var))
    code = compile("\n".join(lines), "<ember pipeline>", "exec")
    exec(code, env)
    return env["segment"]
