"""PySpark doctests the conformance run (pyspark_doctests.py) does not run,
each with why: only what needs the JVM, SQL, or Hadoop/Java classes that
cannot exist without a JVM, or what fails on PySpark itself when run this
way (`pyspark_doctests.py --reference`). Everything else counts, pass or
fail."""

_PY4J = ("expects py4j.protocol.Py4JJavaError, the JVM bridge's exception, by class name; ember "
         "raises its own error, a subclass of ember.errors.Py4JJavaError, so `except "
         "Py4JJavaError` still catches it")

SKIPS = {
    "pyspark.core.rdd.RDD.persist": _PY4J,
    "pyspark.accumulators.Accumulator": _PY4J,
    "pyspark.core.context.SparkContext.getSystemProperty":
        "JVM: reads Java system properties (java.home, SPARK_SUBMIT)",
    "pyspark.conf.SparkConf": "JVM: calls conf._jconf, the JVM's SparkConf",
    "pyspark.serializers": "JVM: counts through rdd._jrdd, the JVM's RDD",
    "pyspark.taskcontext.TaskContext": "SQL: pyspark.sql Row, udf and pandas_udf",
    "pyspark.core.context.SparkContext":
        "fails on PySpark itself: makes a second SparkContext while the doctests' `sc` runs",
    "pyspark.statcounter.StatCounter.asDict":
        "fails on PySpark itself: expects Python 2's `4L` (PySpark never runs this module's doctests)",
}
