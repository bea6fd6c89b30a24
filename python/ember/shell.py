"""`ember shell`: an interactive Python session with ``sc`` ready.

Run as ``python -i -m ember.shell``; the master and settings come from the
environment that `ember shell` sets (see ember.conf.SparkConf).
"""

from ember import SparkContext

if __name__ == "__main__":
    sc = SparkContext(appName="ember-shell")
    print("ember %s shell: SparkContext available as sc (master=%s, app id=%s)"
          % (sc.version, sc.master, sc.applicationId))
