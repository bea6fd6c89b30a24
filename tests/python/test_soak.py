"""A long-lived context stays flat: one context runs thousands of mixed jobs
(parallelize + collect, text input, reduceByKey, join, cache/unpersist,
broadcast create/destroy and drop, accumulators, a failing task now and
then, sortByKey, union/coalesce), every answer checked, and after a
warm-up nothing it holds grows with the number of jobs.

Checked exactly: the engine's live_counts() (graph nodes, shuffles,
scheduler stages/jobs/cached partitions/map outputs, tracked jobs and
stages) and the driver's broadcast and accumulator registries stay below
constants independent of the job count; the child processes, their open
files and threads, the driver's open files and threads, and the files
under spark.local.dir do not grow. Checked with a margin: resident memory
(the allocators keep freed pages, and a Python worker's heap grows a
little as it meets new objects), growth after the warm-up bounded by
DRIVER_RSS_GROWTH_MB for the driver and WORKER_RSS_GROWTH_MB per child
process. The figures are taken after a garbage collection, between jobs;
the counts are re-read until they settle (the last job's task threads end
just after its result arrives), which a leak never does.

How many Python workers an executor has at a given moment depends on how
its tasks happened to overlap, so the counts are compared with none: the
context stops a worker idle for IDLE_TIMEOUT (ember.python.worker.idleTimeout),
and both the warm-up's and the end's counts are read once every worker has
been stopped, which also proves that idle workers are stopped and that no
worker is left outside the pool. Python workers are replaced all the time
(a failing task's worker is discarded), so their memory is bounded as the
largest RSS the workers of a job report from inside their tasks at the end,
against the same at the warm-up's end.

The short version runs with the other tests; the full one (10,000 jobs)
is marked slow (`make test-slow`).
"""

import gc
import os
import time

import pytest

from ember import StorageLevel, accumulators
from polling import wait_for

# A leak of one small object per job (a graph node with its slice data, a
# tracker entry, a registry entry) costs a few hundred bytes to a few KiB:
# over the 1,600 measured jobs of the short run at least ~0.5-5 MB, over
# the full run's 8,000 five times that. 10 MB leaves room for the
# allocator's own fluctuation (arenas kept after a peak) and still catches
# any per-job leak in the full run.
DRIVER_RSS_GROWTH_MB = 10
# Per Python worker, daemon or executor process (their heaps are smaller
# and see the same per-task objects).
WORKER_RSS_GROWTH_MB = 10
# What the test itself keeps alive (its text RDD and the pair RDDs it
# reuses) plus one job's worth of nodes: the graph may hold no more.
MAX_GRAPH_NODES = 40
MAX_SHUFFLES = 10
RETAINED = 50  # spark.ui.retainedJobs and spark.ui.retainedStages
IDLE_TIMEOUT = "2s"  # longer than the usual pause between two jobs of the soak


def _children_of():
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # it exited meanwhile
        children.setdefault(ppid, []).append(int(entry))
    return children


def _descendants(pid, children):
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _status(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _files_under(root):
    return sum(len(files) + len(dirs) for _, dirs, files in os.walk(root))


def _command(pid):
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        return f.read().replace(b"\0", b" ").decode(errors="replace")


def _commands(pids):
    commands = {}
    for pid in pids:
        try:
            commands[pid] = _command(pid)
        except OSError:
            pass  # it exited meanwhile
    return commands


def _python_workers(commands, children, app_id):
    """The processes forked by the Python worker daemons of application
    `app_id` (their work directory is named after it)."""
    return {child for pid, command in commands.items()
            if " -m ember.daemon " in command and app_id in command
            for child in children.get(pid, [])}


def _python_worker_rss_kb(sc):
    """The resident memory of the workers that run a job's tasks, as they
    read it themselves (a job's workers are alive while it runs)."""
    own_rss = lambda _: int([line for line in open("/proc/self/status") if line.startswith("VmRSS:")][0].split()[1])  # noqa: E731,E501
    return max(sc.parallelize(range(4), 4).map(own_rss).collect())


def _figures(sc, local_dir):
    gc.collect()  # finalizers of dropped RDDs/broadcasts run now, not at luck
    me = os.getpid()
    children = _children_of()
    kids = _descendants(me, children)
    commands = _commands(kids)
    workers = _python_workers(commands, children, sc.applicationId)
    figures = dict(sc._engine.live_counts())
    figures.update(
        broadcasts=len(sc._broadcasts),
        accumulators=len(accumulators._driver_registry),
        driver_rss_kb=_status(me, "VmRSS"),
        driver_threads=_status(me, "Threads"),
        driver_fds=len(os.listdir("/proc/self/fd")),
        processes=len(kids),
        python_workers=len(workers),
        local_files=_files_under(local_dir),
        rss_kb={},
        commands={pid: command[:200] for pid, command in commands.items()},
        child_fds=0,
        child_threads=0,
    )
    store = sc._ui.store
    with store.lock:
        figures.update(ui_jobs=len(store.jobs), ui_stages=len(store.stages), ui_rdds=len(store.rdds),
                       ui_stage_jobs=len(store.stage_jobs), ui_task_lists=len(store.tasks))
    for pid in kids:
        try:
            if pid not in workers:
                figures["rss_kb"][pid] = _status(pid, "VmRSS")
            figures["child_threads"] += _status(pid, "Threads")
            figures["child_fds"] += len(os.listdir("/proc/%d/fd" % pid))
        except OSError:
            pass  # the standalone cluster's daemons belong to the test process too
    return figures


COUNTS = ("processes", "driver_fds", "child_fds", "driver_threads", "child_threads", "local_files")


def _ui_caught_up(figures):
    """The live UI applies events on its own thread; once it has applied
    the last job's, it keeps no more than the retained jobs and stages."""
    return (figures["ui_jobs"] <= RETAINED and figures["ui_rdds"] == 0
            and all(figures[k] <= RETAINED for k in ("ui_stages", "ui_stage_jobs", "ui_task_lists")))


def _settled_figures(sc, local_dir, before=None, timeout_s=60):
    """The figures once every Python worker has been stopped for being idle,
    every count in COUNTS is back to its value in `before` (when given) and
    the live UI has caught up, or the timeout passed: the last job's task
    threads and connections end just after its result is in, and the UI's
    thread may lag behind on a loaded machine (a leak never settles)."""
    deadline = time.monotonic() + timeout_s
    while True:
        figures = _figures(sc, local_dir)
        settled = (figures["python_workers"] == 0 and _ui_caught_up(figures)
                   and (before is None or all(figures[k] <= before[k] for k in COUNTS)))
        if settled or time.monotonic() > deadline:
            return figures
        time.sleep(0.1)


class _Soak:
    """The mixed jobs: job i is of kind i % 10, its data a function of i."""

    def __init__(self, sc, text_dir):
        self.sc = sc
        self.text_dir = text_dir
        self.text_lines = sum(1 for name in os.listdir(text_dir)
                              for _ in open(os.path.join(text_dir, name)))
        self.kinds = [self.collect, self.text, self.reduce_by_key, self.join, self.cache,
                      self.broadcast_destroyed, self.accumulator, self.fail_or_sort,
                      self.union, self.broadcast_dropped]

    def run(self, i):
        self.kinds[i % len(self.kinds)](i)

    def collect(self, i):
        n = 10 + i % 50
        assert self.sc.parallelize(range(n), 2).map(lambda x: x * 2).collect() == [x * 2 for x in range(n)]

    def text(self, i):
        keep = str(i % 10)
        got = self.sc.textFile(self.text_dir, 2).filter(lambda line: line.endswith(keep)).count()
        assert got == self.text_lines // 10

    def reduce_by_key(self, i):
        pairs = self.sc.parallelize([(x % 7, 1) for x in range(100 + i % 30)], 3)
        got = pairs.reduceByKey(lambda a, b: a + b, 2).collectAsMap()
        assert got == {k: sum(1 for x in range(100 + i % 30) if x % 7 == k) for k in range(7)}

    def join(self, i):
        left = self.sc.parallelize([(x, x * i) for x in range(20)], 2)
        right = self.sc.parallelize([(x, -x) for x in range(10, 30)], 2)
        assert sorted(left.join(right, 2).collect()) == [(x, (x * i, -x)) for x in range(10, 20)]

    def cache(self, i):
        rdd = self.sc.parallelize(range(40 + i % 7), 2).map(lambda x: x + 1)
        level = StorageLevel.MEMORY_ONLY if i % 20 < 10 else StorageLevel.DISK_ONLY
        rdd.persist(level)
        assert rdd.count() == 40 + i % 7
        assert rdd.sum() == sum(range(1, 41 + i % 7))
        rdd.unpersist()

    def broadcast_destroyed(self, i):
        table = self.sc.broadcast({x: x * i for x in range(100)})
        assert self.sc.parallelize(range(100), 2).map(lambda x: table.value[x]).sum() == 4950 * i
        table.destroy()

    def broadcast_dropped(self, i):
        # no destroy(): the driver forgets it once it is collected
        offset = self.sc.broadcast(i)
        assert self.sc.parallelize(range(10), 2).map(lambda x: x + offset.value).sum() == 45 + 10 * i

    def accumulator(self, i):
        acc = self.sc.accumulator(0)
        self.sc.parallelize(range(i % 100 + 1), 2).foreach(lambda x: acc.add(x))
        assert acc.value == sum(range(i % 100 + 1))

    def fail_or_sort(self, i):
        if i % 40 == 7:  # a failing task now and then
            with pytest.raises(Exception, match="ZeroDivisionError"):
                self.sc.parallelize(range(4), 2).map(lambda x: 1 // (x - 3)).collect()
            return
        data = [(x * 7919 % 101, x) for x in range(60)]
        got = self.sc.parallelize(data, 3).sortByKey(numPartitions=2).keys().collect()
        assert got == sorted(k for k, _ in data)

    def union(self, i):
        a = self.sc.parallelize(range(i % 10), 2)
        b = self.sc.parallelize(range(100, 105), 3)
        assert sorted(self.sc.union([a, b]).coalesce(2).collect()) == list(range(i % 10)) + list(range(100, 105))


def _soak(context_with, tmp_path, jobs, warmup):
    local_dir = tmp_path / "local"
    local_dir.mkdir()
    text_dir = tmp_path / "text"
    text_dir.mkdir()
    for f in range(3):
        (text_dir / ("part-%d" % f)).write_text("".join("line %d\n" % (f * 100 + n) for n in range(100)))
    sc = context_with({"spark.local.dir": str(local_dir), "spark.ui.retainedJobs": str(RETAINED),
                       "spark.ui.retainedStages": str(RETAINED),
                       "ember.python.worker.idleTimeout": IDLE_TIMEOUT})
    soak = _Soak(sc, str(text_dir))
    for i in range(warmup):
        soak.run(i)
    workers_before = _python_worker_rss_kb(sc)
    before = _settled_figures(sc, str(local_dir))
    for i in range(warmup, jobs):
        soak.run(i)
    workers_after = _python_worker_rss_kb(sc)
    after = _settled_figures(sc, str(local_dir), before)
    report = {k: (before[k], after[k]) for k in before
              if k not in ("rss_kb", "commands")}
    # Every descendant of this process counts, other tests' fixtures too:
    # a failure names the processes that came and went.
    report["new processes"] = [c for p, c in after["commands"].items() if p not in before["commands"]]
    report["gone processes"] = [c for p, c in before["commands"].items() if p not in after["commands"]]
    report["most child growth kb"] = max(
        (rss - before["rss_kb"].get(pid, rss) for pid, rss in after["rss_kb"].items()), default=0)
    report["largest python worker rss kb"] = (workers_before, workers_after)
    print("soak figures (after warm-up, at the end):", report)

    assert after["graph_nodes"] <= MAX_GRAPH_NODES, report
    assert after["graph_shuffles"] <= MAX_SHUFFLES and after["map_output_shuffles"] <= MAX_SHUFFLES, report
    assert after["dag_map_stages"] <= MAX_SHUFFLES and after["dag_stages"] <= MAX_SHUFFLES, report
    assert after["dag_jobs"] == 0 and after["dag_cached_partitions"] == 0, report
    assert after["tracked_jobs"] <= RETAINED and after["tracked_stages"] <= RETAINED, report
    # The accumulator registry is the process's (other tests' contexts in
    # this pytest process may keep theirs): this run must add none to it.
    assert after["broadcasts"] == 0 and after["accumulators"] <= before["accumulators"], report
    assert _ui_caught_up(after), report
    # idle workers are stopped, and no worker is kept outside the pool
    assert before["python_workers"] == 0 and after["python_workers"] == 0, report
    for key in COUNTS:
        assert after[key] <= before[key], (key, report)
    driver_growth_mb = (after["driver_rss_kb"] - before["driver_rss_kb"]) / 1024
    assert driver_growth_mb < DRIVER_RSS_GROWTH_MB, report
    for pid, rss in after["rss_kb"].items():
        growth_mb = (rss - before["rss_kb"].get(pid, rss)) / 1024
        assert growth_mb < WORKER_RSS_GROWTH_MB, (pid, growth_mb, report)
    assert (workers_after - workers_before) / 1024 < WORKER_RSS_GROWTH_MB, report


def test_a_long_lived_context_stays_flat(context_with, tmp_path):
    _soak(context_with, tmp_path, jobs=2000, warmup=400)


@pytest.mark.slow
def test_a_long_lived_context_stays_flat_over_10000_jobs(context_with, tmp_path):
    _soak(context_with, tmp_path, jobs=10000, warmup=1000)


def test_dropped_rdds_free_their_engine_state(sc):
    gc.collect()
    start = sc._engine.live_counts()
    text = sc.parallelize(["a b", "b c"] * 10, 4)
    counts = text.flatMap(str.split).map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b, 3)
    cached = counts.mapValues(lambda n: n * 2).persist()
    assert sorted(cached.collect()) == [("a", 20), ("b", 40), ("c", 20)]
    during = sc._engine.live_counts()
    assert during["graph_nodes"] > start["graph_nodes"] and during["graph_shuffles"] == start["graph_shuffles"] + 1
    del text, counts  # `cached` still reads them: the shuffle stays
    gc.collect()
    assert sc._engine.live_counts()["graph_shuffles"] == start["graph_shuffles"] + 1
    assert sorted(cached.collect()) == [("a", 20), ("b", 40), ("c", 20)]
    del cached
    gc.collect()
    end = sc._engine.live_counts()
    for key in ("graph_nodes", "graph_shuffles", "map_output_shuffles", "dag_map_stages",
                "dag_cached_partitions"):
        assert end[key] == start[key], (key, start, end)


def _alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def _workers_of_a_barrier_job(sc, n):
    """(worker pid, its daemon's pid) of each of n tasks that all run at once."""
    return sc.parallelize(range(n), n).barrier().mapPartitions(
        lambda _: [(os.getpid(), os.getppid())]).collect()


def test_idle_python_workers_are_stopped_after_the_idle_timeout(context_with):
    sc = context_with({"ember.python.worker.idleTimeout": "300ms"})
    workers = _workers_of_a_barrier_job(sc, 2)
    assert len({pid for pid, _ in workers}) == 2
    wait_for(lambda: not any(_alive(pid) for pid, _ in workers), "idle workers %s to stop" % workers, 30)
    assert sc.parallelize(range(10), 2).map(lambda x: x * x).sum() == 285  # new workers start


def test_idle_python_workers_beyond_the_pool_size_are_stopped(context_with):
    # Two tasks at once in each executor's pool that has two slots (local[2]);
    # one slot each elsewhere: every pool keeps one idle worker, the latest.
    sc = context_with({"spark.python.factory.idleWorkerMaxPoolSize": "1"})
    workers = _workers_of_a_barrier_job(sc, 2)
    daemons = {daemon for _, daemon in workers}
    wait_for(lambda: sum(_alive(pid) for pid, _ in workers) == len(daemons),
             "one idle worker of %s per daemon" % workers, 30)
    assert all(any(_alive(pid) for pid, d in workers if d == daemon) for daemon in daemons), workers
    assert sc.parallelize(range(10), 2).map(lambda x: x * x).sum() == 285
