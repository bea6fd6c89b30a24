"""Files added with SparkContext.addFile/addPyFile/addArchive, and
SparkFiles to find them.

The driver copies each added file (a directory with recursive=True; an
archive unpacked) into one files directory of the application. Every job
carries in its properties that directory, the names in it, and the names
of added .zip/.egg files; a worker points SparkFiles at the directory and
puts it and those archives on sys.path before the task runs. Executors
share the driver's file system in local modes; in the cluster modes an
executor fetches the named files over the network and rewrites the
directory property to its local copy (exec/task_inputs.h), so the worker
never sees the driver's path. A name is published only once its copy is
complete, and never changes content: that is what lets an executor fetch
each name once.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "lookup.txt")
>>> with open(path, "w") as f:
...     _ = f.write("42")
>>> sc.addFile(path)
>>> sc.parallelize([0]).map(lambda _: open(SparkFiles.get("lookup.txt")).read()).collect()
['42']
"""

import os
import shutil

from .errors import FileAlreadyExistsError, IllegalArgumentException, InputNotFoundError

DIR_PROPERTY = "ember.files.dir"
# Both hold names in the files directory, "/"-joined ("/" cannot occur in a name).
NAMES_PROPERTY = "ember.files.names"
PYTHONPATH_PROPERTY = "ember.files.pythonpath"  # the .zip/.egg files to import from
# Under the application directory; an executor fetches "files/<name>"
# (exec/task_inputs.cc).
DIRECTORY = "files"
_ARCHIVES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".jar")


class SparkFiles:
    """Where files added with addFile are, on the driver and in tasks."""

    _root_directory = None

    def __init__(self):
        raise NotImplementedError("Do not construct SparkFiles objects")

    @classmethod
    def get(cls, filename):
        """The absolute path of an added file (a plain path, not a URI)."""
        return os.path.abspath(os.path.join(cls.getRootDirectory(), filename))

    @classmethod
    def getRootDirectory(cls):
        if cls._root_directory is None:
            raise RuntimeError("SparkFiles: no SparkContext is active and no task is running")
        return cls._root_directory


class AddedFiles:
    """The driver's side: the files directory, what was added from where,
    and the job properties telling workers about them."""

    def __init__(self, directory):
        self.directory = directory
        self.files = {}  # name in the directory -> absolute source path
        self.archives = {}  # the same for unpacked archives
        self.python_archives = []  # names of added .zip/.egg files, for sys.path
        os.makedirs(directory, exist_ok=True)
        SparkFiles._root_directory = directory

    def add(self, path, recursive=False):
        """Copy `path` in under its base name; returns the name."""
        source = os.path.abspath(path)
        if not os.path.exists(source):
            raise InputNotFoundError("File %s does not exist" % path)
        if os.path.isdir(source) and not recursive:
            raise IllegalArgumentException(
                "Added file %s is a directory and recursive is not turned on." % path)
        name = os.path.basename(source.rstrip("/"))
        if self._added_already(self.files, name, source):
            return name
        target = os.path.join(self.directory, name)
        if os.path.isdir(source):
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
        self.files[name] = source
        return name

    def add_python(self, path):
        """addFile, plus a sys.path entry for workers and the driver: the
        directory for a .py file, the archive itself for .zip/.egg."""
        if not path.endswith((".py", ".zip", ".egg")):
            raise IllegalArgumentException(
                "addPyFile takes a .py, .zip or .egg file, not %s" % path)
        name = self.add(path)
        if name.endswith(".py"):
            _ensure_on_path([self.directory])
            return
        if name not in self.python_archives:
            self.python_archives.append(name)
        _ensure_on_path([os.path.join(self.directory, name)])

    def add_archive(self, path):
        """Unpack an archive into a directory named after it (or after the
        part behind '#', as in Spark's "env.zip#env"); returns that name."""
        path, _, alias = path.partition("#")
        source = os.path.abspath(path)
        if not os.path.isfile(source):
            raise InputNotFoundError("Archive %s does not exist" % path)
        if not source.lower().endswith(_ARCHIVES):
            raise IllegalArgumentException(
                "%s is not an archive ember can unpack (%s)" % (path, ", ".join(_ARCHIVES)))
        name = alias or os.path.basename(source)
        if not self._added_already(self.archives, name, source):
            fmt = "zip" if source.lower().endswith((".zip", ".jar")) else None
            shutil.unpack_archive(source, os.path.join(self.directory, name), fmt)
            self.archives[name] = source
        return name

    def _added_already(self, kind, name, source):
        """True if the same source was added under `name` already; False if
        `name` is new. Names are recorded (and so published to jobs) only
        once their copy is complete."""
        known = self.files.get(name) or self.archives.get(name)
        if known == source and name in kind:
            return True
        if known is not None:
            raise FileAlreadyExistsError(
                "File %s was already registered with a different path (%s)" % (name, known))
        return False

    def file_uris(self):
        """The added files as Spark lists them: "file:/abs/path", a
        directory's with a trailing "/"."""
        return ["file:%s%s" % (source, "/" if os.path.isdir(os.path.join(self.directory, name)) else "")
                for name, source in self.files.items()]

    def archive_uris(self):
        """The added archives as Spark lists them: "file:/abs/path", with
        "#name" when unpacked under another name."""
        return ["file:%s%s" % (source, "" if name == os.path.basename(source) else "#" + name)
                for name, source in self.archives.items()]

    def job_properties(self):
        props = {DIR_PROPERTY: self.directory}
        names = list(self.files) + list(self.archives)
        if names:
            props[NAMES_PROPERTY] = "/".join(names)
        if self.python_archives:
            props[PYTHONPATH_PROPERTY] = "/".join(self.python_archives)
        return props


def _ensure_on_path(entries):
    import sys
    for entry in entries:
        if entry not in sys.path:
            sys.path.insert(1, entry)


def prepare_worker(properties):
    """In a worker, before a task: SparkFiles and sys.path as the job says
    (the directory is the executor's local copy in the cluster modes)."""
    directory = properties.pop(DIR_PROPERTY, None)
    properties.pop(NAMES_PROPERTY, None)  # what the executor fetched
    python_archives = properties.pop(PYTHONPATH_PROPERTY, "")
    if directory:
        SparkFiles._root_directory = directory
        _ensure_on_path([directory] + [os.path.join(directory, name)
                                       for name in python_archives.split("/") if name])
