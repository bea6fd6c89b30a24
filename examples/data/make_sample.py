"""Generates the bundled samples (deterministic, seeded): sample.txt, ~200 KB
of English-like text from the project's own word list, and sample.log, log
lines with INFO/WARN/ERROR levels mentioning a few components.

    /usr/bin/python3 examples/data/make_sample.py examples/data
"""

import os
import random
import sys

WORDS = ("the of and to in is that it for on as with by at from this be are was "
         "engine data record partition shuffle task stage worker driver cache memory "
         "disk file line word count map reduce key value join sort group filter split "
         "river stone light garden window paper music winter summer morning evening "
         "quick slow bright dark small large early late simple clever careful").split()
LEVELS = ["INFO"] * 7 + ["WARN"] * 2 + ["ERROR"]
COMPONENTS = ["mysql", "php", "nginx", "cron", "auth", "cache"]


def make_text(rng, size):
    lines, total = [], 0
    weights = [1.0 / (i + 1) for i in range(len(WORDS))]  # Zipf-like
    while total < size:
        line = " ".join(rng.choices(WORDS, weights, k=rng.randint(4, 14)))
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines) + "\n"


def make_log(rng, n):
    out = []
    for i in range(n):
        level, comp = rng.choice(LEVELS), rng.choice(COMPONENTS)
        out.append("2026-01-01 %02d:%02d:%02d %s %s request %d took %d ms"
                   % (i // 3600 % 24, i // 60 % 60, i % 60, level, comp, i, rng.randint(1, 900)))
    return "\n".join(out) + "\n"


def main(directory):
    rng = random.Random(2026)
    with open(os.path.join(directory, "sample.txt"), "w") as f:
        f.write(make_text(rng, 200_000))
    with open(os.path.join(directory, "sample.log"), "w") as f:
        f.write(make_log(rng, 5000))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
