"""Real PySpark's side of the pickle-file and SequenceFile compatibility
tests (tests/python/test_hadoop_compat.py), run by the
test venv's interpreter (reference.venv_python()) as one long-lived
process, so a test session starts one PySpark.

Usage: pyspark_pickle_peer.py <dir> <records pickle file> <batch size>...
Starts SparkContext("local[1]"), saves the records (a pickled list) with
saveAsPickleFile(<dir>/pyspark-batch<N>, N) in 4 partitions for each batch
size, prints "READY". Then, for each line "pickle <path>" or "sequence
<path>" on stdin, prints "RECORDS <hex of the pickled list>" of
pickleFile(path).collect() or sequenceFile(path).collect() (or "ERROR
<message>"). Exits when stdin closes. Only lines starting with these
words are replies: anything else on stdout is Spark's noise."""

import pickle
import sys

import pyspark


def main():
    out_dir, records_path, *batch_sizes = sys.argv[1:]
    with open(records_path, "rb") as f:
        records = pickle.load(f)
    conf = pyspark.SparkConf().set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
    sc = pyspark.SparkContext("local[1]", "ember-pickle-peer", conf=conf)
    sc.setLogLevel("ERROR")
    try:
        for n in batch_sizes:
            sc.parallelize(records, 4).saveAsPickleFile("%s/pyspark-batch%s" % (out_dir, n), int(n))
        print("READY", flush=True)
        for line in sys.stdin:
            kind, path = line.rstrip("\n").split(" ", 1)
            try:
                rdd = sc.pickleFile(path) if kind == "pickle" else sc.sequenceFile(path)
                reply = "RECORDS " + pickle.dumps(rdd.collect()).hex()
            except Exception as e:  # the test shows PySpark's error
                reply = "ERROR " + repr(e).replace("\n", " ")
            print(reply, flush=True)
    finally:
        sc.stop()


if __name__ == "__main__":
    main()
