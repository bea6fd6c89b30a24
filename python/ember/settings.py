"""Settings read in Python through the engine's registry
(src/ember/deploy/setting_registry.h), so each setting is parsed one way
in every process.

get(conf, key): the typed value of `key` in `conf` (a SparkConf or a dict
of settings) — bool,
int, float; sizes in bytes (int); durations in seconds (float); else str —
or its registry default; None when it has neither. A bad value raises
IllegalArgumentException naming the key and the value; a key the registry
does not know is an error too (register it in setting_table.cc).
"""

from . import _core, errors


def get(conf, key):
    try:
        values = dict(conf.getAll()) if hasattr(conf, "getAll") else dict(conf)
        return _core.setting(values, key)
    except _core.EngineError as e:
        raise errors.translate(e) from None
