"""Real PySpark's side of the pickle-file compatibility tests, run by the
test venv's interpreter (reference.venv_python()) as one long-lived
process, so a test session starts one PySpark.

Usage: pyspark_pickle_peer.py <dir> <records pickle file> <batch size>...
Starts SparkContext("local[1]"), saves the records (a pickled list) with
saveAsPickleFile(<dir>/pyspark-batch<N>, N) in 4 partitions for each batch
size, prints "READY". Then, for each line on stdin naming a directory,
prints "RECORDS <hex of the pickled list pickleFile(dir).collect()>" (or
"ERROR <message>"). Exits when stdin closes. Only lines starting with
these words are replies: anything else on stdout is Spark's noise."""

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
            try:
                reply = "RECORDS " + pickle.dumps(sc.pickleFile(line.strip()).collect()).hex()
            except Exception as e:  # the test shows PySpark's error
                reply = "ERROR " + repr(e).replace("\n", " ")
            print(reply, flush=True)
    finally:
        sc.stop()


if __name__ == "__main__":
    main()
