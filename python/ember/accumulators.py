"""Accumulators: variables tasks can only add to, read on the driver.

An Accumulator pickles to (id, zero, param); unpickled in a worker it
registers itself in that process's registry starting from zero, so a task
adds to a local copy. At the end of a task the worker sends the touched
values to the driver, which merges them in with ``param.addInPlace``
(ember applies a result task's updates once per partition, as Spark does).
"""

import threading
import weakref

# id -> Accumulator, on the driver; weak, so a long-lived context keeps no
# accumulator its program dropped (updates for one are discarded)
_driver_registry = weakref.WeakValueDictionary()
_worker_registry = {}   # id -> Accumulator, in a worker during a task
_next_id = [0]
_lock = threading.Lock()


class AccumulatorParam:
    """How to add values of a custom accumulator type: zero and addInPlace."""

    def zero(self, value):
        raise NotImplementedError

    def addInPlace(self, value1, value2):
        raise NotImplementedError


class _AddingParam(AccumulatorParam):
    def __init__(self, zero_value):
        self.zero_value = zero_value

    def zero(self, value):
        return self.zero_value

    def addInPlace(self, value1, value2):
        value1 += value2
        return value1


INT_ACCUMULATOR_PARAM = _AddingParam(0)
FLOAT_ACCUMULATOR_PARAM = _AddingParam(0.0)
COMPLEX_ACCUMULATOR_PARAM = _AddingParam(0.0j)


def _rebuild(aid, zero, param):
    # Every copy unpickled within one task is the same local accumulator.
    acc = _worker_registry.get(aid)
    if acc is None:
        acc = Accumulator(aid, zero, param, _register=False)
        acc._deserialized = True
        _worker_registry[aid] = acc
    return acc


class Accumulator:
    """A shared variable that tasks add to with ``add`` or ``+=``.

    >>> a = Accumulator(0, 5, INT_ACCUMULATOR_PARAM, _register=False)
    >>> a += 3
    >>> a.value
    8
    """

    def __init__(self, aid, value, accum_param, _register=True):
        self.aid = aid
        self.accum_param = accum_param
        self._value = value
        self._deserialized = False
        if _register:
            _driver_registry[aid] = self

    def __reduce__(self):
        return _rebuild, (self.aid, self.accum_param.zero(self._value), self.accum_param)

    @property
    def value(self):
        if self._deserialized:
            raise RuntimeError("Accumulator.value cannot be accessed inside tasks")
        return self._value

    @value.setter
    def value(self, value):
        if self._deserialized:
            raise RuntimeError("Accumulator.value cannot be accessed inside tasks")
        self._value = value

    def add(self, term):
        self._value = self.accum_param.addInPlace(self._value, term)

    def __iadd__(self, term):
        self.add(term)
        return self

    def __str__(self):
        return str(self._value)

    def __repr__(self):
        return "Accumulator<id=%i, value=%s>" % (self.aid, self._value)


def new_accumulator(value, accum_param):
    with _lock:
        aid = _next_id[0]
        _next_id[0] += 1
    return Accumulator(aid, value, accum_param)


def take_worker_updates():
    """(id, value) of every accumulator this task touched; resets the registry."""
    updates = [(aid, acc._value) for aid, acc in _worker_registry.items()]
    _worker_registry.clear()
    return updates


def apply_updates(updates):
    """Merge one task's updates into the driver's accumulators."""
    for aid, value in updates:
        acc = _driver_registry.get(aid)
        if acc is not None:
            acc._value = acc.accum_param.addInPlace(acc._value, value)
