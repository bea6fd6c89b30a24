"""Monte-Carlo estimate of pi, as in the Spark examples.

    ember submit --master 'local[2]' examples/pi.py [partitions]

The same file runs on Spark: `spark-submit examples/pi.py ...`.
"""

import random
import sys
from operator import add

from pyspark import SparkContext


def inside(_):
    x, y = random.random() * 2 - 1, random.random() * 2 - 1
    return 1 if x * x + y * y <= 1 else 0


def main():
    partitions = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    n = 100000 * partitions
    sc = SparkContext(appName="pi")
    count = sc.parallelize(range(1, n + 1), partitions).map(inside).reduce(add)
    print("Pi is roughly %f" % (4.0 * count / n))
    sc.stop()


if __name__ == "__main__":
    main()
