"""Broadcast variables: a read-only value every task can use, shipped once.

The driver pickles the value once, into a file under the application's
directory. Inside a closure a Broadcast pickles to its id and that path
only, so a task carries a few bytes however large the value. In a worker
the first ``.value`` loads the file; the value then stays in that worker
process for every later task. unpersist() starts a new generation of the
broadcast: each job carries, per dropped broadcast, the last generation
dropped (property ``ember.broadcast.dropped``), and a worker forgets a
copy of that generation or older before its task runs, while a copy
loaded after the unpersist (a newer generation) stays.

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

import cloudpickle

from .errors import EmberError, PicklingError

DROPPED_PROPERTY = "ember.broadcast.dropped"
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
        return cls(bid, path, ctx, nested=tuple(sorted(nested)))

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
            self._ctx._dropped_broadcasts[self.bid] = self._generation
            self._generation += 1

    def destroy(self, blocking=False):
        """Drop every copy and the driver's file; any later use raises."""
        self.unpersist()
        self._destroyed = True
        if self._ctx is not None and os.path.exists(self._path):
            os.unlink(self._path)

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


def dropped_property(dropped):
    """The job property for {broadcast id: last generation dropped}."""
    return ",".join("%d:%d" % kv for kv in sorted(dropped.items()))


def prepare_worker(properties):
    """In a worker, before a task: forget the copies the driver dropped, and
    read broadcast files where the executor keeps them (cluster modes) or
    at the driver's paths (local modes, no property)."""
    global _local_dir
    _local_dir = properties.pop(LOCAL_DIR_PROPERTY, None)
    dropped = properties.pop(DROPPED_PROPERTY, "")
    if dropped:
        with _lock:
            for item in dropped.split(","):
                bid, generation = map(int, item.split(":"))
                cached = _worker_values.get(bid)
                if cached is not None and cached[0] <= generation:
                    del _worker_values[bid]
