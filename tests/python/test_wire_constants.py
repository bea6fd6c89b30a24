"""Constants the C++ engine and the Python side must agree on, read from
the C++ headers that define them: the frame types of the worker protocol
(src/ember/common/frame.h, ember/serializers.py) and the engine's status
codes (src/ember/common/status.h, ember/errors.py)."""

import os
import re

from ember import errors, serializers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def enum_members(header, enum):
    """{UPPER_SNAKE name: value} of `enum class <enum>` in a header under
    src/ember/common; members without a value count on from the last."""
    with open(os.path.join(ROOT, "src", "ember", "common", header)) as f:
        text = f.read()
    body = re.search(r"enum class %s\b[^{]*\{(.*?)\};" % enum, text, re.S).group(1)
    body = re.sub(r"//[^\n]*", "", body)
    members, value = {}, -1
    for item in filter(None, (part.strip() for part in body.split(","))):
        name, _, given = item.partition("=")
        value = int(given.strip(), 0) if given.strip() else value + 1
        camel = name.strip()[1:]  # kPickleBatch -> PickleBatch
        members[re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", camel).upper()] = value
    return members


def test_frame_types_match_the_engine():
    frames = enum_members("frame.h", "FrameType")
    assert frames["PICKLE_BATCH"] == 1 and frames["METRICS"] == 17  # the parse itself
    python_side = {name: getattr(serializers, name) for name in frames if hasattr(serializers, name)}
    # every frame a Python worker reads or writes; OUTPUT_FILE is the
    # engine's own (a text-output task's result)
    assert set(frames) - set(python_side) == {"OUTPUT_FILE"}
    assert python_side == {name: frames[name] for name in python_side}


def test_status_codes_match_the_engine():
    codes = enum_members("status.h", "StatusCode")
    assert codes["OK"] == 0 and codes["INTERNAL"] == 9  # the parse itself
    python_side = {name: getattr(errors, "_" + name) for name in codes if hasattr(errors, "_" + name)}
    assert set(codes) - set(python_side) == {"OK"}
    assert python_side == {name: codes[name] for name in python_side}
