"""addFile/addPyFile/addArchive reach every task through SparkFiles and
sys.path; TaskContext tells a task who it is."""

import os
import shutil
import sys
import tarfile
import uuid
import zipfile

import pytest

from ember import SparkFiles, TaskContext, files
from ember.errors import FileAlreadyExistsError, IllegalArgumentException, InputNotFoundError


def unique(name):
    """Files are added to the session's one context: keep names distinct."""
    return "%s_%s" % (uuid.uuid4().hex[:8], name)


def test_add_file_and_directory(sc, tmp_path):
    name = unique("words.txt")
    (tmp_path / name).write_text("alpha beta")
    sc.addFile(str(tmp_path / name))
    sc.addFile(str(tmp_path / name))  # the same file again: fine
    got = sc.parallelize(range(4), 4).map(lambda _: open(SparkFiles.get(name)).read()).collect()
    assert got == ["alpha beta"] * 4
    assert "file:%s" % (tmp_path / name) in sc.listFiles
    assert open(SparkFiles.get(name)).read() == "alpha beta"  # the driver sees it too

    folder = tmp_path / unique("conf")
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.ini").write_text("x=1")
    with pytest.raises(IllegalArgumentException, match="recursive is not turned on"):
        sc.addFile(str(folder))
    sc.addFile(str(folder), recursive=True)
    rel = os.path.join(folder.name, "sub", "a.ini")
    assert sc.parallelize([0]).map(lambda _: open(SparkFiles.get(rel)).read()).collect() == ["x=1"]
    assert "file:%s/" % folder in sc.listFiles  # a directory's URI ends in "/", as in Spark
    # SparkFiles.get gives plain absolute paths, in tasks and on the driver
    in_task = sc.parallelize([0]).map(lambda _: SparkFiles.get(name)).collect()[0]
    assert os.path.isabs(in_task) and os.path.basename(in_task) == name
    assert SparkFiles.get(name) == os.path.join(SparkFiles.getRootDirectory(), name)


def test_add_file_errors(sc, tmp_path):
    with pytest.raises(InputNotFoundError, match="does not exist"):
        sc.addFile(str(tmp_path / "nope.txt"))
    name = unique("clash.txt")
    for d in ("one", "two"):
        (tmp_path / d).mkdir()
        (tmp_path / d / name).write_text(d)
    sc.addFile(str(tmp_path / "one" / name))
    with pytest.raises(FileAlreadyExistsError, match="already registered with a different path"):
        sc.addFile(str(tmp_path / "two" / name))


def test_add_py_file_and_zip_are_importable_in_tasks(sc, tmp_path):
    mod = unique("helper").replace("-", "_")
    (tmp_path / (mod + ".py")).write_text("def triple(x):\n    return 3 * x\n")
    sc.addPyFile(str(tmp_path / (mod + ".py")))
    pkg = unique("zipped").replace("-", "_")
    with zipfile.ZipFile(tmp_path / (pkg + ".zip"), "w") as z:
        z.writestr(pkg + "/__init__.py", "NAME = 'from the zip'\n")
    sc.addPyFile(str(tmp_path / (pkg + ".zip")))

    def use(x):
        import importlib
        return importlib.import_module(mod).triple(x), importlib.import_module(pkg).NAME
    assert sc.parallelize([1, 2], 2).map(use).collect() == [(3, "from the zip"), (6, "from the zip")]
    with pytest.raises(IllegalArgumentException, match="addPyFile takes"):
        sc.addPyFile(str(tmp_path / (mod + ".py")).replace(".py", ".txt"))


def test_add_archive_is_unpacked_for_tasks(sc, tmp_path):
    src = tmp_path / "env"
    (src / "bin").mkdir(parents=True)
    (src / "bin" / "tool.cfg").write_text("version=2")
    tgz = tmp_path / (unique("env") + ".tar.gz")
    with tarfile.open(tgz, "w:gz") as t:
        t.add(src / "bin", arcname="bin")
    zipped = tmp_path / (unique("data") + ".zip")
    shutil.make_archive(str(zipped)[:-4], "zip", src)
    alias = unique("renamed")
    sc.addArchive(str(tgz))
    sc.addArchive("%s#%s" % (zipped, alias))
    read = lambda name: open(SparkFiles.get(os.path.join(name, "bin", "tool.cfg"))).read()  # noqa: E731
    assert sc.parallelize([tgz.name, alias], 2).map(read).collect() == ["version=2"] * 2
    assert "file:%s" % tgz in sc.listArchives
    assert "file:%s#%s" % (zipped, alias) in sc.listArchives
    with pytest.raises(IllegalArgumentException, match="not an archive"):
        sc.addArchive(str(src / "bin" / "tool.cfg"))


def test_jobs_name_the_added_files(sc, tmp_path):
    name, pkg = unique("names.txt"), unique("lib").replace("-", "_") + ".zip"
    (tmp_path / name).write_text("x")
    with zipfile.ZipFile(tmp_path / pkg, "w") as z:
        z.writestr("m.py", "")
    sc.addFile(str(tmp_path / name))
    sc.addPyFile(str(tmp_path / pkg))
    props = sc._job_properties()
    names = props[files.NAMES_PROPERTY].split("/")
    assert name in names and pkg in names
    assert pkg in props[files.PYTHONPATH_PROPERTY].split("/")
    assert props[files.DIR_PROPERTY] == SparkFiles.getRootDirectory()


def test_workers_use_the_local_files_directory_when_told(tmp_path):
    local = tmp_path / "executor-files"  # what exec/task_inputs.h rewrites the property to
    local.mkdir()
    (local / "lookup.txt").write_text("local copy")
    saved_root, saved_path = SparkFiles._root_directory, list(sys.path)
    properties = {files.DIR_PROPERTY: str(local), files.NAMES_PROPERTY: "lookup.txt/dep.zip",
                  files.PYTHONPATH_PROPERTY: "dep.zip", "team": "data"}
    try:
        files.prepare_worker(properties)
        assert open(SparkFiles.get("lookup.txt")).read() == "local copy"
        assert str(local) in sys.path and str(local / "dep.zip") in sys.path
    finally:
        SparkFiles._root_directory = saved_root
        sys.path[:] = saved_path
    assert properties == {"team": "data"}  # the engine's properties are not the task's


def test_cluster_tasks_read_their_executors_copies(sc, master, tmp_path):
    """In the cluster modes a task reads what its executor fetched into its
    work directory (added files, broadcasts), never the driver's
    application directory: on another machine that is not there."""
    if master.startswith("local["):
        pytest.skip("in local modes the driver's directory is the executor's")
    name = unique("where.txt")
    (tmp_path / name).write_text("x")
    sc.addFile(str(tmp_path / name))
    b = sc.broadcast("y")

    def where(_):
        from ember import broadcast
        return open(SparkFiles.get(name)).read() + b.value, SparkFiles.get(name), broadcast._local_dir

    for value, added, broadcasts in sc.parallelize(range(4), 4).map(where).collect():
        assert value == "xy"
        assert "/fetched/" in added and "/fetched/" in (broadcasts or ""), (added, broadcasts)
        assert not added.startswith(sc._engine.local_dir + "/files")


def test_task_context(sc):
    assert TaskContext.get() is None  # on the driver
    sc.setLocalProperty("team", "data")
    try:
        def describe(split, it):
            tc = TaskContext.get()
            yield (split, tc.partitionId(), tc.stageId() >= 0, tc.attemptNumber(),
                   tc.taskAttemptId() >= 0, tc.getLocalProperty("team"), tc.cpus(),
                   tc.getLocalProperty("ember.files.dir"))
        got = sc.parallelize(range(3), 3).mapPartitionsWithIndex(describe).collect()
    finally:
        sc.setLocalProperty("team", None)
    assert got == [(p, p, True, 0, True, "data", 1, None) for p in range(3)]


def test_task_cpus_reserve_slots():
    import subprocess
    import sys
    program = ("import sys, time, json; sys.path.insert(0, sys.argv[1])\n"
               "from ember import SparkConf, SparkContext, TaskContext\n"
               "try:\n"
               "    SparkContext('local[2]', conf=SparkConf().set('spark.task.cpus', '3'))\n"
               "except ValueError as e:\n"
               "    print(e)\n"
               "sc = SparkContext('local[2]', conf=SparkConf().set('spark.task.cpus', '2'))\n"
               "def span(it):\n"
               "    start = time.time(); time.sleep(0.3)\n"
               "    yield (TaskContext.get().cpus(), start, time.time())\n"
               "spans = sc.parallelize(range(2), 2).mapPartitions(span).collect()\n"
               "(c1, s1, e1), (c2, s2, e2) = sorted(spans, key=lambda s: s[1])\n"
               "print(json.dumps([c1, c2, s2 >= e1 - 0.01]))\n")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run([sys.executable, "-c", program, os.path.join(root, "python")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert "has to be >= the number of cpus per task = 3" in lines[0]
    assert lines[1] == "[2, 2, true]"  # one 2-cpu task at a time on 2 cores
