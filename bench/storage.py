"""`make bench`, storage part: ember reading and writing text on the local
file system, a real HDFS (Hadoop's mini cluster, one datanode, WebHDFS) and
an S3 server (moto), and writing and reading SequenceFiles, all on this
machine, in local[2].

Each figure is the best of --repeat runs of one action (MB/s of the text's
size), with the ratio to the local-file figure of the same action:
  read    textFile(...).count() of the --size-mb text file
  write   saveAsTextFile of that text (read from a local file)
  seqfile saveAsHadoopFile(SequenceFileOutputFormat, BLOCK, DefaultCodec)
          of (line number, line) pairs, then sequenceFile(...).count(),
          against saveAsTextFile and textFile(...).count() of the same lines
HDFS and S3 run in JVM/Python servers on the same two cores, so their
figures price the protocol and the servers, not a network.

    /usr/bin/python3 bench/storage.py [--size-mb 200] [--repeat 2] [--skip hdfs,s3]
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, os.path.join(ROOT, "tests"), os.path.join(ROOT, "python")]
import gen_data  # noqa: E402
from hdfs_cluster import MiniHdfs  # noqa: E402
from s3_server import S3Server  # noqa: E402

import ember  # noqa: E402

SEQUENCE = "org.apache.hadoop.mapred.SequenceFileOutputFormat"
BLOCK = {"mapreduce.output.fileoutputformat.compress": "true",
         "mapreduce.output.fileoutputformat.compress.type": "BLOCK",
         "mapreduce.output.fileoutputformat.compress.codec": "org.apache.hadoop.io.compress.DefaultCodec"}


def best(repeat, action):
    """Fastest of `repeat` runs of action(i), in seconds."""
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return min(times)


def measure(sc, base, source, repeat):
    """(read s, write s) of the text at `source` against file system `base`."""
    lines = sc.textFile(source)
    write = best(repeat, lambda i: lines.saveAsTextFile("%s/text-%d" % (base, i)))
    read = best(repeat, lambda i: sc.textFile("%s/text-0" % base).count())
    return read, write


def sequence_files(sc, base, source, repeat):
    """(write s, read s) of (line number, line) SequenceFiles, block-compressed."""
    pairs = sc.textFile(source).zipWithIndex().map(lambda lv: (lv[1], lv[0]))
    write = best(repeat, lambda i: pairs.saveAsHadoopFile("%s/seq-%d" % (base, i), SEQUENCE, conf=BLOCK))
    read = best(repeat, lambda i: sc.sequenceFile("%s/seq-0" % base).count())
    return write, read


def report(label, seconds, size_mb, local):
    ratio = "" if local is None else "  %.2fx local" % (local / seconds)
    print("  %-34s %7.2f s %8.1f MB/s%s" % (label, seconds, size_mb / seconds, ratio))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mb", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--skip", default="")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    work = tempfile.mkdtemp(prefix="ember-bench-storage-")
    servers = []
    try:
        source = os.path.join(work, "words.txt")
        gen_data.write_words(source, args.size_mb << 20, np.random.default_rng(7))
        size_mb = os.path.getsize(source) / 1e6
        conf = ember.SparkConf().setMaster("local[2]").setAppName("bench-storage")
        targets = [("local", os.path.join(work, "out"))]
        if "hdfs" not in skip:
            os.mkdir(os.path.join(work, "hdfs"))
            hdfs = MiniHdfs(os.path.join(work, "hdfs")).start()
            servers.append(hdfs)
            conf.set("spark.hadoop.dfs.namenode.http-address", hdfs.http)
            targets.append(("hdfs", hdfs.uri + "/bench"))
        if "s3" not in skip:
            s3 = S3Server(os.path.join(work, "moto.log"), auth=False)
            servers.append(s3)
            for k, v in s3.hadoop_conf().items():
                conf.set(k, v)
            targets.append(("s3", "s3a://ember-out/bench"))
        sc = ember.SparkContext(conf=conf)
        print("storage: %.0f MB of text, local[2], best of %d" % (size_mb, args.repeat))
        local = {}
        for name, base in targets:
            read, write = measure(sc, base, source, args.repeat)
            local.setdefault("read", read)
            local.setdefault("write", write)
            report("%s textFile().count()" % name, read, size_mb, None if name == "local" else local["read"])
            report("%s saveAsTextFile" % name, write, size_mb, None if name == "local" else local["write"])
        write, read = sequence_files(sc, targets[0][1], source, args.repeat)
        report("local SequenceFile write (BLOCK)", write, size_mb, None)
        print("    vs saveAsTextFile: %.2fx" % (local["write"] / write))
        report("local sequenceFile().count()", read, size_mb, None)
        print("    vs textFile().count(): %.2fx" % (local["read"] / read))
        sc.stop()
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
