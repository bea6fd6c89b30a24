"""The benchmark jobs, once per system. Run as
``python bench/jobs.py SYSTEM JOB INPUT``; prints one JSON line with the
answer (so systems can be checked against each other), seconds and, for
some jobs, the seconds of their steps. The lambdas are the same for every
system but `python`, which is the program a Python user writes by hand in
one process, without them (`plain` runs the lambdas in one process).
`english` is word count (the same code) over English prose."""

import json
import multiprocessing
import os
import random
import sys
import time
from collections import Counter, defaultdict
from operator import add

split_words = lambda line: line.split()  # noqa: E731
pair = lambda w: (w, 1)  # noqa: E731
is_error = lambda line: "ERROR" in line  # noqa: E731
is_mysql = lambda line: "mysql" in line  # noqa: E731
is_php = lambda line: "php" in line  # noqa: E731
BROADCAST_BYTES = 500 << 20
double = lambda x: x * 2  # noqa: E731


# shuffle jobs: 5M rows, generated in place so no system pays for reading
N_ROWS = 5_000_000
N_SMALL = 500_000
keyed = lambda i: (i % 100_000, i)  # noqa: E731
spread = lambda values: max(values) - min(values)  # noqa: E731
left_row = lambda i: (i % N_SMALL, i)  # noqa: E731
right_row = lambda k: (k, k * 3)  # noqa: E731
joined = lambda kv: kv[1][0] + kv[1][1]  # noqa: E731
scramble = lambda i: (i * 7919) % N_ROWS  # noqa: E731  (a permutation of range(N_ROWS))
SORT_SAMPLE = 100_000  # the answer: every 100000th element of the sorted rows

# shuffle scale: reduce-side cost per block as reducers grow (every block
# holds BLOCK_ROWS rows), and wide shuffles of 10 rows per map task
SHUFFLE_MAPS = 1000
BLOCK_ROWS = 2
identity_pair = lambda i: (i, i)  # noqa: E731  (key i lands in bucket i % R)
mod100 = lambda x: (x % 100, x)  # noqa: E731

# the network path: the same jobs on executor processes, and the rate at
# which a job's empty tasks are dispatched, after start-up
CLUSTER_MASTER = "local-cluster[2,1,1024]"
DISPATCH_TASKS = 10_000
DISPATCH_RUNS = 3


def inside(_):
    x, y = random.random() * 2 - 1, random.random() * 2 - 1
    return 1 if x * x + y * y <= 1 else 0


class Steps:
    """Seconds of the named steps of a job, for the JSON line."""

    def __init__(self):
        self.seconds = {}
        self._t = time.perf_counter()

    def done(self, name):
        now = time.perf_counter()
        self.seconds[name] = now - self._t
        self._t = now


STEPS = Steps()


def _seconds(action):
    t = time.perf_counter()
    action()
    return time.perf_counter() - t


def top10(counts):
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]


# ------------------------------------------------------------------ ember
def ember_job(job, path, master):
    from ember import SparkContext
    sc = SparkContext(master, "bench")
    STEPS.done("start")
    if job == "wordcount":
        counts = sc.textFile(path).flatMap(split_words).map(pair).reduceByKey(add)
        answer = counts.takeOrdered(10, key=lambda kv: (-kv[1], kv[0]))
    elif job == "logs":
        answer = sc.textFile(path).filter(is_error).count()
    elif job == "sum":
        answer = sc.parallelize(range(10_000_000), 2).map(double).sum()
    elif job == "pi":
        answer = sc.parallelize(range(10_000_000), 2).map(inside).reduce(add)
    elif job == "tiny":
        answer = sc.parallelize([], 2000).count()
    elif job == "groupby":
        groups = sc.range(N_ROWS, numSlices=2).map(keyed).groupByKey()
        answer = groups.map(lambda kv: spread(kv[1])).sum()
    elif job == "join":
        right = sc.range(N_SMALL, numSlices=2).map(right_row)
        answer = sc.range(N_ROWS, numSlices=2).map(left_row).join(right).map(joined).sum()
    elif job == "sort":
        answer = sc.range(N_ROWS, numSlices=2).map(scramble).sortBy(lambda x: x).collect()[::SORT_SAMPLE]
    elif job == "logmining":
        errors = sc.textFile(path).filter(is_error).cache()
        mysql = errors.filter(is_mysql).count()
        STEPS.done("first query")
        php = errors.filter(is_php).count()
        STEPS.done("second query")
        answer = [mysql, php]
    elif job == "shuffleblocks":
        answer = {}
        for reducers in (10, 1000):
            rows = SHUFFLE_MAPS * reducers * BLOCK_ROWS
            sums = sc.range(rows, numSlices=SHUFFLE_MAPS).map(identity_pair).reduceByKey(add, reducers)
            sums.count()  # writes the map outputs
            STEPS.done("maps R=%d" % reducers)
            best = min(_seconds(sums.count) for _ in range(3))  # reusing them: reduces only
            STEPS.done("3 reduces R=%d" % reducers)
            answer["us per block R=%d" % reducers] = round(best / (SHUFFLE_MAPS * reducers) * 1e6, 2)
        answer["ratio"] = round(answer["us per block R=1000"] / answer["us per block R=10"], 2)
    elif job == "wideshuffle":
        answer = []
        for n in (2000, 5000):
            answer.append(sc.parallelize(range(10 * n), n).map(mod100).reduceByKey(add, n).count())
            STEPS.done("%dx%d" % (n, n))
    elif job == "overhead":
        # stages that run no user Python (native count and split): the
        # engine's cost per record, per core, best of 3 after a warm-up
        lines = sc.textFile(path)
        answer = {}
        for name, rdd in (("lines, count", lines), ("words, split + count", lines.flatMap(str.split))):
            records = rdd.count()
            best = min(_seconds(rdd.count) for _ in range(3))
            STEPS.done(name)
            answer[name + " ns/record/core"] = round(best * sc.defaultParallelism / records * 1e9, 1)
    elif job == "dispatch":
        sc.parallelize([], 2).count()  # the workers are up before the clock starts
        STEPS.done("warm-up")
        for i in range(DISPATCH_RUNS):
            answer = sc.parallelize([], DISPATCH_TASKS).count()
            STEPS.done("dispatch #%d" % (i + 1))
    elif job == "broadcast":
        # 500 MB used by 100 tasks: loaded once per worker, not per task
        value = sc.broadcast(b"x" * BROADCAST_BYTES)
        STEPS.done("broadcast")
        seen = sc.parallelize(range(100), 100).map(lambda _: (os.getpid(), id(value.value))).collect()
        STEPS.done("100 tasks")
        answer = {"tasks": len(seen), "copies loaded": len(set(seen))}
    if list(STEPS.seconds) == ["start"]:  # a job without steps of its own
        STEPS.done("job")
    sc.stop()
    return answer


# ------------------------------------------------------------ plain Python
def _ask_errors(errors):
    """logmining's two questions over error lines held in this process."""
    STEPS.done("start")
    mysql = sum(1 for line in errors if is_mysql(line))
    STEPS.done("first query")
    php = sum(1 for line in errors if is_php(line))
    STEPS.done("second query")
    return [mysql, php]


def plain_job(job, path):
    if job == "wordcount":
        counts = {}
        with open(path) as f:
            for line in f:
                for w in split_words(line):
                    k, v = pair(w)
                    counts[k] = add(counts[k], v) if k in counts else v
        return top10(counts)
    if job == "logs":
        with open(path) as f:
            return sum(1 for line in f if is_error(line))
    if job == "sum":
        return sum(map(double, range(10_000_000)))
    if job == "pi":
        return sum(map(inside, range(10_000_000)))
    if job == "tiny":
        return 0
    if job == "groupby":
        groups = {}
        for k, v in map(keyed, range(N_ROWS)):
            if k in groups:
                groups[k].append(v)
            else:
                groups[k] = [v]
        return sum(spread(vs) for vs in groups.values())
    if job == "join":
        right = dict(map(right_row, range(N_SMALL)))
        return sum(joined((k, (v, right[k]))) for k, v in map(left_row, range(N_ROWS)) if k in right)
    if job == "sort":
        return sorted(map(scramble, range(N_ROWS)))[::SORT_SAMPLE]
    if job == "logmining":
        with open(path) as f:
            return _ask_errors([line for line in f if is_error(line)])


# ---------------------------------- one-process Python, written by hand
def python_job(job, path):
    """Idiomatic Python without the lambdas: what one writes for one process."""
    if job == "wordcount":
        counts = Counter()
        with open(path) as f:
            for line in f:
                counts.update(line.split())
        return top10(counts)
    if job == "logs":
        with open(path) as f:
            return sum("ERROR" in line for line in f)
    if job == "sum":
        return sum(x * 2 for x in range(10_000_000))
    if job == "pi":
        hits = 0
        for _ in range(10_000_000):
            x, y = random.random() * 2 - 1, random.random() * 2 - 1
            if x * x + y * y <= 1:
                hits += 1
        return hits
    if job == "tiny":
        return 0
    if job == "groupby":
        groups = defaultdict(list)
        for i in range(N_ROWS):
            groups[i % 100_000].append(i)
        return sum(max(vs) - min(vs) for vs in groups.values())
    if job == "join":
        right = {k: k * 3 for k in range(N_SMALL)}
        total = 0
        for i in range(N_ROWS):
            k = i % N_SMALL
            if k in right:
                total += i + right[k]
        return total
    if job == "sort":
        return sorted((i * 7919) % N_ROWS for i in range(N_ROWS))[::SORT_SAMPLE]
    if job == "logmining":
        with open(path) as f:
            errors = [line for line in f if "ERROR" in line]
        STEPS.done("start")
        mysql = sum("mysql" in line for line in errors)
        STEPS.done("first query")
        php = sum("php" in line for line in errors)
        STEPS.done("second query")
        return [mysql, php]


# ------------------------------------------------------- multiprocessing
def _chunks(path, n):
    size = os.path.getsize(path)
    return [(path, i * size // n, (i + 1) * size // n) for i in range(n)]


def _read_range(path, start, end):
    with open(path, "rb") as f:
        if start:
            f.seek(start - 1)
            f.readline()
        while f.tell() < end or (start == 0 and f.tell() == 0 and end == 0):
            line = f.readline()
            if not line:
                return
            yield line.decode("utf-8")


def _mp_wordcount(args):
    counts = {}
    for line in _read_range(*args):
        for w in split_words(line):
            k, v = pair(w)
            counts[k] = add(counts[k], v) if k in counts else v
    return counts


def _mp_logs(args):
    return sum(1 for line in _read_range(*args) if is_error(line))


def _mp_errors(args):
    return [line for line in _read_range(*args) if is_error(line)]


def _mp_sum(r):
    return sum(map(double, r))


def _mp_pi(r):
    return sum(map(inside, r))


def _mp_group(r):
    groups = {}
    for k, v in map(keyed, r):
        if k in groups:
            groups[k].append(v)
        else:
            groups[k] = [v]
    return groups


def _mp_spread(groups):
    return sum(spread(vs) for vs in groups)


_right = None


def _mp_join(r):
    global _right
    if _right is None:
        _right = dict(map(right_row, range(N_SMALL)))
    return sum(joined((k, (v, _right[k]))) for k, v in map(left_row, r) if k in _right)


def _mp_sort(r):
    return sorted(map(scramble, r))


def _halves(n):
    return [range(0, n // 2), range(n // 2, n)]


def mp_job(job, path):
    with multiprocessing.Pool(2) as pool:
        if job == "wordcount":
            total = {}
            for part in pool.map(_mp_wordcount, _chunks(path, 8)):
                for k, v in part.items():
                    total[k] = total.get(k, 0) + v
            return top10(total)
        if job == "logs":
            return sum(pool.map(_mp_logs, _chunks(path, 8)))
        if job == "sum":
            return sum(pool.map(_mp_sum, [range(0, 5_000_000), range(5_000_000, 10_000_000)]))
        if job == "pi":
            return sum(pool.map(_mp_pi, [range(0, 5_000_000), range(5_000_000, 10_000_000)]))
        if job == "tiny":
            return sum(pool.map(len, [[]] * 2000))
        if job == "groupby":
            # each process groups half the rows; the parent merges the lists
            # and the pool computes the per-group results in two halves
            merged = {}
            for part in pool.map(_mp_group, _halves(N_ROWS)):
                for k, vs in part.items():
                    if k in merged:
                        merged[k].extend(vs)
                    else:
                        merged[k] = vs
            groups = list(merged.values())
            return sum(pool.map(_mp_spread, [groups[:len(groups) // 2], groups[len(groups) // 2:]]))
        if job == "join":
            # each process builds the small side itself (a broadcast join)
            return sum(pool.map(_mp_join, _halves(N_ROWS)))
        if job == "sort":
            import heapq
            return list(heapq.merge(*pool.map(_mp_sort, _halves(N_ROWS))))[::SORT_SAMPLE]
        if job == "logmining":
            # the error lines come back to the parent, which asks its questions
            return _ask_errors([line for part in pool.map(_mp_errors, _chunks(path, 8)) for line in part])


# ------------------------------------------------------------------ dask
def dask_job(job, path, scheduler):
    import dask
    import dask.bag as db
    with dask.config.set(scheduler=scheduler, num_workers=2):
        if job == "wordcount":
            bag = db.read_text(path, blocksize=32 << 20)
            counts = bag.map(str.rstrip).map(split_words).flatten().map(pair).foldby(
                lambda kv: kv[0], lambda acc, kv: acc + kv[1], 0, add, 0).compute()
            return top10(dict(counts))
        if job == "logs":
            return db.read_text(path, blocksize=32 << 20).filter(is_error).count().compute()
        if job == "sum":
            return db.from_sequence(range(10_000_000), npartitions=2).map(double).sum().compute()
        if job == "pi":
            return db.from_sequence(range(10_000_000), npartitions=2).map(inside).sum().compute()
        if job == "tiny":
            bag = db.from_sequence(range(2000), npartitions=2000)
            return bag.map_partitions(lambda p: []).count().compute()
        if job == "groupby":
            groups = db.range(N_ROWS, npartitions=2).map(keyed).groupby(lambda kv: kv[0])
            return groups.map(lambda kg: spread([v for _, v in kg[1]])).sum().compute()
        if job == "join":
            # dask.bag joins a bag with an in-memory sequence
            right = list(map(right_row, range(N_SMALL)))
            pairs = db.range(N_ROWS, npartitions=2).map(left_row).join(
                right, on_self=lambda kv: kv[0], on_other=lambda kv: kv[0])
            # join yields (other, self) tuples
            return pairs.map(lambda p: joined((p[1][0], (p[1][1], p[0][1])))).sum().compute()
        if job == "sort":
            # dask.bag has no sort: range-partition with groupby, sort each part
            parts = db.range(N_ROWS, npartitions=2).map(scramble).groupby(
                lambda x: x * 2 // N_ROWS, npartitions=2).map(lambda kg: (kg[0], sorted(kg[1])))
            return [x for _, part in sorted(parts.compute()) for x in part][::SORT_SAMPLE]
        if job == "logmining":
            errors = db.read_text(path, blocksize=32 << 20).filter(is_error).persist()
            STEPS.done("start")
            mysql = errors.filter(is_mysql).count().compute()
            STEPS.done("first query")
            php = errors.filter(is_php).count().compute()
            STEPS.done("second query")
            return [mysql, php]


def main():
    system, job, path = sys.argv[1], sys.argv[2], sys.argv[3]
    job = "wordcount" if job == "english" else job  # another input, the same job
    t0 = time.perf_counter()
    if system == "ember":
        answer = ember_job(job, path, "local[2]")
    elif system == "ember-cluster":
        answer = ember_job(job, path, CLUSTER_MASTER)
    elif system == "ember-standalone":  # the master and the secret come in EMBER_CONF
        answer = ember_job(job, path, None)
    elif system == "plain":
        answer = plain_job(job, path)
    elif system == "python":
        answer = python_job(job, path)
    elif system == "mp":
        answer = mp_job(job, path)
    else:
        answer = dask_job(job, path, system.split("-", 1)[1])
    print(json.dumps({"seconds": time.perf_counter() - t0, "answer": answer,
                      "steps": STEPS.seconds}))


if __name__ == "__main__":
    main()
