"""Native fast paths: common functions recognised and run in C++.

When the leading ops of a pipeline are functions ember recognises and the
task's input is text lines (``textFile``), those ops run in C++
(``ember._core.fast``, src/ember/fast/) on the raw line frames, giving
exactly what the Python functions give; every op after them runs in
Python as before. Recognised, in order along the pipeline:

  flatMap(str.split), flatMap(lambda s: s.split())   Python's whitespace rules
  filter(lambda s: "c" in s), "c" not in s           c a str constant
  filter(lambda s: s.startswith("c")), .endswith     c a str constant
  map(len), map(lambda s: len(s))                    ends the native ops
  map(lambda s: (s, c))                              c an int or float; ends them
  then at most one partition op: count()'s, or the map-side combine of
  reduceByKey(operator.add or lambda a, b: a + b) right after the pair.

And, on any input, sortBy/sortByKey with ``lambda x: x`` as the key sort by
the records themselves (the same comparisons, without a call per record).

Recognition is by the function object (str.split, len, operator.add and
ember's own partition functions) or by a plain function's bytecode being
that of a shape above, constants aside — never by a name. A closure,
default arguments, any other body, a shadowed ``len``, a callable object
or a method of a str subclass is not recognised and runs in Python. A
task runs its native ops while its input frames are UTF-8 line frames; at
the first other frame (a union with other input, say) the rest of the
input goes through the same functions in Python. Setting
``ember.python.fastPath.enabled`` to false turns all of it off.
"""

import inspect
import itertools
import operator
import types

from . import pipeline, serializers as ser

_SPLIT = lambda s: s.split()  # noqa: E731
_CONTAINS = lambda s: "c" in s  # noqa: E731
_NOT_CONTAINS = lambda s: "c" not in s  # noqa: E731
_STARTSWITH = lambda s: s.startswith("c")  # noqa: E731
_ENDSWITH = lambda s: s.endswith("c")  # noqa: E731
_LEN = lambda s: len(s)  # noqa: E731
_PAIR = lambda s: (s, 1)  # noqa: E731
_ADD = lambda a, b: a + b  # noqa: E731
_IDENTITY = lambda x: x  # noqa: E731
_FILTERS = ((_CONTAINS, "contains"), (_NOT_CONTAINS, "not_contains"),
            (_STARTSWITH, "startswith"), (_ENDSWITH, "endswith"))


class Plan:
    """What a task runs natively: ``ops`` for ember._core.fast.TextProgram,
    ``pair_value`` (the constant of a trailing pair op, else None),
    ``terminal`` ("records", "count" or "combine") and ``consumed``, how
    many of the pipeline's leading ops it stands for."""

    def __init__(self, ops, pair_value, terminal, consumed):
        self.ops, self.pair_value, self.terminal, self.consumed = ops, pair_value, terminal, consumed

    def __repr__(self):
        return "Plan(%r, %r, %r, %d)" % (self.ops, self.pair_value, self.terminal, self.consumed)


def constants(f, template):
    """The constants of ``f`` in the places where ``template`` has its own
    (every constant but None), when f is a plain function with template's
    bytecode, names and signature; otherwise None."""
    if type(f) is not types.FunctionType or f.__closure__ or f.__defaults__ or f.__kwdefaults__:
        return None
    mine, theirs = f.__code__, template.__code__
    if (mine.co_code != theirs.co_code or mine.co_names != theirs.co_names
            or mine.co_argcount != theirs.co_argcount or mine.co_posonlyargcount
            or mine.co_kwonlyargcount or mine.co_freevars or mine.co_cellvars
            or (mine.co_flags ^ theirs.co_flags) & ~inspect.CO_NESTED
            or len(mine.co_consts) != len(theirs.co_consts)):
        return None
    found = []
    for a, b in zip(mine.co_consts, theirs.co_consts):
        if b is None:
            if a is not None:
                return None
        else:
            found.append(a)
    return found


def _resolves_to(f, name, obj):
    """Whether the global ``name`` in f's module is ``obj``."""
    if name in f.__globals__:
        return f.__globals__[name] is obj
    return f.__builtins__.get(name) is obj


def record_op(kind, f):
    """The native op standing for the pipeline op (kind, f), or None."""
    if kind == pipeline.FLATMAP:
        if f is str.split or constants(f, _SPLIT) == []:
            return ("split",)
    elif kind == pipeline.FILTER:
        for template, name in _FILTERS:
            found = constants(f, template)
            if found is not None and type(found[0]) is str:
                return (name, found[0])
    elif kind == pipeline.MAP:
        if f is len or (constants(f, _LEN) == [] and _resolves_to(f, "len", len)):
            return ("len",)
        found = constants(f, _PAIR)
        if found is not None and type(found[0]) in (int, float):
            return ("pair", found[0])
    return None


def is_add(f):
    return f is operator.add or constants(f, _ADD) == []


def is_identity(f):
    """Whether f is ``lambda x: x``: sorting by it is sorting by the records."""
    return constants(f, _IDENTITY) == []


def _terminal(f, native):
    """"count" or "combine" when the partition op f is one the native ops
    can end in, else None."""
    from . import rdd, shuffle
    if f is rdd._count_partition:
        return "count"
    if type(f) is shuffle.CombineLocally and native and native[-1][0] == "pair":
        agg = f.agg
        if agg.createCombiner is rdd._identity and is_add(agg.mergeValue):
            return "combine"
    return None


def plan(ops):
    """The Plan of a pipeline's ops, or None when none of them runs natively."""
    native = []
    for kind, f in ops:
        if native and native[-1][0] in ("len", "pair"):
            break
        op = record_op(kind, f)
        if op is None:
            break
        native.append(op)
    terminal = None
    if len(native) < len(ops) and ops[len(native)][0] == pipeline.PARTITION:
        terminal = _terminal(ops[len(native)][1], native)
    if terminal is None:
        if not native:
            return None
        terminal = "records"
    pair_value = native[-1][1] if native and native[-1][0] == "pair" else None
    ops_for_cpp = [("pair",) if op[0] == "pair" else op for op in native]
    return Plan(ops_for_cpp, pair_value, terminal, len(native) + (terminal != "records"))


def run(command, split, frames, decode, counts):
    """The output records of ``command`` (whose ``native`` is a Plan) over
    the task's raw input ``frames`` ((type, payload) pairs); ``decode``
    turns a frame into its records (counting them), and the native part
    appends the lines of each frame it reads to ``counts``."""
    native = command.native
    ops = command.ops
    prefix = pipeline.Command(ops[:native.consumed]).compile()
    rest = pipeline.Command(ops[native.consumed:]).compile()
    return rest(split, _native_output(native, prefix, split, iter(frames), decode, counts))


def _native_output(native, prefix, split, frames, decode, counts):
    from . import _core, shuffle
    program = _core.fast.TextProgram(native.ops, native.terminal, native.pair_value)
    budget = shuffle._budget()
    python_input = None
    for ftype, data in frames:
        if ftype != ser.UTF8_LINES:
            python_input = itertools.chain.from_iterable(
                decode(t, d) for t, d in itertools.chain([(ftype, data)], frames))
            break
        if native.terminal == "records":
            records, lines = program.records(data)
            counts.append(lines)
            yield from records
        else:
            counts.append(program.feed(data))
            if native.terminal == "combine" and program.memory() > budget:
                yield from program.take()
    if native.terminal == "count":
        yield program.count + (sum(prefix(split, python_input)) if python_input is not None else 0)
        return
    if native.terminal == "combine":
        yield from program.take()
    if python_input is not None:
        yield from prefix(split, python_input)
