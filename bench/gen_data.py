"""Deterministic benchmark data: Zipf-distributed words (words.txt) and log
lines with ~10% ERROR (logs.txt), each about --size-mb megabytes.
Existing files of the right size are kept."""

import argparse
import os

import numpy as np


def vocabulary(n, rng):
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    lengths = rng.integers(2, 10, size=n)
    return ["".join(rng.choice(letters, size=k)) for k in lengths]


def write_words(path, size, rng):
    vocab = np.array(vocabulary(100_000, rng))
    with open(path, "w") as f:
        written = 0
        while written < size:
            ids = np.minimum(rng.zipf(1.2, size=200_000), len(vocab)) - 1
            words = vocab[ids]
            lengths = rng.integers(5, 21, size=len(words) // 5)
            pos, lines = 0, []
            for k in lengths:
                lines.append(" ".join(words[pos:pos + k]))
                pos += k
                if pos >= len(words):
                    break
            chunk = "\n".join(lines) + "\n"
            f.write(chunk)
            written += len(chunk)


def write_logs(path, size, rng):
    levels = np.array(["INFO"] * 7 + ["WARN"] * 2 + ["ERROR"])
    comps = np.array(["mysql", "php", "nginx", "cron", "auth", "cache"])
    with open(path, "w") as f:
        written, i = 0, 0
        while written < size:
            lv = rng.choice(levels, 50_000)
            cp = rng.choice(comps, 50_000)
            ms = rng.integers(1, 999, 50_000)
            chunk = "".join("2026-01-01 12:%02d:%02d %s %s request %d took %d ms\n"
                            % (j // 60 % 60, j % 60, lv[j], cp[j], i + j, ms[j]) for j in range(50_000))
            i += 50_000
            f.write(chunk)
            written += len(chunk)


def ensure(directory, size_mb):
    os.makedirs(directory, exist_ok=True)
    size = size_mb << 20
    paths = {}
    for name, writer in (("words", write_words), ("logs", write_logs)):
        path = os.path.join(directory, "%s-%dmb.txt" % (name, size_mb))
        if not os.path.exists(path) or os.path.getsize(path) < size:
            writer(path, size, np.random.default_rng(42))
        paths[name] = path
    return paths


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("directory", nargs="?", default="build/bench-data")
    p.add_argument("--size-mb", type=int, default=200)
    a = p.parse_args()
    print(ensure(a.directory, a.size_mb))
