"""Native fast paths (ember/fastpath.py): what is recognised and what is
not, the C++ programs against the Python functions they stand for on
random text (differential, hypothesis), and whole jobs with the fast paths
on and off giving the same answers."""

import decimal
import operator
import sys
from operator import add

import pytest
from hypothesis import given, settings, strategies as st

from ember import _core, fastpath, pipeline, shuffle
from ember import join as join_module
from ember import rdd as rdd_module

FLATMAP, FILTER, MAP, PARTITION = pipeline.FLATMAP, pipeline.FILTER, pipeline.MAP, pipeline.PARTITION
SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
# Text as a text file's lines hold it: any code point but surrogates and
# the line terminators, with every whitespace character Python knows.
TEXT = st.lists(st.one_of(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
    st.sampled_from([c for c in SPACES if c not in "\r\n"] + ["ERROR", "é", "日本", "\U0001F600"])),
    max_size=40).map("".join)
LINES = st.lists(TEXT, min_size=1, max_size=30)
NEEDLES = st.sampled_from(["", "E", "ERROR", "é", " ", "\u3000", "日本", "x y"])


def frame(lines):
    """A UTF-8 line frame's payload, as the text reader makes it."""
    return "\n".join(lines).encode("utf-8")


def combine_plan():
    agg = shuffle.Aggregator(rdd_module._identity, add, add)
    return [(FLATMAP, lambda line: line.split()), (MAP, lambda w: (w, 1)),
            (PARTITION, shuffle.CombineLocally(agg))]


# ----------------------------------------------------------- recognition
def test_word_count_pipeline_is_native_end_to_end():
    plan = fastpath.plan(combine_plan())
    assert (plan.ops, plan.pair_value, plan.terminal, plan.consumed) == ([("split",), ("pair",)], 1, "combine", 3)


def test_recognised_functions_and_their_constants():
    assert fastpath.record_op(FLATMAP, str.split) == ("split",)
    assert fastpath.record_op(FILTER, lambda s: "ERROR" in s) == ("contains", "ERROR")
    assert fastpath.record_op(FILTER, lambda s: "x" not in s) == ("not_contains", "x")
    assert fastpath.record_op(FILTER, lambda s: s.startswith("GET")) == ("startswith", "GET")
    assert fastpath.record_op(FILTER, lambda s: s.endswith(".gz")) == ("endswith", ".gz")
    assert fastpath.record_op(MAP, len) == ("len",)
    assert fastpath.record_op(MAP, lambda s: len(s)) == ("len",)
    assert fastpath.record_op(MAP, lambda w: (w, 2.5)) == ("pair", 2.5)
    assert fastpath.is_add(operator.add) and fastpath.is_add(lambda a, b: a + b)


len_here = len  # noqa: E731 (a module-level name a lambda below could shadow)


class Str(str):
    def split(self):
        return ["subclass"]


@pytest.mark.parametrize("kind, f", [
    (FLATMAP, lambda s: s.split(",")),          # another body
    (FLATMAP, lambda s: s.split() + [s]),
    (MAP, lambda s: s.split()),                 # split as a map: records are lists
    (FLATMAP, Str.split),                       # a str subclass's method
    (FILTER, lambda s: b"E" in s),              # bytes constant
    (FILTER, lambda s: ("E", print(s))[0] in s),  # a side effect
    (FILTER, lambda s, c="E": c in s),          # a default argument
    (MAP, lambda w: (w, True)),                 # bool, not int
    (MAP, lambda w: (w, "1")),
    (MAP, lambda w: (w, 10 ** 30 if w else 1)),
    (MAP, lambda w: (1, w)),
    (MAP, lambda w: [w, 1]),
    (MAP, lambda s: len_here(s)),               # not the name len
    (MAP, str.upper),
])
def test_other_functions_are_not_recognised(kind, f):
    assert fastpath.record_op(kind, f) is None


def test_a_closure_over_state_is_not_recognised():
    one = 1
    needle = "E"
    assert fastpath.record_op(MAP, lambda w: (w, one)) is None
    assert fastpath.record_op(FILTER, lambda s: needle in s) is None


def test_a_shadowed_len_is_not_recognised():
    namespace = {"len": lambda s: 0}
    exec("f = lambda s: len(s)", namespace)
    assert fastpath.record_op(MAP, namespace["f"]) is None


def test_a_callable_object_is_not_recognised():
    class Splitter:
        def __call__(self, s):
            return s.split()
    assert fastpath.record_op(FLATMAP, Splitter()) is None


def test_combine_needs_reduce_by_key_with_add_after_a_pair():
    def with_agg(agg):
        return fastpath.plan([(FLATMAP, str.split), (MAP, lambda w: (w, 1)),
                              (PARTITION, shuffle.CombineLocally(agg))])
    assert with_agg(shuffle.Aggregator(rdd_module._identity, operator.add, operator.add)).terminal == "combine"
    mul = shuffle.Aggregator(rdd_module._identity, operator.mul, operator.mul)
    plan = with_agg(mul)
    assert (plan.terminal, plan.consumed) == ("records", 2)
    folded = shuffle.Aggregator(lambda v: 0 + v, operator.add, operator.add)
    assert with_agg(folded).terminal == "records"


def test_only_the_recognised_prefix_is_native():
    ops = [(FILTER, lambda s: "E" in s), (MAP, str.upper), (FLATMAP, str.split)]
    plan = fastpath.plan(ops)
    assert (plan.ops, plan.terminal, plan.consumed) == ([("contains", "E")], "records", 1)
    assert fastpath.plan([(MAP, str.upper), (FLATMAP, str.split)]) is None
    plan = fastpath.plan([(PARTITION, rdd_module._count_partition)])
    assert (plan.ops, plan.terminal, plan.consumed) == ([], "count", 1)
    # nothing follows len or a pair natively
    plan = fastpath.plan([(MAP, len), (FILTER, lambda s: "E" in s)])
    assert (plan.ops, plan.consumed) == ([("len",)], 1)


# ------------------------------------------ C++ against Python, randomly
def test_whitespace_is_pythons_for_every_code_point():
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF and chr(c) not in "\r\n"]
    lines = ["a%sb" % c for c in chars]
    program = _core.fast.TextProgram([("split",)], "records", None)
    got, count = program.records(frame(lines))
    assert count == len(lines)
    assert got == [w for line in lines for w in line.split()]


def run_python(ops, lines):
    return list(pipeline.Command(ops).compile()(0, iter(lines)))


@settings(max_examples=200, deadline=None)
@given(LINES, NEEDLES, st.sampled_from(["contains", "not_contains", "startswith", "endswith"]))
def test_filters_and_split_match_python(lines, needle, name):
    python = {"contains": lambda s: needle in s, "not_contains": lambda s: needle not in s,
              "startswith": lambda s: s.startswith(needle), "endswith": lambda s: s.endswith(needle)}[name]
    for ops, native in (([(FILTER, python)], [(name, needle)]),
                        ([(FLATMAP, str.split), (FILTER, python)], [("split",), (name, needle)]),
                        ([(FILTER, python), (MAP, len)], [(name, needle), ("len",)])):
        got, count = _core.fast.TextProgram(native, "records", None).records(frame(lines))
        assert (got, count) == (run_python(ops, lines), len(lines))
        program = _core.fast.TextProgram(native, "count", None)
        program.feed(frame(lines))
        assert program.count == len(got)


@settings(max_examples=200, deadline=None)
@given(LINES, st.sampled_from([1, 7, -3, 2 ** 63 - 1, 2 ** 62, 10 ** 40, 0.1, -2.5, 1e308]))
def test_word_count_combine_matches_python(lines, value):
    expected = {}
    for line in lines:
        for word in line.split():
            expected[word] = expected[word] + value if word in expected else value
    program = _core.fast.TextProgram([("split",), ("pair",)], "combine", value)
    program.feed(frame(lines[:len(lines) // 2]))
    program.feed(frame(lines[len(lines) // 2:]))
    got = program.take()
    assert dict(got) == expected and len(got) == len(expected)
    assert all(type(v) is type(value) for _, v in got)
    assert program.take() == []
    pairs, _ = _core.fast.TextProgram([("split",), ("pair",)], "records", value).records(frame(lines))
    assert pairs == [(w, value) for line in lines for w in line.split()]


# ------------------------------------------------------- whole jobs
WORDS = ["a", "b\u00a0c", "日本 語", "x\u2003y", "\x1cz", "ERROR é", "", "  ", "ERRORS"]


def write_lines(tmp_path, n=3000):
    path = tmp_path / "in.txt"
    path.write_text("\n".join(" ".join(WORDS[(i + j) % len(WORDS)] for j in range(i % 7)) for i in range(n)) + "\n",
                    encoding="utf-8")
    return str(path)


def jobs(sc, path):
    lines = sc.textFile(path, 3)
    return {
        "wordcount": sorted(lines.flatMap(lambda l: l.split()).map(lambda w: (w, 1)).reduceByKey(add).collect()),
        "float pairs": sorted(lines.flatMap(str.split).map(lambda w: (w, 0.1)).reduceByKey(lambda a, b: a + b)
                              .collect()),
        "errors": lines.filter(lambda l: "ERROR" in l).count(),
        "lines": lines.count(),
        "lengths": lines.map(len).sum(),
        "firsts": lines.filter(lambda l: l.startswith("日本")).map(lambda l: l[:3]).collect(),
        "grouped": sorted((k, len(v)) for k, v in lines.flatMap(str.split).map(lambda w: (w, 1)).groupByKey()
                          .collect()),
        # a union with parallelized lines: the native part hands over to Python mid-task
        "union": sorted(lines.union(sc.parallelize(["a a", "ERROR"], 1)).coalesce(1)
                        .flatMap(str.split).map(lambda w: (w, 1)).reduceByKey(add).collect()),
        "union count": lines.union(sc.parallelize(["ERROR x"], 1)).coalesce(1).filter(lambda l: "ERROR" in l).count(),
    }


def test_jobs_give_the_same_answers_with_fast_paths_on_and_off(context_with, tmp_path):
    path = write_lines(tmp_path)
    answers = []
    for enabled in ("true", "false"):
        sc = context_with({"ember.python.fastPath.enabled": enabled})
        words = sc.textFile(path).flatMap(str.split)
        assert (words._command("pickle").native is not None) == (enabled == "true")
        answers.append(jobs(sc, path))
        sc.stop()
    fast, slow = answers
    assert fast == slow
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert dict(fast["wordcount"]) == {w: text.split().count(w) for w in set(text.split())}


def test_unrecognised_functions_run_in_python_with_right_answers(sc, tmp_path):
    path = write_lines(tmp_path, 200)
    seen = sc.accumulator(0)

    def pair_and_count(w):
        seen.add(1)
        return (w, 1)
    one = 1
    counts = dict(sc.textFile(path, 2).flatMap(lambda l: l.split()).map(pair_and_count).reduceByKey(add).collect())
    closure = dict(sc.textFile(path, 2).flatMap(lambda l: l.split()).map(lambda w: (w, one)).reduceByKey(add)
                   .collect())
    with open(path, encoding="utf-8") as f:
        words = f.read().split()
    assert counts == closure == {w: words.count(w) for w in set(words)}
    assert seen.value == len(words)


def test_native_combine_flushes_at_the_worker_memory_budget(context_with, tmp_path):
    path = tmp_path / "many.txt"
    words = ["w%d" % i for i in range(80_000)]
    path.write_text(("\n".join(" ".join(words[i:i + 10]) for i in range(0, len(words), 10)) + "\n") * 2, encoding="utf-8")
    sc = context_with({"spark.python.worker.memory": "1m"})
    counts = sc.textFile(str(path), 2).flatMap(str.split).map(lambda w: (w, 3)).reduceByKey(add, 4)
    assert sorted(counts.collect()) == sorted((w, 6) for w in words)


# ------------------------------------- shuffle bucketing (emit_buckets)
from ember import hashing, worker  # noqa: E402
import pickle  # noqa: E402

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-2 ** 70, 2 ** 70),
                    st.floats(allow_nan=False), st.text(), st.binary(),
                    st.text(alphabet=st.characters(whitelist_categories=("Cs", "Ll"))))
KEYS = st.recursive(SCALARS, lambda inner: st.tuples(inner, inner) | st.tuples(inner), max_leaves=6)


def buckets_written(records, n, partition_func):
    frames = []
    written = worker._emit_buckets(iter(records), n, partition_func, lambda t, d: frames.append((t, d)))
    by_bucket = {}
    for ftype, data in frames:
        assert ftype == worker.ser.BUCKET_BATCH
        (b,) = worker.ser.U32.unpack_from(data, 0)
        by_bucket.setdefault(b, []).extend(pickle.loads(data[4:]))
    return written, by_bucket


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(KEYS, st.integers()), max_size=200), st.sampled_from([1, 2, 3, 7, 1000]))
def test_bucketing_matches_portable_hash(records, n):
    written, by_bucket = buckets_written(records, n, hashing.portable_hash)
    expected = {}
    for kv in records:
        expected.setdefault(hashing.portable_hash(kv[0]) % n, []).append(kv)
    assert written == len(records) and by_bucket == expected


def test_bucketing_with_other_partition_functions_and_bad_records():
    written, by_bucket = buckets_written([(i, str(i)) for i in range(50)], 4, lambda k: k * 3)
    assert by_bucket == {b: [(i, str(i)) for i in range(50) if i * 3 % 4 == b] for b in range(4)}
    others = [(decimal.Decimal("1.5"), 2), (frozenset([1, "a"]), 0), (("x", decimal.Decimal(2)), 1), (Str("s"), 3)]
    written, by_bucket = buckets_written(others, 5, hashing.portable_hash)
    assert by_bucket == {b: [kv for kv in others if hashing.portable_hash(kv[0]) % 5 == b]
                         for b in {hashing.portable_hash(kv[0]) % 5 for kv in others}}
    with pytest.raises(TypeError, match="not subscriptable"):
        buckets_written([(1, 2), 3], 2, hashing.portable_hash)
    with pytest.raises(TypeError, match="unhashable"):
        buckets_written([([1], 2)], 2, hashing.portable_hash)


# --------------------------------------------- grouping (group_block)
def python_group_block(table, block, chunk):
    full = []
    for k, v in block:
        values = table.get(k)
        if values is None:
            table[k] = [v]
        else:
            values.append(v)
            if chunk and len(values) >= chunk:
                full.append((k, values))
                del table[k]
    return full


def outcome(f, *args):
    try:
        return f(*args)
    except Exception as e:  # the error is part of what must match
        return type(e), str(e)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.tuples(st.integers(0, 5), st.integers()), st.lists(st.integers(0, 5), min_size=2, max_size=2),
                          st.text(max_size=3), st.tuples(st.integers(0, 5), st.integers(), st.integers()),
                          st.tuples(st.integers()), st.integers(), st.tuples(st.lists(st.integers()), st.integers())),
                max_size=40), st.sampled_from([0, 1, 3]))
def test_group_block_matches_python(records, chunk):
    native, python = {}, {}
    assert outcome(_core.fast.group_block, native, iter(records), chunk) == outcome(python_group_block, python,
                                                                                    records, chunk)
    assert native == python


# ------------------------------------------------ the hash join's probe
def python_join_pairs(table, records, keep_left, keep_right):
    """join.join_pairs as it was written in Python before join_block."""
    matched = set()
    for k, v in records:
        values = table.get(k)
        if values is None:
            if keep_left:
                yield k, (v, None)
            continue
        if keep_right:
            matched.add(k)
        for w in values:
            yield k, (v, w)
    if keep_right:
        for k, values in table.items():
            if k not in matched:
                for w in values:
                    yield k, (None, w)


JOIN_KEYS = st.one_of(st.integers(-2, 4), st.sampled_from([1.0, True, None, "a", "é", b"a", (1, "a"), 2.5]))
JOIN_RECORDS = st.one_of(st.tuples(JOIN_KEYS, st.integers()), st.lists(st.integers(0, 3), min_size=2, max_size=2),
                         st.integers(), st.tuples(st.integers()), st.tuples(JOIN_KEYS, st.integers(), st.integers()),
                         st.tuples(st.lists(st.integers(), max_size=1), st.integers()))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(JOIN_KEYS, st.one_of(st.lists(st.integers(), min_size=1, max_size=9),
                                              st.tuples(st.integers(), st.integers())), max_size=8),
       st.lists(JOIN_RECORDS, max_size=30), st.booleans(), st.booleans(), st.sampled_from([1, 2, 4096]))
def test_join_probe_matches_python(table, records, keep_left, keep_right, chunk):
    # chunk 1 and 2: lists longer than a chunk (and tuples, as a spilled
    # table's SpillableLists are not lists) are handed back and streamed
    default, join_module.JOIN_CHUNK = join_module.JOIN_CHUNK, chunk
    try:
        native = outcome(lambda: list(join_module.join_pairs(table, iter(records), keep_left, keep_right)))
    finally:
        join_module.JOIN_CHUNK = default
    python = outcome(lambda: list(python_join_pairs(table, records, keep_left, keep_right)))
    assert native == python


# ------------------------------------------------- sorting by lambda x: x
def test_identity_keys_are_recognised():
    assert fastpath.is_identity(lambda x: x) and fastpath.is_identity(lambda record: (record))
    assert not fastpath.is_identity(lambda x: -x) and not fastpath.is_identity(lambda x, y=1: x)
    assert not fastpath.is_identity(str)


def test_sort_by_identity_is_a_stable_sort_of_the_records(sc):
    # equal records of different types keep their input order, as sorted() keeps them
    data = [3, 1.0, True, 2, 1, 2.0, 0, False, 0.0, 5] * 20
    for n in (1, 3):
        assert sc.parallelize(data, 4).sortBy(lambda x: x, numPartitions=n).collect() == sorted(data)
        got = sc.parallelize(data, 4).sortBy(lambda x: x, ascending=False, numPartitions=n).collect()
        assert got == sorted(data, reverse=True)
    pairs = [(x, i) for i, x in enumerate(data)]
    assert sc.parallelize(pairs, 4).sortByKey(keyfunc=lambda k: k, numPartitions=3).collect() == \
        sorted(pairs, key=lambda kv: kv[0])


def test_a_large_command_with_native_ops_travels_as_a_broadcast(sc, tmp_path):
    path = write_lines(tmp_path, 300)
    big = b"x" * (3 << 20)  # a command over 1 MiB travels as a broadcast
    words = sc.textFile(path, 2).flatMap(str.split)
    tagged = words.map(lambda w: (w, len(big)))
    assert tagged._command("pickle").native.ops == [("split",)]
    with open(path, encoding="utf-8") as f:
        assert tagged.collect() == [(w, 3 << 20) for w in f.read().split()]
