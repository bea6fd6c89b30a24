"""SparkContext: the entry point, holding one engine (ember._core.Engine).

Behaves like PySpark's: one active context per process (a second raises),
``getOrCreate``, use as a context manager, ``stop()`` (idempotent; later
calls on the context raise), and the same creation methods and defaults.
"""

import atexit
import getpass
import io
import itertools
import os
import pickle
import sys
import threading
import time
import uuid
import weakref

from . import (_core, accumulators, broadcast, errors, files, hadoop_formats, log, pickle_file, progress,
               pyspark_aliases, settings, status)
from . import serializers as ser
from .conf import SparkConf
from .ui import LISTEN_FROM_START
from .serializer_classes import context_serializer

__version__ = "0.1.0"
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _ember_program():
    """The `ember` program executor processes run: $EMBER_EXECUTABLE, the
    copy a pip install puts in the package, or the build tree's."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.environ.get("EMBER_EXECUTABLE"), os.path.join(here, "bin", "ember"),
                      os.path.join(os.path.dirname(_PACKAGE_PARENT), "build", "ember")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return ""


def python_path_entry(py_file):
    """The sys.path entry that makes a --py-files file importable: a .py
    file's directory, a .zip or .egg itself (absolute)."""
    py_file = os.path.abspath(py_file)
    return os.path.dirname(py_file) if py_file.endswith(".py") else py_file


def _items(data, lo, hi, step=1 << 16):
    """The items of data[lo:hi], a list, copied a short slice at a time (an
    islice would walk the list from its start for every slice)."""
    return itertools.chain.from_iterable(data[i:min(i + step, hi)] for i in range(lo, hi, step))


class SparkContext:
    """The connection to an ember engine, used to create RDDs.

    >>> sc.parallelize(range(5)).map(lambda x: x * x).collect()
    [0, 1, 4, 9, 16]
    """

    _active_context = None
    _lock = threading.RLock()

    def __init__(self, master=None, appName=None, sparkHome=None, pyFiles=None,
                 environment=None, batchSize=0, serializer=None, conf=None,
                 gateway=None, jsc=None, profiler_cls=None, udf_profiler_cls=None,
                 memory_profiler_cls=None):
        with SparkContext._lock:
            active = SparkContext._active_context
            if active is not None:
                raise ValueError(
                    "Cannot run multiple SparkContexts at once; existing SparkContext(app=%s, "
                    "master=%s) is still active: call stop() on it first"
                    % (active.appName, active.master))
            self._set_serializer(serializer, batchSize)
            self._conf = conf if conf is not None else SparkConf()
            if master:
                self._conf.setMaster(master)
            if appName:
                self._conf.setAppName(appName)
            if sparkHome:
                self._conf.setSparkHome(sparkHome)
            self.sparkHome = self._conf.get("spark.home")  # None unless given
            self._conf.setIfMissing("spark.master", "local[*]")
            self._conf.setIfMissing("spark.app.name", "ember")
            for key, value in (environment or {}).items():
                self._conf.setExecutorEnv(key, value)
            self._conf.setIfMissing("spark.pyspark.python",
                                    os.environ.get("PYSPARK_PYTHON", sys.executable))
            if settings.get(self._conf, "spark.log.level"):
                log.set_level(settings.get(self._conf, "spark.log.level"))
            self._fast_paths = settings.get(self._conf, "ember.python.fastPath.enabled")
            self.profiler_collector = None
            if settings.get(self._conf, "spark.python.profile"):
                from . import profiler
                self.profiler_collector = profiler.ProfilerCollector(
                    profiler_cls or profiler.BasicProfiler, udf_profiler_cls or profiler.UDFBasicProfiler,
                    memory_profiler_cls, settings.get(self._conf, "spark.python.profile.dump"))
            engine_conf = dict(self._conf.getAll())
            py_files = self._py_file_paths(pyFiles)
            # Executor processes may run on other machines: they get the
            # py-files through addPyFile below, not as driver paths.
            master = self._conf.get("spark.master")
            local = master == "local" or master.startswith("local[")
            engine_conf["ember.pythonpath"] = ":".join([_PACKAGE_PARENT] + (py_files if local else []))
            engine_conf.setdefault("ember.executable", _ember_program())
            if settings.get(self._conf, "spark.ui.enabled"):
                engine_conf[LISTEN_FROM_START] = "true"
            if os.environ.get(pyspark_aliases.ENV) == "1":  # pyspark imports served by ember
                engine_conf["spark.executorEnv." + pyspark_aliases.ENV] = "1"
            try:
                self._engine = _core.Engine(engine_conf)
            except _core.EngineError as e:
                raise errors.translate(e) from None
            self._stopped = False
            self._start_time = int(time.time() * 1000)
            self._local = threading.local()
            self._accumulator_lock = threading.Lock()
            self._checkpoint_dir = None
            self._files = files.AddedFiles(os.path.join(self._engine.local_dir, files.DIRECTORY))
            if not local:
                for path in self._py_file_list(pyFiles):
                    self._files.add_python(path)
            self._next_broadcast = itertools.count()
            self._broadcasts = weakref.WeakValueDictionary()  # id -> Broadcast not destroyed
            self._progress = progress.for_context(self._conf, self._engine)
            self._ui = self._start_ui()
            SparkContext._active_context = self
        atexit.register(self._stop_at_exit)

    def _start_ui(self):
        """The web UI (ember.ui.live), or None with spark.ui.enabled=false;
        a UI that cannot start (a bad spark.ui.port, every port taken)
        stops the engine and fails the context, as in Spark. Imported
        here, after the engine started its Python daemon, so the two overlap."""
        from .ui import live as live_ui
        try:
            return live_ui.start(dict(self._conf.getAll()), self._engine, self.appName,
                                 getpass.getuser(), self._start_time, __version__)
        except (OSError, ValueError) as e:
            if self._progress is not None:
                self._progress.stop()
            self._engine.stop()
            if isinstance(e, ValueError):
                raise errors.IllegalArgumentException(str(e)) from None
            raise

    def _set_serializer(self, serializer, batchSize):
        """serializer/batchSize as PySpark reads them: ``self.serializer`` is
        the batching serializer records travel in. The default (pickle,
        automatic batches) keeps ember's own pickled batches; any other
        choice names itself in each batch (serializers.encode_serialized_batch)."""
        self.serializer = context_serializer(serializer, batchSize)
        self._unbatched_serializer = self.serializer.serializer
        self._batchSize = batchSize
        default = batchSize == 0 and type(self._unbatched_serializer) in (
            ser.PickleSerializer, ser.CloudPickleSerializer)
        self._serializer_tag = None if default else ser.serializer_tag(self.serializer)

    def _encode_slice(self, records):
        """One parallelized slice as the engine keeps it: PICKLE_BATCH frames
        back to back. A range is one frame holding the range itself; other
        records go in the workers' adaptive batches, so that a task streams
        its slice to its worker a batch at a time and the records are never
        copied into a list of the slice."""
        out = io.BytesIO()

        def emit(payload):
            ser.write_frame(out, ser.PICKLE_BATCH, payload)
        if isinstance(records, range):
            emit(ser.dumps(records) if self._serializer_tag is None
                 else ser.encode_serialized_batch(self._serializer_tag, records))
        elif self._serializer_tag is None:
            ser.write_batches(records, emit)
        else:
            ser.write_serialized_batches(records, self._serializer_tag, emit)
        return out.getvalue()

    def _py_file_list(self, pyFiles):
        """The absolute paths of --py-files / pyFiles (each must exist)."""
        files = list(pyFiles or [])
        files += [f for f in (settings.get(self._conf, "spark.submit.pyFiles") or "").split(",") if f]
        for f in files:
            if not os.path.exists(f):
                raise errors.InputNotFoundError("Python file does not exist: %s" % os.path.abspath(f))
        return [os.path.abspath(f) for f in files]

    def _py_file_paths(self, pyFiles):
        """sys.path entries for --py-files / pyFiles: a .py file's directory,
        a .zip or .egg itself. Added for the driver (and, in local modes,
        the workers)."""
        paths = []
        for f in self._py_file_list(pyFiles):
            entry = python_path_entry(f)
            if entry not in paths:
                paths.append(entry)
            if entry not in sys.path:
                sys.path.insert(1, entry)
        return paths

    # ----------------------------------------------------------------- info
    @property
    def master(self):
        return self._conf.get("spark.master")

    @property
    def appName(self):
        return self._conf.get("spark.app.name")

    @property
    def version(self):
        return __version__

    @property
    def applicationId(self):
        return self._engine.app_id

    @property
    def uiWebUrl(self):
        """The web UI's address, "http://127.0.0.1:<port>"; None when
        spark.ui.enabled is false."""
        return self._ui.url if self._ui is not None else None

    @property
    def startTime(self):
        return self._start_time

    @property
    def defaultParallelism(self):
        value = settings.get(self._conf, "spark.default.parallelism")
        return value if value is not None else self._engine.default_parallelism

    @property
    def defaultMinPartitions(self):
        return min(self.defaultParallelism, 2)

    @property
    def resources(self):
        """The resources (GPUs...) of the driver, by name: none, as ember
        discovers no custom resources."""
        return {}

    def sparkUser(self):
        return getpass.getuser()

    def getConf(self):
        copy = SparkConf(loadDefaults=False)
        copy.setAll(self._conf.getAll())
        return copy

    def setLogLevel(self, logLevel):
        """Spark's level names: the driver's Python loggers ("ember" and
        children) and engine, and the executors from their next task (log.py)."""
        log.set_level(logLevel)

    @classmethod
    def getOrCreate(cls, conf=None):
        with cls._lock:
            if cls._active_context is None:
                cls(conf=conf)
            return cls._active_context

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def __repr__(self):
        return "<SparkContext master=%s appName=%s>" % (self.master, self.appName)

    def __reduce__(self):
        # SPARK-5063: the context lives on the driver only; a closure that
        # captures it fails here, before a task is built, with PySpark's advice.
        raise RuntimeError(
            "SparkContext can only be used on the driver, not in code that runs on workers "
            "(a broadcast variable, an action or a transformation referenced it; see SPARK-5063)")

    # ---------------------------------------------------------- lifecycle
    def stop(self):
        with SparkContext._lock:
            if self._stopped:
                return
            self._stopped = True
            if self._progress is not None:
                self._progress.stop()
            self._engine.stop()
            if self._ui is not None:  # after the engine: its event reader has returned
                self._ui.stop()
            if SparkContext._active_context is self:
                SparkContext._active_context = None
        collector = self.profiler_collector
        if collector is not None and collector.profile_dump_path:
            collector.dump_profiles(collector.profile_dump_path)  # spark.python.profile.dump

    def _stop_at_exit(self):
        if not self._stopped:
            self.stop()

    # ------------------------------------------------------ creating RDDs
    def parallelize(self, c, numSlices=None):
        """Distribute a local collection; slices as PySpark's (glom matches).

        >>> sc.parallelize(range(7), 3).glom().collect()
        [[0, 1], [2, 3], [4, 5, 6]]
        """
        from .rdd import SourceRDD
        n = self.defaultParallelism if numSlices is None else int(numSlices)
        if n < 1:
            raise errors.IllegalArgumentException("Positive number of partitions required, got %d" % n)
        # A list or range is sliced in place, other collections as their
        # list (as in PySpark); each slice is encoded and handed over before
        # the next is made, so the driver never holds them all twice.
        data = c if isinstance(c, (range, list)) else list(c)
        size = len(data)
        bounds = [(i * size // n, (i + 1) * size // n) for i in range(n)]
        if isinstance(data, range):
            slices = (data[lo:hi] for lo, hi in bounds)
        else:
            slices = (_items(data, lo, hi) for lo, hi in bounds)
        node = self._call(self._engine.add_parallel, map(self._encode_slice, slices))
        return SourceRDD(self, node, kind="ParallelCollectionRDD")

    def range(self, start, end=None, step=1, numSlices=None):
        """``parallelize(range(start, end, step))``; one argument is the end.

        >>> sc.range(1, 7, 2).collect()
        [1, 3, 5]
        >>> sc.range(5).toDebugString()
        b'...PythonRDD...ParallelCollectionRDD...'
        """
        if end is None:
            start, end = 0, start
        values = range(start, end, step)
        n = self.defaultParallelism if numSlices is None else int(numSlices)
        size = len(values)

        def slice_of(split, iterator):
            # As PySpark: each task makes its slice, over empty partitions,
            # so the lineage reads PythonRDD over ParallelCollectionRDD.
            return iter(values[split * size // n:(split + 1) * size // n])
        return self.parallelize([], n).mapPartitionsWithIndex(slice_of)

    def emptyRDD(self):
        from .rdd import SourceRDD
        return SourceRDD(self, self._call(self._engine.add_parallel, []), kind="EmptyRDD")

    def textFile(self, name, minPartitions=None, use_unicode=True):
        """Lines of text files: a path, directory, glob or comma-separated list;
        .gz/.bz2/.zst/.lz4 read transparently."""
        from .rdd import SourceRDD
        n = self.defaultMinPartitions if minPartitions is None else int(minPartitions)
        node = self._call(self._engine.add_text_file, str(name), n, bool(use_unicode))
        return SourceRDD(self, node, kind="MapPartitionsRDD", name=str(name))

    def wholeTextFiles(self, path, minPartitions=None, use_unicode=True):
        """(path, contents) of each file; contents are bytes if use_unicode=False."""
        from .rdd import SourceRDD
        n = self.defaultMinPartitions if minPartitions is None else int(minPartitions)
        node = self._call(self._engine.add_whole_files, str(path), n, bool(use_unicode))
        return SourceRDD(self, node, kind="MapPartitionsRDD", name=str(path))

    def binaryFiles(self, path, minPartitions=None):
        """(path, bytes) of each file."""
        return self.wholeTextFiles(path, minPartitions, use_unicode=False)

    def binaryRecords(self, path, recordLength):
        """Fixed-length records of flat binary files, as bytes: each file's
        length must be a multiple of recordLength."""
        from .rdd import SourceRDD
        node = self._call(self._engine.add_binary_records, str(path), int(recordLength),
                          self.defaultMinPartitions)
        return SourceRDD(self, node, kind="MapPartitionsRDD")

    def sequenceFile(self, path, keyClass=None, valueClass=None, keyConverter=None,
                     valueConverter=None, minSplits=None, batchSize=0):
        """(key, value) records of Hadoop SequenceFiles (any compression),
        split at sync markers, their Writables converted as PySpark converts
        them (ember/writables.py). keyClass/valueClass, when given, must be
        the classes the files hold."""
        from .rdd import SourceRDD
        hadoop_formats.check_no_converters(keyConverter, valueConverter)
        n = self.defaultMinPartitions if minSplits is None else int(minSplits)
        node = self._call(self._engine.add_sequence_file, str(path), n, keyClass or "", valueClass or "")
        return SourceRDD(self, node, kind="MapPartitionsRDD")

    def pickleFile(self, name, minPartitions=None):
        """The records saved by saveAsPickleFile, by ember or by PySpark."""
        from . import writables
        n = self.defaultMinPartitions if minPartitions is None else int(minPartitions)
        node = self._call(self._engine.add_sequence_file, str(name), n, writables.NULL, writables.BYTES)
        from .rdd import SourceRDD
        path = str(name)
        return SourceRDD(self, node, kind="MapPartitionsRDD").flatMap(
            lambda kv: pickle_file.decode_value(kv[1], path))

    def hadoopFile(self, path, inputFormatClass, keyClass, valueClass, keyConverter=None,
                   valueConverter=None, conf=None, batchSize=0):
        """Records of a Hadoop input format named by class (either API):
        SequenceFileInputFormat, TextInputFormat ((byte offset, line)) and
        KeyValueTextInputFormat ((key, value) split at the first separator,
        mapreduce.input.keyvaluelinerecordreader.key.value.separator)."""
        from .rdd import SourceRDD
        kind = hadoop_formats.input_kind(inputFormatClass)
        if kind == "sequence":
            return self.sequenceFile(path, keyClass, valueClass, keyConverter, valueConverter)
        hadoop_formats.check_no_converters(keyConverter, valueConverter)
        hadoop_formats.check_line_records(conf)
        if kind == "text":
            node = self._call(self._engine.add_text_file, str(path), self.defaultMinPartitions,
                              True, True)
            return SourceRDD(self, node, kind="MapPartitionsRDD")
        separator = hadoop_formats.setting(conf, hadoop_formats.KEY_VALUE_SEPARATOR, "\t")
        return self.textFile(path).map(hadoop_formats.key_value_split(separator))

    def newAPIHadoopFile(self, path, inputFormatClass, keyClass, valueClass, keyConverter=None,
                         valueConverter=None, conf=None, batchSize=0):
        """As hadoopFile, for the new-API (mapreduce) input format names."""
        return self.hadoopFile(path, inputFormatClass, keyClass, valueClass, keyConverter,
                               valueConverter, conf, batchSize)

    def hadoopRDD(self, inputFormatClass, keyClass, valueClass, keyConverter=None,
                  valueConverter=None, conf=None, batchSize=0):
        """As hadoopFile, the input path read from the Hadoop conf dict
        (mapreduce.input.fileinputformat.inputdir or mapred.input.dir)."""
        path = hadoop_formats.setting(conf, hadoop_formats.INPUT_DIR)
        if not path:
            raise errors.EmberError("hadoopRDD: the conf names no input path (%s)"
                                    % " or ".join(hadoop_formats.INPUT_DIR))
        return self.hadoopFile(path, inputFormatClass, keyClass, valueClass, keyConverter,
                               valueConverter, conf, batchSize)

    def newAPIHadoopRDD(self, inputFormatClass, keyClass, valueClass, keyConverter=None,
                        valueConverter=None, conf=None, batchSize=0):
        """As hadoopRDD, for the new-API (mapreduce) input format names."""
        return self.hadoopRDD(inputFormatClass, keyClass, valueClass, keyConverter,
                              valueConverter, conf, batchSize)

    def union(self, rdds):
        """The union of a list of RDDs (duplicates kept). When all of them
        have the same partitioner, partition i of the union is partition i
        of each, and the union keeps the partitioner.

        >>> sc.union([sc.parallelize([1]), sc.parallelize([2, 3])]).collect()
        [1, 2, 3]
        """
        from .rdd import SourceRDD
        rdds = list(rdds)
        if not rdds:
            raise ValueError("union() needs at least one RDD")
        node = self._call(self._engine.add_union, [r._node_id() for r in rdds])
        partitioner = rdds[0].partitioner
        if partitioner is None or any(r.partitioner != partitioner for r in rdds):
            return SourceRDD(self, node, rdds, kind="UnionRDD")
        n = partitioner.numPartitions
        groups = [[i + j * n for j in range(len(rdds))] for i in range(n)]
        try:
            aligned = self._call(self._engine.add_coalesce, node, groups)
        finally:  # the aligned node holds the union from now on
            self._engine.release_node(node)
        return SourceRDD(self, aligned, rdds, partitioner=partitioner, kind="PartitionerAwareUnionRDD")

    def broadcast(self, value):
        """A read-only value for tasks: pickled once here, loaded once per
        worker process on first ``.value`` (see broadcast.py)."""
        self._call(lambda: None)  # raises on a stopped context
        directory = os.path.join(self._engine.local_dir, broadcast.DIRECTORY)
        return broadcast.Broadcast._create(self, next(self._next_broadcast), directory, value)

    def accumulator(self, value, accum_param=None):
        """A shared variable tasks add to; read ``.value`` on the driver.

        >>> acc = sc.accumulator(0)
        >>> sc.parallelize(range(10)).foreach(lambda x: acc.add(x))
        >>> acc.value
        45
        """
        if accum_param is None:
            if isinstance(value, bool) or not isinstance(value, (int, float, complex)):
                raise TypeError("No default accumulator param for type %s" % type(value).__name__)
            accum_param = {int: accumulators.INT_ACCUMULATOR_PARAM,
                           float: accumulators.FLOAT_ACCUMULATOR_PARAM,
                           complex: accumulators.COMPLEX_ACCUMULATOR_PARAM}[type(value)]
        return accumulators.new_accumulator(value, accum_param)

    # ---------------------------------------------------------------- files
    def addFile(self, path, recursive=False):
        """Make a file (a directory with recursive=True) available to every
        task as ``SparkFiles.get(basename)``."""
        self._files.add(path, recursive)

    def addPyFile(self, path):
        """addFile for a .py, .zip or .egg, which tasks (and the driver) can
        then import from."""
        self._files.add_python(path)

    def addArchive(self, path):
        """An archive (.zip, .tar.gz, .tgz, .tar, ...) unpacked for every task
        into ``SparkFiles.get(name)``, name being its base name or the part
        after '#' ("env.tar.gz#env")."""
        self._files.add_archive(path)

    @property
    def listFiles(self):
        """The files added with addFile/addPyFile, as file: URIs (a
        directory's ending in "/"), as PySpark lists them."""
        return self._files.file_uris()

    @property
    def listArchives(self):
        """The archives added with addArchive, as file: URIs."""
        return self._files.archive_uris()

    # ------------------------------------------------------------ profiling
    def show_profiles(self):
        """Print the statistics of every profiled RDD (spark.python.profile=true)
        through its profiler's show()."""
        self._require_profiler().show_profiles()

    def dump_profiles(self, path):
        """Write each profiled RDD's statistics through its profiler's dump()
        (BasicProfiler: path/rdd_<id>.pstats)."""
        self._require_profiler().dump_profiles(path)

    def _require_profiler(self):
        if self.profiler_collector is None:
            raise RuntimeError("'spark.python.profile' configuration must be set to 'true' "
                               "to enable Python profile.")
        return self.profiler_collector

    def _new_profile(self):
        """A profiler for a new Python node, or None."""
        return None if self.profiler_collector is None else self.profiler_collector.new_profiler(self)

    def _profile_node(self, node, command):
        if command.profile is not None:
            self.profiler_collector.add_profiler(node, command.profile)

    # ---------------------------------------------------------- checkpoints
    def setCheckpointDir(self, dirName):
        """Where RDD.checkpoint() writes: a new subdirectory of dirName,
        named by a random UUID as in Spark; dirName may be on any file
        system (hdfs://, s3a://, ...)."""
        name = str(dirName)
        if "://" in name:
            self._checkpoint_dir = "%s/%s" % (name.rstrip("/"), uuid.uuid4())
            return
        path = os.path.join(os.path.abspath(name), str(uuid.uuid4()))
        os.makedirs(path)
        self._checkpoint_dir = path

    def getCheckpointDir(self):
        return self._checkpoint_dir

    def _checkpointFile(self, name):
        """An RDD read back from a checkpoint directory (RDD.getCheckpointFile()),
        also one written by an earlier context."""
        from .rdd import SourceRDD
        files = [f for f in self._call(self._engine.list_input_files, str(name))
                 if f.rsplit("/", 1)[-1].startswith("part-")]
        return SourceRDD(self, self._call(self._engine.add_checkpoint, files), kind="ReliableCheckpointRDD")

    def _save_as_frame_files(self, rdd, path):
        """Run the job writing each partition of `rdd` as a frame file
        part-NNNNN under `path` (a checkpoint); their paths."""
        try:
            self._job(self._engine.save_as_frame_files, rdd._node_id(), str(path), self._job_properties())
        finally:
            self._apply_accumulator_updates()
        return ["%s/part-%05d" % (path, p) for p in range(rdd.getNumPartitions())]

    # --------------------------------------------------------- running jobs
    def runJob(self, rdd, partitionFunc, partitions=None, allowLocal=False):
        """Run ``partitionFunc(iterator)`` on the given partitions; return all
        the results as one list."""
        mapped = rdd.mapPartitions(partitionFunc)
        return list(self._run(mapped, partitions))

    # --------------------------------------------------------- job control
    def cancelAllJobs(self):
        self._engine.cancel_all_jobs()

    def setJobGroup(self, groupId, description, interruptOnCancel=False):
        """Put the jobs this thread starts from now on in a group, which
        cancelJobGroup cancels (ember always stops a cancelled job's running
        workers, whatever interruptOnCancel says)."""
        self.setLocalProperty("spark.jobGroup.id", groupId)
        self.setLocalProperty("spark.job.description", description)
        self.setLocalProperty("spark.job.interruptOnCancel", str(bool(interruptOnCancel)).lower())

    def clearJobGroup(self):
        for key in ("spark.jobGroup.id", "spark.job.description", "spark.job.interruptOnCancel"):
            self.setLocalProperty(key, None)

    def cancelJobGroup(self, groupId):
        """Cancel the running jobs of a group; each raises JobCancelledError
        in the thread that started it."""
        self._engine.cancel_job_group(str(groupId))

    def setJobDescription(self, value):
        self.setLocalProperty("spark.job.description", value)

    def setInterruptOnCancel(self, interruptOnCancel):
        self.setLocalProperty("spark.job.interruptOnCancel", str(bool(interruptOnCancel)).lower())

    def addJobTag(self, tag):
        """Tag the jobs this thread starts from now on (cancelJobsWithTag).

        >>> sc.addJobTag("nightly"); sorted(sc.getJobTags())
        ['nightly']
        >>> sc.clearJobTags(); sc.getJobTags()
        set()
        """
        if not tag:
            raise errors.IllegalArgumentException("Spark job tag cannot be an empty string.")
        if "," in tag:
            raise errors.IllegalArgumentException("Spark job tag cannot contain ','.")
        self._set_job_tags(self.getJobTags() | {tag})

    def removeJobTag(self, tag):
        self._set_job_tags(self.getJobTags() - {tag})

    def getJobTags(self):
        tags = self.getLocalProperty("spark.job.tags")
        return set(tags.split(",")) if tags else set()

    def clearJobTags(self):
        self._set_job_tags(set())

    def _set_job_tags(self, tags):
        self.setLocalProperty("spark.job.tags", ",".join(sorted(tags)) or None)

    def cancelJobsWithTag(self, tag):
        self._engine.cancel_jobs_with_tag(str(tag))

    def statusTracker(self):
        return status.StatusTracker(self)

    def setLocalProperty(self, key, value):
        props = self._properties()
        if value is None:
            props.pop(key, None)
        else:
            props[key] = str(value)

    def getLocalProperty(self, key):
        return self._properties().get(key)

    def _properties(self):
        props = getattr(self._local, "properties", None)
        if props is None:
            props = self._local.properties = {}
        return props

    def _get_local_properties(self):
        """A copy of this thread's local properties (ember.util's threads)."""
        return dict(self._properties())

    def _set_local_properties(self, properties):
        """Replace this thread's local properties by a copy of `properties`."""
        self._local.properties = dict(properties)

    def _job_properties(self):
        """What a job carries to its tasks: the thread's local properties and
        the broadcasts workers may keep copies of."""
        props = dict(self._properties())
        if "callSite.short" not in props:  # a stage's name, as in Spark: "count at job.py:12"
            from .rdd import _call_site
            props["callSite.short"] = _call_site()
        props.update(self._files.job_properties())
        props[broadcast.LIVE_PROPERTY] = broadcast.live_property(self._broadcasts)
        return props

    def _call(self, fn, *args):
        if self._stopped:
            raise errors.IllegalArgumentException(
                "SparkContext has been stopped: create a new one")
        try:
            return fn(*args)
        except _core.EngineError as e:
            raise errors.translate(e) from None

    def _job(self, fn, *args):
        """_call for an engine call that runs a job: the progress bar is
        cleared before the caller goes on."""
        try:
            return self._call(fn, *args)
        finally:
            if self._progress is not None:
                self._progress.job_ended()

    def _run_frames(self, rdd, partitions=None):
        """Run a job on `rdd`; its result frames, (type, payload) in partition
        order, each dropped by the engine as it is taken."""
        node = rdd._node_id()
        if partitions is None:
            partitions = range(rdd.getNumPartitions())
        try:
            results = self._job(self._engine.run_job, node, list(partitions), self._job_properties())
        finally:
            self._apply_accumulator_updates()
        rdd._checkpoint_after_job()
        return results

    def _save_as_text_file(self, lines, path, codec):
        """Run the job writing `lines` (an RDD with "lines" output) to `path`."""
        try:
            self._job(self._engine.save_as_text_file, lines._node_id(), str(path), codec,
                       self._job_properties())
        finally:
            self._apply_accumulator_updates()
        lines._checkpoint_after_job()

    def _save_as_sequence_file(self, pairs, path, key_class, value_class, codec, compression, block_size):
        """Run the job writing `pairs` (an RDD with "writables" output) as
        SequenceFiles under `path` (block_size: BLOCK compression's bytes
        per block, 0 for the default)."""
        try:
            self._job(self._engine.save_as_sequence_file, pairs._node_id(), str(path), key_class,
                       value_class, codec, compression, int(block_size), self._job_properties())
        finally:
            self._apply_accumulator_updates()
        pairs._checkpoint_after_job()

    def _run(self, rdd, partitions=None):
        """Run a job on `rdd`; an iterator over the records of the partitions."""
        # Decoded as they are taken, so that a collect holds its records and
        # one pickled frame, not every frame too.
        return itertools.chain.from_iterable(itertools.starmap(ser.decode_frame, self._run_frames(rdd, partitions)))

    def _apply_accumulator_updates(self):
        # One thread at a time: another thread's job may have taken this
        # job's updates, and they must be applied before this one returns.
        with self._accumulator_lock:
            for payload in self._engine.take_accumulator_updates():
                accumulators.apply_updates(pickle.loads(payload))
