"""SparkConf: an application's settings as string key/value pairs.

With loadDefaults=True (the default) it starts from the settings `ember
submit` / `ember shell` pass in the EMBER_CONF environment variable
(newline-separated ``key=value`` lines: their properties file, then their
command line); a program started otherwise (``python app.py``) starts from
spark-defaults.conf in $SPARK_CONF_DIR or $EMBER_CONF_DIR, as PySpark's
does.

>>> conf = SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("app")
>>> conf.get("spark.master"), conf.contains("spark.app.name")
('local[2]', True)
>>> print(conf.set("spark.x", 1).toDebugString())
spark.app.name=app
spark.master=local[2]
spark.x=1
"""

import os


class SparkConf:
    def __init__(self, loadDefaults=True, _jvm=None, _jconf=None):
        self._conf = {}
        if loadDefaults and "EMBER_CONF" not in os.environ:
            from . import _core, errors  # not at import: workers import this module without the engine
            try:
                self._conf.update(_core.load_properties_file(""))
            except _core.EngineError as e:
                raise errors.translate(e) from None
        elif loadDefaults:
            for line in os.environ["EMBER_CONF"].splitlines():
                if "=" in line:
                    key, value = line.split("=", 1)
                    self._conf[key.strip()] = value

    def set(self, key, value):
        self._conf[key] = str(value)
        return self

    def setIfMissing(self, key, value):
        if key not in self._conf:
            self.set(key, value)
        return self

    def setMaster(self, value):
        return self.set("spark.master", value)

    def setAppName(self, value):
        return self.set("spark.app.name", value)

    def setSparkHome(self, value):
        return self.set("spark.home", value)

    def setExecutorEnv(self, key=None, value=None, pairs=None):
        if (key is not None and pairs is not None) or (key is None and pairs is None):
            raise ValueError("Either pass one key-value pair or a list of pairs")
        for k, v in ([(key, value)] if key is not None else pairs):
            self.set("spark.executorEnv." + k, v)
        return self

    def setAll(self, pairs):
        for k, v in pairs:
            self.set(k, v)
        return self

    def get(self, key, defaultValue=None):
        return self._conf.get(key, defaultValue)

    def getAll(self):
        return list(self._conf.items())

    def contains(self, key):
        return key in self._conf

    def toDebugString(self):
        return "\n".join("%s=%s" % kv for kv in sorted(self._conf.items()))
