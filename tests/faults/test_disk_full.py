"""Scenario 13: the disk fills during a shuffle and during saveAsTextFile
(a 24 MiB tmpfs in a private mount namespace): a clear error, no partial
output committed, earlier output untouched, nothing left behind."""

import os
import subprocess
import sys

from harness import PRELUDE, ROOT, ok_json


def run_in_small_disk(program, mount_point, size="24m"):
    os.makedirs(mount_point, exist_ok=True)
    code = PRELUDE.format(python=os.path.join(ROOT, "python"), local_dir=str(mount_point))
    code += program
    script = 'mount -t tmpfs -o size=%s tmpfs "$1" && exec "$2" -c "$3"' % size
    return subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", str(mount_point), sys.executable,
                           code], capture_output=True, text=True, timeout=300)


PROGRAM = """
import shutil
disk = {disk!r}
sc = make_context()
report = {{}}
sc.parallelize(range(100), 2).saveAsTextFile(os.path.join(disk, "small"))
rows = sc.parallelize(range(400000), 4).map(lambda i: (i, "%090d" % i))
try:
    rows.partitionBy(4).count()
    report["shuffle"] = "finished"
except Exception as e:
    report["shuffle"] = str(e).splitlines()[0]
try:
    rows.saveAsTextFile(os.path.join(disk, "big"))
    report["save"] = "finished"
except Exception as e:
    report["save"] = str(e).splitlines()[0]
report["big"] = sorted(os.listdir(os.path.join(disk, "big"))) if os.path.exists(os.path.join(disk, "big")) else None
report["small"] = sorted(os.listdir(os.path.join(disk, "small")))
report["small_lines"] = sum(1 for f in report["small"] if f.startswith("part-")
                            for _ in open(os.path.join(disk, "small", f)))
report["after"] = sc.parallelize(range(10), 2).count()
sc.stop()
report["left"] = [d for d in os.listdir(disk) if d.startswith("ember-")]
print(json.dumps(report))
"""


def test_disk_full_during_shuffle_and_save(tmp_path):
    disk = tmp_path / "disk"
    out = run_in_small_disk(PROGRAM.format(disk=str(disk)), disk)
    report = ok_json(out)
    assert "No space left on device" in report["shuffle"] and "shuffle_" in report["shuffle"], report
    assert "No space left on device" in report["save"] and "part-0000" in report["save"], report
    assert not report["big"] or "_SUCCESS" not in report["big"] and \
        not any(f.startswith("part-") for f in report["big"]), report
    assert report["small"] == ["_SUCCESS", "part-00000", "part-00001"]
    assert report["small_lines"] == 100
    assert report["after"] == 10
    assert report["left"] == []
