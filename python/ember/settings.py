"""Settings read in Python through the engine's registry
(src/ember/deploy/setting_registry.h), so each setting is parsed one way
in every process.

get(conf, key): the typed value of `key` in the SparkConf `conf` — bool,
int, float; sizes in bytes (int); durations in seconds (float); else str —
or its registry default; None when it has neither. A bad value raises
IllegalArgumentException naming the key and the value; a key the registry
does not know is an error too (register it in setting_table.cc).
"""

from . import _core, errors


def get(conf, key):
    try:
        return _core.setting(dict(conf.getAll()), key)
    except _core.EngineError as e:
        raise errors.translate(e) from None
