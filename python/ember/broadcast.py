"""Broadcast variables: a read-only value every task can use, shipped once.

The driver pickles the value once, into a file under the application's
directory. Inside a closure a Broadcast pickles to its id and that path
only, so a task carries a few bytes however large the value. In a worker
the first ``.value`` loads the file; the value then stays in that worker
process for every later task. unpersist() starts a new generation of the
broadcast. Each job carries the id and generation of every broadcast the
driver still has (property ``ember.broadcast.live``), and before its task
runs a worker forgets each copy of a broadcast not listed (destroyed, or
garbage-collected on the driver) or of an older generation than listed,
while a copy loaded after an unpersist (a newer generation) stays: a
long-lived context's workers keep no more copies than the driver keeps
broadcasts, and the property is as long as that list. destroy(), or the
driver collecting a Broadcast (ContextCleaner), deletes its file and the
executors' copies (an RDD using one holds it through its function).

Executors of the cluster modes do not read the driver's file system: a
command records the ids of the broadcasts pickled into it (collect_ids),
the engine fetches those files to the executor before the task runs
(exec/task_inputs.h), and the property ``ember.broadcast.dir`` tells the
worker where the local copies are. A broadcast inside another's value is
found when the outer value is pickled and travels with the outer one's id.

>>> b = sc.broadcast([1, 2, 3])
>>> sc.parallelize(range(3), 3).map(lambda i: b.value[i] * 10).collect()
[10, 20, 30]
>>> b.destroy()
>>> b.value
Traceback (most recent call last):
  ...
ember.errors.EmberError: Attempted to use broadcast(...) after it was destroyed
"""

import contextlib
import os
import pickle
import threading
import weakref

import cloudpickle

from .errors import EmberError, PicklingError

LIVE_PROPERTY = "ember.broadcast.live"
LOCAL_DIR_PROPERTY = "ember.broadcast.dir"
# Under the application directory; an executor fetches
# "broadcast/broadcast_<id>" (exec/task_inputs.cc).
DIRECTORY = "broadcast"
_worker_values = {}  # broadcast id -> (generation, value), in a worker process
_local_dir = None  # in a worker: where its executor keeps fetched copies, if not the driver's
_lock = threading.Lock()
_collecting = threading.local()  # .ids: the set collect_ids() is filling, if any


def _file_name(bid):
    return "broadcast_%d" % bid


@contextlib.contextmanager
def collect_ids():
    """Within the block, this thread's pickling of Broadcasts adds their ids
    (and those of the broadcasts inside their values) to the yielded set."""
    outer = getattr(_collecting, "ids", None)
    ids = _collecting.ids = set()
    try:
        yield ids
    finally:
        _collecting.ids = outer


class Broadcast:
    """A value pickled once on the driver and loaded lazily where used."""

    def __init__(self, bid, path, ctx=None, generation=0, nested=()):
        self.bid = bid
        self._path = path
        self._ctx = ctx  # None in workers
        self._generation = generation
        self._nested = nested  # on the driver: ids of the broadcasts pickled into the value
        self._destroyed = False

    @classmethod
    def _create(cls, ctx, bid, directory, value):
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, _file_name(bid))
        temp = path + ".tmp"
        try:
            with open(temp, "wb") as f, collect_ids() as nested:
                cloudpickle.dump(value, f, pickle.HIGHEST_PROTOCOL)
        except Exception as e:
            if os.path.exists(temp):
                os.unlink(temp)
            raise PicklingError("Could not pickle the broadcast value: %s: %s"
                                % (type(e).__name__, e)) from None
        os.replace(temp, path)
        created = cls(bid, path, ctx, nested=tuple(sorted(nested)))
        ctx._broadcasts[bid] = created  # weakly: listed while the driver keeps it
        weakref.finalize(created, _remove_copies, ctx._engine, bid, path).atexit = False
        return created

    @property
    def value(self):
        if self._destroyed:
            raise EmberError("Attempted to use broadcast(%d) after it was destroyed" % self.bid)
        if self._ctx is not None:  # on the driver: read the file, keep nothing
            return self._load()
        with _lock:
            cached = _worker_values.get(self.bid)
            if cached is None or cached[0] != self._generation:
                cached = _worker_values[self.bid] = (self._generation, self._load())
            return cached[1]

    def dump(self, value, f):
        """Pickle `value` (highest protocol) into the open binary file `f`,
        then close it: how a broadcast's file is written, as PySpark has it.

        >>> import io
        >>> b = sc.broadcast(0)
        >>> f = io.BytesIO(); b.dump([1, 2], f); f.closed
        True
        """
        try:
            cloudpickle.dump(value, f, pickle.HIGHEST_PROTOCOL)
        except pickle.PickleError:
            raise
        except Exception as e:
            raise PicklingError("Could not serialize broadcast: %s: %s" % (type(e).__name__, e)) from None
        f.close()

    def load(self, file):
        """The value pickled in the open binary file `file`."""
        return pickle.load(file)

    def load_from_path(self, path):
        """The value pickled in the file at `path`."""
        with open(path, "rb", 1 << 20) as f:
            return self.load(f)

    def _load(self):
        path = os.path.join(_local_dir, _file_name(self.bid)) if _local_dir else self._path
        try:
            return self.load_from_path(path)
        except FileNotFoundError:
            raise EmberError("broadcast(%d): its file %s is gone (was it destroyed, or its "
                             "SparkContext stopped?)" % (self.bid, path)) from None

    def unpersist(self, blocking=False):
        """Drop the workers' copies; the value is loaded again if used again."""
        if self._ctx is not None:
            self._generation += 1

    def destroy(self, blocking=False):
        """Drop every copy and the driver's file; any later use raises."""
        self._destroyed = True
        if self._ctx is not None:
            self._ctx._broadcasts.pop(self.bid, None)
            _remove_copies(self._ctx._engine, self.bid, self._path)

    def __reduce__(self):
        if self._destroyed:
            raise EmberError("Attempted to use broadcast(%d) after it was destroyed" % self.bid)
        ids = getattr(_collecting, "ids", None)
        if ids is not None:
            ids.add(self.bid)
            ids.update(self._nested)
        return Broadcast, (self.bid, self._path, None, self._generation)

    def __repr__(self):
        return "Broadcast(%d)" % self.bid


def _remove_copies(engine, bid, path):
    """Deletes the driver's file of a broadcast and the executors' copies."""
    try:
        os.unlink(path)
    except FileNotFoundError:  # destroyed, or the stopped context removed it
        pass
    engine.remove_broadcast(bid)  # a stopped engine ignores it


def live_property(broadcasts):
    """The job property listing the driver's {id: Broadcast} as id:generation."""
    return ",".join("%d:%d" % (bid, b._generation) for bid, b in sorted(list(broadcasts.items())))


def prepare_worker(properties):
    """In a worker, before a task: forget the copies of broadcasts the
    driver no longer lists (or lists at a newer generation), and read
    broadcast files where the executor keeps them (cluster modes) or at the
    driver's paths (local modes, no property)."""
    global _local_dir
    _local_dir = properties.pop(LOCAL_DIR_PROPERTY, None)
    listed = properties.pop(LIVE_PROPERTY, "")
    live = dict(map(int, item.split(":")) for item in listed.split(",")) if listed else {}
    with _lock:
        for bid, (generation, _) in list(_worker_values.items()):
            if generation < live.get(bid, generation + 1):
                del _worker_values[bid]
