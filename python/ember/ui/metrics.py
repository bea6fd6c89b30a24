"""Spark's task metrics, in both spellings: the event log's ("Task Metrics":
{"Executor Run Time": ..., "Shuffle Read Metrics": {...}}) and the REST
API's (taskMetrics: {executorRunTime, shuffleReadMetrics: {...}}), and
the records the store keeps (Spark's REST shapes: TaskData, StageData's
sums, ExecutorSummary, RDDStorageInfo) with their zero values.
"""

# REST name -> event log name, for the flat metrics.
FLAT = [
    ("executorDeserializeTime", "Executor Deserialize Time"),
    ("executorDeserializeCpuTime", "Executor Deserialize CPU Time"),
    ("executorRunTime", "Executor Run Time"),
    ("executorCpuTime", "Executor CPU Time"),
    ("resultSize", "Result Size"),
    ("jvmGcTime", "JVM GC Time"),
    ("resultSerializationTime", "Result Serialization Time"),
    ("memoryBytesSpilled", "Memory Bytes Spilled"),
    ("diskBytesSpilled", "Disk Bytes Spilled"),
    ("peakExecutionMemory", "Peak Execution Memory"),
]
# REST group name, event log group name, [(REST name, event log name)].
GROUPS = [
    ("inputMetrics", "Input Metrics", [("bytesRead", "Bytes Read"), ("recordsRead", "Records Read")]),
    ("outputMetrics", "Output Metrics",
     [("bytesWritten", "Bytes Written"), ("recordsWritten", "Records Written")]),
    ("shuffleReadMetrics", "Shuffle Read Metrics", [
        ("remoteBlocksFetched", "Remote Blocks Fetched"),
        ("localBlocksFetched", "Local Blocks Fetched"),
        ("fetchWaitTime", "Fetch Wait Time"),
        ("remoteBytesRead", "Remote Bytes Read"),
        ("remoteBytesReadToDisk", "Remote Bytes Read To Disk"),
        ("localBytesRead", "Local Bytes Read"),
        ("recordsRead", "Total Records Read"),
        ("remoteReqsDuration", "Remote Requests Duration"),
    ]),
    ("shuffleWriteMetrics", "Shuffle Write Metrics", [
        ("bytesWritten", "Shuffle Bytes Written"),
        ("writeTime", "Shuffle Write Time"),
        ("recordsWritten", "Shuffle Records Written"),
    ]),
]
PUSH_READ = ["corruptMergedBlockChunks", "mergedFetchFallbackCount", "remoteMergedBlocksFetched",
             "localMergedBlocksFetched", "remoteMergedChunksFetched", "localMergedChunksFetched",
             "remoteMergedBytesRead", "localMergedBytesRead", "remoteMergedReqsDuration"]

# StageData's metric sums: REST stage field -> (taskMetrics group or None, field).
STAGE_SUMS = [(name, None, name) for name, _ in FLAT] + [
    ("inputBytes", "inputMetrics", "bytesRead"),
    ("inputRecords", "inputMetrics", "recordsRead"),
    ("outputBytes", "outputMetrics", "bytesWritten"),
    ("outputRecords", "outputMetrics", "recordsWritten"),
    ("shuffleRemoteBlocksFetched", "shuffleReadMetrics", "remoteBlocksFetched"),
    ("shuffleLocalBlocksFetched", "shuffleReadMetrics", "localBlocksFetched"),
    ("shuffleFetchWaitTime", "shuffleReadMetrics", "fetchWaitTime"),
    ("shuffleRemoteBytesRead", "shuffleReadMetrics", "remoteBytesRead"),
    ("shuffleRemoteBytesReadToDisk", "shuffleReadMetrics", "remoteBytesReadToDisk"),
    ("shuffleLocalBytesRead", "shuffleReadMetrics", "localBytesRead"),
    ("shuffleReadRecords", "shuffleReadMetrics", "recordsRead"),
    ("shuffleRemoteReqsDuration", "shuffleReadMetrics", "remoteReqsDuration"),
] + [(stage_field, "shufflePushReadMetrics", name) for stage_field, name in zip(
    ["shuffleCorruptMergedBlockChunks", "shuffleMergedFetchFallbackCount", "shuffleMergedRemoteBlocksFetched",
     "shuffleMergedLocalBlocksFetched", "shuffleMergedRemoteChunksFetched", "shuffleMergedLocalChunksFetched",
     "shuffleMergedRemoteBytesRead", "shuffleMergedLocalBytesRead", "shuffleMergedRemoteReqsDuration"],
    PUSH_READ)] + [
    ("shuffleWriteBytes", "shuffleWriteMetrics", "bytesWritten"),
    ("shuffleWriteTime", "shuffleWriteMetrics", "writeTime"),
    ("shuffleWriteRecords", "shuffleWriteMetrics", "recordsWritten"),
]


def task_metrics(logged):
    """The REST taskMetrics of an event's "Task Metrics" (absent values are 0)."""
    out = {rest: int(logged.get(name, 0)) for rest, name in FLAT}
    for rest_group, group, fields in GROUPS:
        values = logged.get(group) or {}
        out[rest_group] = {rest: int(values.get(name, 0)) for rest, name in fields}
    out["shuffleReadMetrics"]["shufflePushReadMetrics"] = {name: 0 for name in PUSH_READ}
    return out


def value(metrics, group, field):
    if group == "shufflePushReadMetrics":
        return metrics["shuffleReadMetrics"][group][field]
    return (metrics[group] if group else metrics)[field]


def shuffle_read_bytes(metrics):
    read = metrics["shuffleReadMetrics"]
    return read["remoteBytesRead"] + read["localBytesRead"]


def new_executor(executor_id, host, time):
    return {
        "id": executor_id, "hostPort": host, "isActive": True, "rddBlocks": 0,
        "memoryUsed": 0, "diskUsed": 0, "totalCores": 0, "maxTasks": 0, "activeTasks": 0,
        "failedTasks": 0, "completedTasks": 0, "totalTasks": 0, "totalDuration": 0,
        "totalGCTime": 0, "totalInputBytes": 0, "totalShuffleRead": 0, "totalShuffleWrite": 0,
        "isBlacklisted": False, "maxMemory": 0, "addTime": time, "executorLogs": {},
        "memoryMetrics": {"usedOnHeapStorageMemory": 0, "usedOffHeapStorageMemory": 0,
                          "totalOnHeapStorageMemory": 0, "totalOffHeapStorageMemory": 0},
        "blacklistedInStages": [], "attributes": {}, "resources": {}, "resourceProfileId": 0,
        "isExcluded": False, "excludedInStages": [],
    }


def keep_peaks(record, executor_metrics):
    """Keeps in record["_peak"] the largest of each executor metric
    (JVMHeapMemory, ...) seen: Spark's peakExecutorMetrics/peakMemoryMetrics."""
    if executor_metrics:
        peak = record.setdefault("_peak", {})
        for name, amount in executor_metrics.items():
            peak[name] = max(peak.get(name, 0), amount)
