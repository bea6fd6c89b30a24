"""`ember shell`: an interactive Python session with ``sc`` ready.

Run as ``python -i -m ember.shell``; the master and settings come from the
environment that `ember shell` sets (see ember.conf.SparkConf). ``pyspark``
imports are served by ember unless EMBER_PYSPARK_COMPAT=0.
"""

import os

from ember import SparkContext, pyspark_aliases

if __name__ == "__main__":
    if os.environ.get(pyspark_aliases.ENV) != "0":
        pyspark_aliases.install()
    sc = SparkContext(appName="ember-shell")
    print("ember %s shell: SparkContext available as sc (master=%s, app id=%s)"
          % (sc.version, sc.master, sc.applicationId))
