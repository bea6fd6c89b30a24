"""ember's REST API against Spark's own: the same PySpark-written event log
served by Spark's History Server (PySpark's jars) and by `ember history`;
every endpoint must answer with the same JSON shape (the same keys at every
level, values of the same types) and the same counts, statuses, ids and
names."""

import pytest

from ui_servers import EmberHistory, SparkHistoryServer, json_at, shared_pyspark_log

pytestmark = pytest.mark.timeout(900)  # a PySpark application writes the log first

# Fields whose values must be equal, not only of the same type.
SAME_VALUES = {
    "id", "name", "status", "jobId", "stageId", "attemptId", "stageIds", "rddIds", "taskId", "index",
    "partitionId", "executorId", "completed", "sparkUser", "appSparkVersion", "startTimeEpoch",
    "endTimeEpoch", "numTasks", "numActiveTasks", "numCompletedTasks", "numCompleteTasks",
    "numFailedTasks", "numKilledTasks", "numSkippedTasks", "numCompletedIndices", "numActiveStages",
    "numCompletedStages", "numSkippedStages", "numFailedStages", "numPartitions",
    "numCachedPartitions", "storageLevel", "memoryUsed", "diskUsed", "blockName", "executors",
    "totalTasks", "completedTasks", "failedTasks", "activeTasks", "totalCores", "maxTasks",
    "rddBlocks", "maxMemory", "isActive", "inputRecords", "outputRecords", "shuffleReadRecords",
    "shuffleWriteRecords", "recordsRead", "recordsWritten", "bytesRead", "bytesWritten",
    "submissionTime", "completionTime", "launchTime", "duration", "executorRunTime",
    "sparkProperties", "systemProperties", "runtime", "errorMessage", "failureReason",
}


def differences(ours, spark, path="$"):
    """Where `ours` and `spark` differ in shape, or in value for SAME_VALUES."""
    if isinstance(spark, dict) and isinstance(ours, dict):
        found = []
        for key in sorted(set(spark) | set(ours)):
            if key not in ours:
                found.append("%s.%s: missing (Spark has %r)" % (path, key, spark[key]))
            elif key not in spark:
                found.append("%s.%s: extra (Spark has no such field)" % (path, key))
            elif key in SAME_VALUES and ours[key] != spark[key]:
                found.append("%s.%s: %r, Spark: %r" % (path, key, ours[key], spark[key]))
            else:
                found += differences(ours[key], spark[key], "%s.%s" % (path, key))
        return found
    if isinstance(spark, list) and isinstance(ours, list):
        if len(ours) != len(spark):
            return ["%s: %d items, Spark: %d" % (path, len(ours), len(spark))]
        return [d for i, (a, b) in enumerate(zip(ours, spark)) for d in differences(a, b, "%s[%d]" % (path, i))]
    if type(ours) is not type(spark) and not (isinstance(ours, (int, float)) and isinstance(spark, (int, float))
                                              and not isinstance(ours, bool) and not isinstance(spark, bool)):
        return ["%s: %s %r, Spark: %s %r" % (path, type(ours).__name__, ours, type(spark).__name__, spark)]
    return []


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    log_dir = shared_pyspark_log(tmp_path_factory)
    with SparkHistoryServer(log_dir) as spark, EmberHistory(log_dir) as ours:
        yield ours.url, spark.url


def _endpoints(app, spark_url):
    base = "/api/v1/applications/%s" % app
    jobs = json_at(spark_url + base + "/jobs")
    rdds = json_at(spark_url + base + "/storage/rdd")
    assert rdds, "the PySpark log should have a cached RDD"
    failed = [j for j in jobs if j["status"] == "FAILED"][0]
    stage = failed["stageIds"][0]
    return ["/api/v1/applications", base, base + "/jobs", base + "/jobs?status=failed",
            base + "/jobs?status=succeeded", base + "/jobs/%d" % failed["jobId"], base + "/stages",
            base + "/stages?status=complete", base + "/stages?status=failed", base + "/stages/%d" % stage,
            base + "/stages/%d/0" % stage, base + "/stages/%d/0?details=false" % stage,
            base + "/stages/0/0/taskList", base + "/stages/0/0/taskList?offset=1&length=2",
            base + "/stages/0/0/taskList?sortBy=-runtime", base + "/stages/0/0/taskList?sortBy=runtime",
            base + "/executors", base + "/allexecutors", base + "/storage/rdd",
            base + "/storage/rdd/%d" % rdds[0]["id"], base + "/environment"]


def test_every_endpoint_answers_as_spark_does(servers):
    ours, spark = servers
    app = json_at(spark + "/api/v1/applications")[0]["id"]
    problems = []
    for endpoint in _endpoints(app, spark):
        problems += ["%s %s" % (endpoint, d) for d in differences(json_at(ours + endpoint), json_at(spark + endpoint))]
    assert problems == [], "\n".join(problems)


def test_unknown_ids_are_404s_naming_them(servers):
    ours, _ = servers
    app = json_at(ours + "/api/v1/applications")[0]["id"]
    import urllib.error
    for endpoint, message in [("/api/v1/applications/nope/jobs", "no such app: nope"),
                              ("/api/v1/applications/%s/jobs/99" % app, "unknown job: 99"),
                              ("/api/v1/applications/%s/stages/99" % app, "unknown stage: 99"),
                              ("/api/v1/applications/%s/storage/rdd/99" % app, "unknown rdd: 99")]:
        with pytest.raises(urllib.error.HTTPError) as error:
            json_at(ours + endpoint)
        assert error.value.code == 404
        assert error.value.read().decode() == message
    with pytest.raises(urllib.error.HTTPError) as error:
        json_at(ours + "/api/v1/applications/%s/jobs?status=bogus" % app)
    assert error.value.code == 400 and "bogus" in error.value.read().decode()
