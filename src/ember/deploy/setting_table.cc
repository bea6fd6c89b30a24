// The registry's entries (setting_registry.h): one per setting, grouped by
// the table of docs/configuration.md that lists them, in that order.
// Defaults are Spark's unless the meaning says otherwise. Adding a setting
// is adding one entry here, then `make docs`.
#include "ember/deploy/setting_registry.h"

namespace ember::deploy {

namespace {

using enum SettingType;
constexpr unsigned kApp = kDriver | kExecutor;
constexpr unsigned kAll = kDriver | kExecutor | kDaemon;

}  // namespace

const std::vector<Setting>& AllSettings() {
  static const std::vector<Setting> kSettings = {
    // ---- app: the application's settings
    {"spark.master", kString, "local[*]", kDriver, "app", "`local`, `local[N]`, `local[*]`, `local[N,F]` (F attempts per task; 1 otherwise), `local-cluster[W,C,M]` (W executor processes on this machine with C task slots and M MiB each, talking to the driver over authenticated TCP), `ember://host:port` or `spark://host:port` (a standalone master, [deployment.md](deployment.md); port 7077 if left out). An unparsable URL is an error naming it."},
    {"spark.app.name", kString, "ember", kDriver, "app", "application name (`sc.appName`)"},
    {"spark.home", kString, "", kDriver, "app", "accepted for PySpark programs: `sc.sparkHome` (ember needs no Spark installation)"},
    {"spark.submit.pyFiles", kString, "", kDriver | kPythonWorker, "app", "comma-separated `.py`/`.zip`/`.egg` files put on the workers' path (`ember submit --py-files`)"},
    {"spark.log.level", kEnum, "", kApp, "app", "the log level from the start, as if `sc.setLogLevel` were called first: driver and executors ([logging](#logging))", "ALL|TRACE|DEBUG|INFO|WARN|ERROR|FATAL|OFF", "`WARN`"},
    {"spark.task.cpus", kInt, "1", kApp, "app", "cores each task holds: `local[N]` runs N / this many tasks at once; `TaskContext.cpus()` reports it"},
    {"spark.default.parallelism", kInt, "", kDriver, "app", "default partitions for `parallelize` and for shuffles", "positive", "task slots"},
    {"spark.local.dir", kString, "", kApp, "app", "where the application's directory (shuffle files, worker socket) is created; removed at `stop()`", "", "`$TMPDIR` or `/tmp`"},
    {"spark.pyspark.python", kString, "/usr/bin/python3", kApp, "app", "interpreter for Python workers", "", "`$PYSPARK_PYTHON`, else the driver's interpreter"},
    {"spark.executorEnv.*", kString, "", kExecutor | kPythonWorker, "app", "environment variable NAME for Python workers (`SparkConf.setExecutorEnv`)"},
    {"spark.shuffle.memory", kBytes, "64m", kExecutor, "app", "ember: bytes a map task's shuffle writer buffers before spilling to disk"},
    {"ember.python.fastPath.enabled", kBool, "true", kDriver, "app", "run the functions ember recognises (`str.split`, `(w, 1)` pairs, `reduceByKey(add)`, `\"c\" in line` filters, `count()`; see `python/ember/fastpath.py`) in C++ over text input, with the results Python gives; `false`: always run them in Python"},
    {"spark.python.worker.memory", kBytes, "512m", kExecutor | kPythonWorker, "app", "memory a Python worker may use (RSS above an idle worker) while aggregating, grouping or sorting; above it the map side flushes partial combiners and the reduce side spills sorted runs to disk (see `python/ember/external.py`). Measured: a worker stays within twice this plus ~25 MB"},
    {"spark.python.factory.idleWorkerMaxPoolSize", kInt, "", kExecutor, "app", "most idle Python workers an executor keeps: when a task ends with more idle, the least recently used are stopped (Spark 4's setting); unset: no limit but `ember.python.worker.idleTimeout`", "positive", "no limit"},
    {"ember.python.worker.idleTimeout", kDuration, "60s", kExecutor, "app", "a Python worker idle this long between tasks is stopped, so a context left open keeps no more workers, nor their memory, than its tasks use (Spark stops an executor's idle workers after a minute without Python tasks; ember times each worker); the next task starts a new one (a fork of the warm daemon)", "s"},
    {"spark.executor.memory", kBytes, "1g", kApp, "app", "with `spark.memory.fraction`, sizes the executor's memory store for cached partitions"},
    {"spark.memory.fraction", kDouble, "0.6", kExecutor, "app", "share of `spark.executor.memory` that cached partitions may use in memory; beyond it least-recently-used blocks of other RDDs are evicted (to disk if their level allows), and a partition that does not fit goes to disk or is not cached", "fraction"},
    {"spark.python.profile", kBool, "false", kDriver | kPythonWorker, "app", "`true`: run every task under the context's profiler (`profiler_cls`, default BasicProfiler: cProfile); `sc.show_profiles()`, `sc.dump_profiles(path)`"},
    {"spark.python.profile.dump", kString, "", kDriver, "app", "a directory: profiles are dumped there (`rdd_<id>.pstats`) when the context stops"},
    {"spark.ui.showConsoleProgress", kBool, "true", kDriver, "app", "a progress bar per running stage on stderr, as Spark's (`[Stage 3:===>   (12 + 2) / 40]`), when stderr is a terminal (`python/ember/progress.py`); in a Jupyter notebook a bar per job instead ([shell.md](shell.md)); `false`: none"},
    {"spark.driver.maxResultSize", kBytes, "1g", kApp, "app", "largest total size of the results a job sends to the driver (each task is checked too); larger fails the job with a message naming this setting"},
    {"spark.stage.maxConsecutiveAttempts", kInt, "4", kDriver, "app", "stage attempts after fetch failures before the job is aborted"},
    {"spark.scheduler.mode", kString, "FIFO", kDriver, "app", "`FIFO`: jobs' stages get slots in the order their jobs were submitted; `FAIR`: slots are shared between scheduler pools (`sc.setLocalProperty(\"spark.scheduler.pool\", name)`) by weight and minShare ([job scheduling](job-scheduling.md)). Any case; anything else fails the context"},
    {"spark.scheduler.allocation.file", kString, "", kDriver, "app", "with `FAIR`: the XML file configuring pools (schedulingMode, weight, minShare), in Spark's format: a local path or a URI of any file system ember reads (`file:`, `hdfs://`, `s3a://`, ...); a file that cannot be read or parsed fails the context, naming it ([job scheduling](job-scheduling.md))", "", "`fairscheduler.xml` of `$SPARK_CONF_DIR` or `$EMBER_CONF_DIR`, if there"},
    {"spark.task.maxFailures", kInt, "4", kDriver, "app", "cluster modes: attempts of one task before its job fails (local modes: `local[N,F]`)"},
    {"spark.authenticate", kBool, "false", kAll, "app", "cluster modes always authenticate every connection (mutual HMAC-SHA256); without this setting the driver listens on loopback only, and asking for another address is an error naming it. Daemons: `true` makes every connection to them prove `spark.authenticate.secret`, required to listen on any address but loopback"},
    {"spark.authenticate.secret", kString, "", kAll, "app", "the shared secret executors (and, on a standalone cluster, drivers and daemons) prove they know; given to local-cluster executors on their stdin, never on a command line", "", "random per application"},
    {"spark.authenticate.secret.file", kString, "", kAll, "app", "a file whose first line is the secret"},
    {"spark.driver.host", kString, "127.0.0.1", kApp, "app", "the address executors reach the driver at"},
    {"spark.driver.bindAddress", kString, "", kDriver, "app", "where the driver listens for executors (ephemeral ports), e.g. `0.0.0.0` behind NAT", "", "", "spark.driver.host"},
    {"spark.ssl.enabled", kBool, "false", kApp, "app", "cluster modes: `true` wraps every connection (driver ↔ executors, executor ↔ executor blocks, broadcasts and files) in TLS 1.2+, under the HMAC handshake, which still runs. Every process of the application uses the same settings (executors get them on stdin). Each `spark.ssl.X` below may be given as `spark.ssl.rpc.X` instead, which wins. See `docs/security.md`"},
    {"spark.ssl.certChain", kString, "", kApp, "app", "with TLS on, required: PEM file, this process's certificate first, then any intermediates (Spark 4's name)"},
    {"spark.ssl.privateKey", kString, "", kApp, "app", "with TLS on, required: PEM file, the certificate's private key, unencrypted (an encrypted key is refused, never prompted for)"},
    {"spark.ssl.trustStore", kString, "", kApp, "app", "with TLS on, required: PEM file of CA certificates a server's chain must lead to (Spark's is a JKS file; ember's is PEM). Host names are not checked"},
    {"spark.ssl.needClientAuth", kBool, "false", kApp, "app", "`true`: servers also verify each client's chain against the trust store (mutual TLS)"},
    {"spark.ssl.protocol", kEnum, "TLSv1.2", kApp, "app", "the lowest TLS version accepted: `TLSv1.2` or `TLSv1.3`", "TLSv1.2|TLSv1.3"},
    {"spark.executor.heartbeatInterval", kDuration, "10s", kApp, "app", "how often executors report to the driver", "ms"},
    {"spark.network.timeout", kDuration, "120s", kApp, "app", "an executor silent for this long is declared lost (killed, its outputs recomputed, replaced in local-cluster)", "s"},
    {"spark.reducer.maxSizeInFlight", kBytes, "48m", kExecutor, "app", "bytes of remote shuffle blocks a reduce task fetches and holds at once"},
    {"spark.shuffle.io.maxRetries", kInt, "3", kExecutor, "app", "retries of a shuffle fetch that failed on the network, before it is a fetch failure"},
    {"spark.shuffle.io.retryWait", kDuration, "5s", kExecutor, "app", "wait before the first retry (grows with each retry)", "s"},
    {"spark.shuffle.io.connectionTimeout", kDuration, "", kExecutor, "app", "a shuffle or cached-block fetch whose connection or whole reply takes longer fails as a network error (then retried): a peer whose link went down cannot hold a task", "s", "", "spark.network.timeout"},
    {"spark.deploy.maxExecutorRetries", kInt, "10", kDriver, "app", "cluster modes: executors lost in a row, with no task succeeding in between, before every job fails (and a standalone application unregisters, so the master stops replacing them)"},
    {"spark.executor.cores", kInt, "0", kDriver, "app", "standalone: cores of each executor; unset, an application gets one executor per worker", "", "all a worker has free"},
    {"spark.cores.max", kInt, "0", kDriver, "app", "standalone: the most cores the application holds across the cluster", "", "all"},
    {"spark.scheduler.minRegisteredResourcesRatio", kDouble, "", kDriver, "app", "standalone: `SparkContext()` waits until executors holding this share of `spark.cores.max` registered...", "fraction", "`0`"},
    {"spark.scheduler.maxRegisteredResourcesWaitingTime", kDuration, "30s", kDriver, "app", "...but no longer than this", "ms"},
    {"spark.executor.pyspark.memory", kBytes, "", kExecutor | kPythonWorker, "app", "a Python worker may map this many bytes beyond its size at fork; a task that allocates more gets MemoryError", "", "— (no cap)"},
    {"spark.speculation", kBool, "false", kDriver, "app", "`true`: a task running much longer than its stage's finished ones gets a second copy; the first to succeed wins, the other is killed"},
    {"spark.speculation.interval", kDuration, "100ms", kDriver, "app", "how often stragglers are looked for", "ms"},
    {"spark.speculation.multiplier", kDouble, "1.5", kDriver, "app", "a straggler runs longer than this times the median successful task", "positive"},
    {"spark.speculation.quantile", kDouble, "0.75", kDriver, "app", "share of a stage's tasks that must have finished before speculating", "fraction"},
    {"spark.speculation.minTaskRuntime", kDuration, "100ms", kDriver, "app", "never speculate on a task younger than this", "ms"},
    {"spark.locality.wait", kDuration, "3s", kDriver, "app", "how long a stage waits for a slot on the executor (then the host) holding a task's cached partition before running it elsewhere (delay scheduling)", "ms"},
    {"spark.locality.wait.process", kDuration, "", kDriver, "app", "the wait for the executor holding the partition", "ms", "", "spark.locality.wait"},
    {"spark.locality.wait.node", kDuration, "", kDriver, "app", "the wait for an executor on the same host", "ms", "", "spark.locality.wait"},
    {"spark.barrier.sync.timeout", kDuration, "365d", kExecutor, "app", "a barrier sync (`BarrierTaskContext.barrier()`/`allGather()`) not completed by every task in this time fails every waiting task ([barrier.md](barrier.md))", "s"},
    {"spark.scheduler.barrier.maxConcurrentTasksCheck.interval", kDuration, "15s", kDriver, "app", "cluster modes: how often a barrier stage with more tasks than slots checks again", "ms"},
    {"spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", kInt, "40", kDriver, "app", "cluster modes: failed slot checks before the barrier stage's job fails (`local[N]` fails at the first)"},

    // ---- monitoring: progress, web UI, event logs, history server
    {"spark.scheduler.listenerbus.eventqueue.capacity", kInt, "10000", kDriver, "monitoring", "events a listener queue holds; beyond it events are dropped (and a warning logged)", "positive"},
    {"spark.eventLog.enabled", kBool, "false", kDriver, "monitoring", "`true`: write the application's event log in Spark's format, which Spark's History Server and `ember history` read ([monitoring.md](monitoring.md))"},
    {"ember.listenerEvents.enabled", kBool, "false", kDriver, "monitoring", "`true`: keep listener events for `Engine.listener_events()` (the live UI's reader) from the start; otherwise from its first call"},
    {"spark.eventLog.logBlockUpdates.enabled", kBool, "false", kDriver, "monitoring", "`true`: log `SparkListenerBlockUpdated` for each cached partition"},
    {"spark.eventLog.dir", kString, "file:/tmp/spark-events", kDriver, "monitoring", "directory of event logs, on any ember file system (local, `hdfs://`, `webhdfs://`, `s3a://`); it must exist: a missing one fails `SparkContext()` naming it"},
    {"spark.eventLog.compress", kBool, "false", kDriver, "monitoring", "`true`: compress the log (its file name gets the codec's extension, `.zstd`). Spark 4 compresses by default; ember does not, so a log is readable with any tool"},
    {"spark.eventLog.compression.codec", kString, "zstd", kDriver, "monitoring", "the codec when compressing; ember writes `zstd` only (any other is an error naming this setting)"},
    {"spark.eventLog.overwrite", kBool, "false", kDriver, "monitoring", "`true`: replace an existing log of the same application id; otherwise that is an error naming the file"},
    {"spark.ui.enabled", kBool, "true", kDriver, "monitoring", "the web UI and REST API of a running context ([monitoring.md](monitoring.md)); `false`: none, `sc.uiWebUrl` is `None`"},
    {"spark.ui.port", kInt, "4040", kDriver, "monitoring", "the web UI's port on 127.0.0.1; when taken, the next free one (see `spark.port.maxRetries`); `0`: any free port"},
    {"spark.port.maxRetries", kInt, "16", kDriver | kDaemon, "monitoring", "how many ports after `spark.ui.port` (or `spark.history.ui.port`) are tried before the UI, and so the context, fails to start"},
    {"spark.redaction.regex", kString, "(?i)secret|password|token|access[.]?key", kDriver, "monitoring", "settings whose name or value matches are shown as `*********(redacted)` on the Environment page and in `/environment`"},
    {"spark.ui.retainedJobs", kInt, "1000", kDriver, "monitoring", "finished jobs the UI and REST API remember"},
    {"spark.ui.retainedStages", kInt, "1000", kDriver, "monitoring", "finished stages the UI and REST API remember"},
    {"spark.ui.retainedTasks", kInt, "100000", kDriver, "monitoring", "tasks per stage the UI and REST API remember"},
    {"spark.history.fs.logDirectory", kString, "file:/tmp/spark-events", kDaemon, "monitoring", "history server: the directory of event logs it shows"},
    {"spark.history.ui.port", kInt, "18080", kDaemon, "monitoring", "history server: port of its web UI and REST API"},

    // ---- hadoop: file systems
    {"spark.hadoop.*", kString, "", kApp, "hadoop", "`spark.hadoop.KEY`: Hadoop's setting KEY for the file systems"},
    {"spark.hadoop.dfs.namenode.http-address", kString, "", kApp, "hadoop", "`host:port` of the namenode's WebHDFS (HTTP) server, which `hdfs://host:rpcport/...` paths are read and written through; `webhdfs://host:port/...` paths name it directly and ignore this", "", "the `hdfs://` URI's host, port `9870`"},
    {"spark.hadoop.hadoop.user.name", kString, "", kApp, "hadoop", "the HDFS user ember acts as (`user.name`, simple authentication)", "", "`$HADOOP_USER_NAME`, else the process's user"},
    {"spark.hadoop.dfs.blocksize", kString, "134217728", kApp, "hadoop", "bytes: the split size `textFile` uses for HDFS files (a plain number; Hadoop's `128m` form is not read)"},
    {"spark.hadoop.mapreduce.output.fileoutputformat.compress.type", kString, "RECORD", kApp, "hadoop", "`NONE`, `RECORD` or `BLOCK`: how `saveAsHadoopFile`'s SequenceFiles are compressed when a codec is chosen (also read from the `conf` argument; [formats.md](formats.md))"},

    // ---- s3: Hadoop's S3A settings (read by the S3 file system in Hadoop's formats)
    {"spark.hadoop.fs.s3a.endpoint", kString, "", kApp, "s3", "the S3 service: a host (HTTPS) or an `http://` / `https://` URL, e.g. `http://127.0.0.1:9000` for a local server", "", "`https://s3.<region>.amazonaws.com`"},
    {"spark.hadoop.fs.s3a.endpoint.region", kString, "us-east-1", kApp, "s3", "the region requests are signed for (SigV4)"},
    {"spark.hadoop.fs.s3a.path.style.access", kString, "false", kApp, "s3", "`true`: address buckets as `endpoint/bucket/key` rather than `bucket.endpoint/key` (needed for most non-AWS servers and IP endpoints)"},
    {"spark.hadoop.fs.s3a.access.key", kString, "", kApp, "s3", "access key id; with `secret.key`, wins over the environment and the credentials file"},
    {"spark.hadoop.fs.s3a.secret.key", kString, "", kApp, "s3", "secret access key (never logged or put in an error message)"},
    {"spark.hadoop.fs.s3a.session.token", kString, "", kApp, "s3", "session token of temporary credentials"},
    {"spark.hadoop.fs.s3a.multipart.size", kString, "64M", kApp, "s3", "an output buffers this much, then uploads it as one part of a multipart upload; smaller outputs are one PUT at close. At least `5M` (S3's minimum part; smaller values are raised)"},
    {"spark.hadoop.fs.s3a.block.size", kString, "32M", kApp, "s3", "split size for `textFile` input on S3"},
    {"spark.hadoop.fs.s3a.connection.establish.timeout", kString, "30000", kApp, "s3", "a connection to the endpoint not made within this fails, naming the endpoint", "", "`30000` (ms)"},
    {"spark.hadoop.fs.s3a.connection.timeout", kString, "200000", kApp, "s3", "a request that receives nothing for this long fails: nothing hangs on a dead server", "", "`200000` (ms)"},

    // ---- daemon: ember master / ember worker
    {"spark.worker.timeout", kDuration, "60", kDaemon, "daemon", "a worker silent this long is DEAD to the master; a worker whose master is silent this long registers again", "s", "`60` (seconds)"},
    {"spark.deploy.spreadOut", kBool, "true", kDaemon, "daemon", "deal an application's executors round-robin over workers (`false`: fill one worker first)"},

    // ---- local: local properties (sc.setLocalProperty), not settings
    {"spark.jobGroup.id", kString, "", kDriver, "local", "the job group (`sc.setJobGroup`), for `cancelJobGroup`"},
    {"spark.job.description", kString, "", kDriver, "local", "the description of the jobs started next (`sc.setJobDescription`)"},
    {"spark.job.interruptOnCancel", kBool, "false", kDriver, "local", "cancelling the group interrupts its running tasks (`sc.setInterruptOnCancel`)"},
    {"spark.scheduler.pool", kString, "", kDriver, "local", "the scheduler pool of the jobs started next"},
    {"spark.job.tags", kString, "", kDriver, "local", "comma-separated tags of the jobs started next (`sc.addJobTag`), for `cancelJobsWithTag`"},

    // ---- ignored: Spark settings ember accepts and ignores on purpose
    {"spark.sql.*", kString, "", kDriver, "ignored", "Spark SQL's settings: ember has no SQL engine", "", "", "", true},
    {"spark.driver.memory", kString, "", kDriver, "ignored", "the driver is the Python process the program runs in; its memory is not ember's to set", "", "", "", true},
    {"spark.driver.cores", kString, "", kDriver, "ignored", "the driver is the Python process the program runs in", "", "", "", true},
    {"spark.executor.instances", kString, "", kDriver, "ignored", "YARN/Kubernetes executor count: local-cluster and standalone size themselves", "", "", "", true},
    {"spark.submit.deployMode", kString, "", kDriver, "ignored", "the driver always runs where the program is started (client mode)", "", "", "", true},
    {"spark.eventLog.rolling.enabled", kString, "", kDriver, "ignored", "Spark's rolling event log (`eventlog_v2_*` directories): ember writes one file per application (`ember history` reads Spark's rolling logs)", "", "", "", true},
    {"spark.eventLog.rolling.maxFileSize", kString, "", kDriver, "ignored", "the size of a rolling event log's files: ember does not roll", "", "", "", true},
    {"spark.eventLog.logStageExecutorMetrics", kString, "", kDriver, "ignored", "per-stage peaks of executor metrics: not logged", "", "", "", true},
    {"spark.eventLog.longForm.enabled", kString, "", kDriver, "ignored", "long call sites: ember's call sites are `method at file:line` always", "", "", "", true},
    {"spark.ui.retainedDeadExecutors", kString, "", kDriver, "ignored", "lost executors are all kept", "", "", "", true},
    {"spark.ui.killEnabled", kString, "", kDriver, "ignored", "the UI cannot kill jobs or stages (read only)", "", "", "", true},
    {"spark.ui.liveUpdate.period", kString, "", kDriver, "ignored", "the live UI shows each event as it arrives", "", "", "", true},
    {"spark.history.fs.update.interval", kString, "", kDriver, "ignored", "`ember history` reads the directory again on each request", "", "", "", true},
    {"spark.history.retainedApplications", kString, "", kDriver, "ignored", "`ember history` keeps every application's data loaded", "", "", "", true},
    {"spark.history.ui.maxApplications", kString, "", kDriver, "ignored", "`ember history` lists every application", "", "", "", true},
    {"spark.history.fs.cleaner.enabled", kString, "", kDriver, "ignored", "`ember history` never deletes event logs", "", "", "", true},
    {"spark.history.fs.cleaner.interval", kString, "", kDriver, "ignored", "`ember history` never deletes event logs", "", "", "", true},
    {"spark.history.fs.cleaner.maxAge", kString, "", kDriver, "ignored", "`ember history` never deletes event logs", "", "", "", true},
    {"spark.jars", kString, "", kDriver, "ignored", "no JVM: jars are not loaded", "", "", "", true},
    {"spark.jars.*", kString, "", kDriver, "ignored", "`spark.jars.packages`, `.repositories`, `.ivy`, ...: no JVM", "", "", "", true},
    {"spark.driver.extraJavaOptions", kString, "", kDriver, "ignored", "no JVM", "", "", "", true},
    {"spark.executor.extraJavaOptions", kString, "", kDriver, "ignored", "no JVM", "", "", "", true},
    {"spark.driver.extraClassPath", kString, "", kDriver, "ignored", "no JVM", "", "", "", true},
    {"spark.executor.extraClassPath", kString, "", kDriver, "ignored", "no JVM", "", "", "", true},
    {"spark.serializer", kString, "", kDriver, "ignored", "JVM serializer: Python records are pickled", "", "", "", true},
    {"spark.kryo.*", kString, "", kDriver, "ignored", "JVM serializer settings", "", "", "", true},

    // ---- internal: set by ember itself
    {"ember.executable", kString, "", kDriver, "internal", "the `ember` program executors are started from (found next to the package)"},
    {"ember.pythonpath", kString, "", kExecutor | kPythonWorker, "internal", "`PYTHONPATH` of Python workers (the ember package, and `--py-files` in local modes)"},
    {"ember.files.dir", kString, "", kExecutor | kPythonWorker, "internal", "task property: the directory of files added with `sc.addFile` (`SparkFiles.getRootDirectory()`)"},
    {"ember.files.names", kString, "", kExecutor, "internal", "task property: the files a job added"},
    {"ember.files.pythonpath", kString, "", kPythonWorker, "internal", "task property: added `.zip`/`.egg` files to import from"},
    {"ember.broadcast.dir", kString, "", kExecutor | kPythonWorker, "internal", "task property: where the executor keeps broadcast values"},
    {"ember.log.level", kString, "", kExecutor, "internal", "task property: the driver's log level, which the executor takes"},
    {"ember.broadcast.live", kString, "", kPythonWorker, "internal", "task property: id:generation of each broadcast the driver keeps; workers drop other copies"},

    // ---- test: deterministic fault injection
    {"ember.test.signalWorker", kString, "", kTest, "test", "`stage:partition:attempt:signal`: once the task's worker produced output, send it the signal (9 kill, 11 segfault, 19 stop)"},
    {"ember.test.slowTask", kString, "", kTest, "test", "`stage:partition:attempt:millis`: the task waits before starting (a straggler)"},
    {"ember.test.deleteMapOutput", kString, "", kTest, "test", "`shuffle:map:attempt`: delete that map task's output file after it is written"},
    {"ember.test.corruptMapOutput", kString, "", kTest, "test", "`shuffle:map:attempt`: flip bytes in the middle of that map task's output"},
    {"ember.test.fs.shortReads", kBool, "false", kTest, "test", "`true`: `faulty:///path` files (the local file system under another scheme) return at most 7 bytes per sequential read"},
    {"ember.test.fs.diskFullAfter", kString, "", kTest, "test", "bytes: writes to a `faulty:` file fail with ENOSPC once it would pass that size"},
    {"ember.test.fs.vanish", kString, "", kTest, "test", "text: opening a `faulty:` file whose path contains the text fails as if it had been deleted after listing"},
  };
  return kSettings;
}

}  // namespace ember::deploy
