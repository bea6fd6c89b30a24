"""Deterministic benchmark data, each file about --size-mb megabytes:
Zipf-distributed words (words-*.txt), log lines with ~10% ERROR
(logs-*.txt), and real English prose (english-*.txt).
Existing files of the right size are kept.

The English text needs no network: its sentences come from prose every
Debian 12 machine that runs ember has -- the licence texts of base-files
(/usr/share/common-licenses, symlinks skipped) and the docstrings of the
Python standard library's top-level modules (/usr/lib/python3.11/*.py),
read in sorted order; paragraphs with doctest examples or indented lines
(code) are skipped. Each paragraph's whitespace is collapsed to single
spaces (so Python's str.split and an ASCII-whitespace split agree), it is
cut into sentences, one per line (about 9,000 sentences, 0.7 MB, 15,000
distinct words), and the sentences are written in a fresh shuffle (fixed
seed) round after round up to the size. Mostly ASCII, with the few
non-ASCII characters those texts have (quotes, pi, an emoji)."""

import argparse
import ast
import glob
import os
import re
import sysconfig

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


LICENSES = "/usr/share/common-licenses"
INDENTED = re.compile(r"^[ \t]", re.M)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def prose():
    """The texts the English corpus is cut from, in a fixed order."""
    for name in sorted(os.listdir(LICENSES)):
        path = os.path.join(LICENSES, name)
        if os.path.isfile(path) and not os.path.islink(path):
            with open(path, encoding="utf-8") as f:
                yield f.read()
    for path in sorted(glob.glob(os.path.join(sysconfig.get_paths()["stdlib"], "*.py"))):
        with open(path, "rb") as f:
            tree = ast.parse(f.read())
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                yield ast.get_docstring(node) or ""


def english_sentences():
    sentences = []
    for text in prose():
        for paragraph in text.split("\n\n"):
            if ">>>" not in paragraph and not INDENTED.search(paragraph):  # not code
                sentences += SENTENCE_END.split(" ".join(paragraph.split()))
    return [s for s in sentences if s]


def write_english(path, size, rng):
    sentences = english_sentences()
    with open(path, "w", encoding="utf-8") as f:
        written = 0
        while written < size:
            chunk = "".join(sentences[i] + "\n" for i in rng.permutation(len(sentences))).encode("utf-8")
            f.buffer.write(chunk)
            written += len(chunk)


def ensure(directory, size_mb):
    os.makedirs(directory, exist_ok=True)
    size = size_mb << 20
    paths = {}
    for name, writer in (("words", write_words), ("logs", write_logs), ("english", write_english)):
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
