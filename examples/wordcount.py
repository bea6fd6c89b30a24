"""Word count: the top words of a text file and how often they occur.

    ember submit --master 'local[2]' examples/wordcount.py examples/data/sample.txt [top_n]

The same file runs on Spark: `spark-submit examples/wordcount.py ...`.
"""

import sys
from operator import add

from pyspark import SparkContext


def main():
    if len(sys.argv) < 2:
        print("usage: wordcount.py <path> [top_n]", file=sys.stderr)
        return 2
    top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    sc = SparkContext(appName="wordcount")
    counts = (sc.textFile(sys.argv[1])
                .flatMap(lambda line: line.split())
                .map(lambda word: (word, 1))
                .reduceByKey(add))
    for word, count in counts.takeOrdered(top_n, key=lambda kv: (-kv[1], kv[0])):
        print("%s\t%d" % (word, count))
    sc.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
