#!/usr/bin/env python3
"""Generates the settings tables of docs/configuration.md from the engine's
registry (src/ember/deploy/setting_table.cc), keeping the hand-written prose
around them. `make docs` runs it.

Contract: each table sits between a line `<!-- settings: SECTION -->` and
the next `<!-- end settings -->`; everything between is replaced by the
table of the registry's entries of that section, in registry order. Every
section of the registry must have its markers (else an error names it).
`--check` writes nothing and exits 1, naming the command, when the file
differs from what the registry generates. Needs ember._core on PYTHONPATH.
"""

import argparse
import os
import re
import sys

from ember import _core

DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "configuration.md")
BLOCK = re.compile(r"(<!-- settings: (\S+) -->\n).*?(<!-- end settings -->)", re.S)


def _type(s):
    if s["type"] == "duration":
        return "duration (bare number: %s)" % s["detail"]
    return s["type"]


def _default(s):
    if s["default_doc"]:
        return s["default_doc"]
    if s["fallback"]:
        return "`%s`" % s["fallback"]
    return "`%s`" % s["default"] if s["default"] else "—"


def _name(s):
    return "`%s`" % (s["name"][:-1] + "NAME" if s["name"].endswith(".*") else s["name"])


def table(entries):
    rows = ["| key | type | default | read by | meaning |", "|---|---|---|---|---|"]
    for s in entries:
        rows.append("| %s | %s | %s | %s | %s |" % (_name(s), _type(s), _default(s), s["scope"], s["meaning"]))
    return "\n".join(rows) + "\n"


def generate(text):
    settings = _core.settings()
    sections = {s["section"] for s in settings}
    found = set(m.group(2) for m in BLOCK.finditer(text))
    missing = sections - found
    if missing:
        raise SystemExit("docs/configuration.md has no <!-- settings: %s --> block"
                         % ", ".join(sorted(missing)))
    return BLOCK.sub(lambda m: m.group(1) + table([s for s in settings if s["section"] == m.group(2)])
                     + m.group(3), text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args()
    with open(DOC, encoding="utf-8") as f:
        current = f.read()
    wanted = generate(current)
    if args.check:
        if wanted != current:
            sys.exit("docs/configuration.md differs from the settings registry: run `make docs`")
        return
    with open(DOC, "w", encoding="utf-8") as f:
        f.write(wanted)


if __name__ == "__main__":
    main()
