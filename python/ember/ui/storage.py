"""Cached RDDs in the status store: an RDD is known (name, partitions,
storage level) from the "RDD Info" of the stages that use it, its cached
blocks from SparkListenerBlockUpdated events (one per block stored or
dropped, with its executor and sizes), and it is forgotten on
SparkListenerUnpersistRDD. Also keeps each executor's memory, disk and
block counts. Records are Spark's RDDStorageInfo."""

from ember.ui.registry import handles


def level_description(level):
    """A storage level as Spark writes it: "Memory Deserialized 1x Replicated"."""
    text = "Disk " if level.get("Use Disk") else ""
    if level.get("Use Memory"):
        text += "Memory (off heap) " if level.get("Use Off Heap") else "Memory "
    text += "Deserialized " if level.get("Deserialized") else "Serialized "
    return text + "%dx Replicated" % level.get("Replication", 1)


def _is_stored(level):
    return bool(level.get("Use Disk") or level.get("Use Memory") or level.get("Use Off Heap"))


def note_rdds(store, stage_info):
    """Remembers the persisted RDDs a stage names."""
    for info in stage_info.get("RDD Info", []):
        level = info.get("Storage Level", {})
        if not _is_stored(level):
            continue
        rdd = store.rdds.setdefault(info["RDD ID"], {
            "id": info["RDD ID"], "memoryUsed": 0, "diskUsed": 0, "_blocks": {}})
        rdd.update(name=info.get("Name", ""), numPartitions=info.get("Number of Partitions", 0),
                   storageLevel=level_description(level))


@handles("BlockUpdated")
def block_updated(store, e):
    update = e.get("Block Updated Info", {})
    block = update.get("Block ID", "")
    manager = update.get("Block Manager ID", {})
    executor = store._executor(manager.get("Executor ID"), manager.get("Host", ""))
    memory, disk = update.get("Memory Size", 0), update.get("Disk Size", 0)
    if not block.startswith("rdd_"):
        return
    rdd_id = int(block.split("_")[1])
    rdd = store.rdds.get(rdd_id)
    if rdd is None:
        return
    old = rdd["_blocks"].pop((block, executor["id"]), None)
    if old is not None:
        _account(rdd, executor, old["memoryUsed"], old["diskUsed"], -1)
    if memory or disk:
        level = level_description(update.get("Storage Level", {}))
        rdd["_blocks"][(block, executor["id"])] = {
            "blockName": block, "storageLevel": level, "memoryUsed": memory, "diskUsed": disk,
            "executors": [executor["id"]], "_address": executor["hostPort"]}
        _account(rdd, executor, memory, disk, 1)


def _account(rdd, executor, memory, disk, sign):
    rdd["memoryUsed"] += sign * memory
    rdd["diskUsed"] += sign * disk
    executor["memoryUsed"] += sign * memory
    executor["diskUsed"] += sign * disk
    executor["rddBlocks"] += sign
    executor["memoryMetrics"]["usedOnHeapStorageMemory"] += sign * memory


@handles("UnpersistRDD")
def unpersist_rdd(store, e):
    rdd = store.rdds.pop(e.get("RDD ID"), None)
    for (_, executor_id), block in (rdd or {}).get("_blocks", {}).items():
        executor = store.executors.get(executor_id)
        if executor is not None:
            _account({"memoryUsed": 0, "diskUsed": 0}, executor, block["memoryUsed"], block["diskUsed"], -1)
