"""The benchmark jobs, once per system. Run as
``python bench/jobs.py SYSTEM JOB INPUT``; prints one JSON line with the
answer (so systems can be checked against each other) and seconds.
The lambdas are the same for every system."""

import json
import multiprocessing
import os
import random
import sys
import time
from operator import add

split_words = lambda line: line.split()  # noqa: E731
pair = lambda w: (w, 1)  # noqa: E731
is_error = lambda line: "ERROR" in line  # noqa: E731
double = lambda x: x * 2  # noqa: E731


def inside(_):
    x, y = random.random() * 2 - 1, random.random() * 2 - 1
    return 1 if x * x + y * y <= 1 else 0


def top10(counts):
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]


# ------------------------------------------------------------------ ember
def ember_job(job, path):
    from ember import SparkContext
    sc = SparkContext("local[2]", "bench")
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
    sc.stop()
    return answer


# ------------------------------------------------------------ plain Python
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


def _mp_sum(r):
    return sum(map(double, r))


def _mp_pi(r):
    return sum(map(inside, r))


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


def main():
    system, job, path = sys.argv[1], sys.argv[2], sys.argv[3]
    t0 = time.perf_counter()
    if system == "ember":
        answer = ember_job(job, path)
    elif system == "plain":
        answer = plain_job(job, path)
    elif system == "mp":
        answer = mp_job(job, path)
    else:
        answer = dask_job(job, path, system.split("-", 1)[1])
    print(json.dumps({"seconds": time.perf_counter() - t0, "answer": answer}))


if __name__ == "__main__":
    main()
