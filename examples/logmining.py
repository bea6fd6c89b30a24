"""Log mining: load log lines, keep the errors in memory, ask questions.

    ember submit --master 'local[2]' examples/logmining.py examples/data/sample.log

The same file runs on Spark: `spark-submit examples/logmining.py ...`.
"""

import sys

from pyspark import SparkContext


def main():
    sc = SparkContext(appName="logmining")
    errors = sc.textFile(sys.argv[1]).filter(lambda line: "ERROR" in line).cache()
    print("errors\t%d" % errors.count())
    print("mysql\t%d" % errors.filter(lambda line: "mysql" in line).count())
    print("php\t%d" % errors.filter(lambda line: "php" in line).count())
    sc.stop()


if __name__ == "__main__":
    main()
