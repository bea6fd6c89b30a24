"""Run by real PySpark (the test venv's python): writes a Spark event log
of a small application into LOG_DIR — a cached RDD (block updates logged),
a shuffle, a count, a job reusing the shuffle (a skipped stage), a job
whose tasks fail — for the UI tests.

    python pyspark_job.py LOG_DIR [HOLD_FILE]

With HOLD_FILE, a last job's tasks wait until that file exists, so a test
sees the application while a job runs (it creates the file to finish).
The jobs themselves are run_jobs(sc, hold_file), which the live-UI tests
run on an ember context.
"""
import os
import sys
import time



def wait_for(path):
    def task(_):
        while not os.path.exists(path):
            time.sleep(0.1)
        return 1
    return task


def boom(_):
    raise ValueError("boom: a failing task")


def run_jobs(sc, hold_file=None):
    pairs = sc.parallelize(range(100), 4).map(lambda x: (x % 5, x)).cache()
    pairs.setName("cached pairs")
    sums = pairs.reduceByKey(lambda a, b: a + b)
    sums.collect()
    pairs.count()
    sums.count()  # its map stage is skipped: the shuffle's outputs exist
    try:
        # One task: with two, the job fails at the first failure and the
        # second task's end may or may not be logged before the application
        # stops, which Spark's and ember's history servers count differently.
        sc.parallelize([1], 1).map(boom).collect()
    except Exception:
        pass
    if hold_file:
        sc.parallelize(range(2), 2).map(wait_for(hold_file)).count()
    return pairs  # kept by the caller: an RDD dropped is unpersisted (ember at once, Spark at a GC)


def main(log_dir, hold_file=None):
    from pyspark import SparkConf, SparkContext
    conf = (SparkConf().setMaster("local[2]").setAppName("ui-test-app")
            .set("spark.eventLog.enabled", "true").set("spark.eventLog.dir", log_dir)
            .set("spark.eventLog.compress", "false").set("spark.eventLog.rolling.enabled", "false")
            .set("spark.eventLog.logBlockUpdates.enabled", "true")
            .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
            .set("spark.test.password", "hunter2"))
    sc = SparkContext(conf=conf)
    cached = run_jobs(sc, hold_file)
    sc.stop()
    del cached


if __name__ == "__main__":
    main(*sys.argv[1:])
