"""Cached RDDs in the status store: an RDD is known (name, partitions,
storage level) from the "RDD Info" of the stages that use it, its cached
blocks from SparkListenerBlockUpdated events (one per block stored or
dropped, with its executor and sizes), and it is forgotten on
SparkListenerUnpersistRDD (whose blocks' removal comes as block updates).
Also keeps each executor's memory and disk used by all its blocks
(broadcasts too) and its count of RDD blocks. Records are Spark's
RDDStorageInfo."""

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
            "id": info["RDD ID"], "memoryUsed": 0, "diskUsed": 0, "_blocks": {}, "_remaining": {}})
        rdd.update(name=info.get("Name", ""), numPartitions=info.get("Number of Partitions", 0),
                   storageLevel=level_description(level))


@handles("BlockUpdated")
def block_updated(store, e):
    """As Spark counts them: an executor's memory and disk change by the
    update's sizes, added when its level uses memory (disk), subtracted
    when not; an RDD block with a valid level (memory or disk, replication
    > 0) is stored with those sizes, otherwise dropped."""
    update = e.get("Block Updated Info", {})
    block = update.get("Block ID", "")
    manager = update.get("Block Manager ID", {})
    executor = store.executor(manager.get("Executor ID"), manager.get("Host", ""))
    level = update.get("Storage Level", {})
    memory, disk = update.get("Memory Size", 0), update.get("Disk Size", 0)
    _account(executor, memory if level.get("Use Memory") else -memory, disk if level.get("Use Disk") else -disk)
    if not block.startswith("rdd_"):
        return
    valid = _is_stored(level) and level.get("Replication", 1) > 0
    rdd = store.rdds.get(int(block.split("_")[1]))
    had = (block, executor["id"]) in (rdd or {}).get("_blocks", {})
    if rdd is not None:
        _update_rdd(rdd, block, executor, level, memory if valid else 0, disk if valid else 0)
    executor["rddBlocks"] += ((block, executor["id"]) in (rdd or {}).get("_blocks", {})) - had


def _account(executor, memory, disk):
    executor["memoryUsed"] += memory
    executor["diskUsed"] += disk
    executor["memoryMetrics"]["usedOnHeapStorageMemory"] += memory


def _update_rdd(rdd, block, executor, level, memory, disk):
    """The RDD's block on `executor` is now memory + disk bytes (0: gone);
    blocks keep the order they were first stored in, as in Spark."""
    key = (block, executor["id"])
    old = rdd["_blocks"].get(key, {"memoryUsed": 0, "diskUsed": 0})
    rdd["memoryUsed"] += memory - old["memoryUsed"]
    rdd["diskUsed"] += disk - old["diskUsed"]
    if memory or disk:
        rdd["_blocks"][key] = {"blockName": block, "storageLevel": level_description(level),
                               "memoryUsed": memory, "diskUsed": disk, "executors": [executor["id"]],
                               "_address": executor["hostPort"]}
    else:
        rdd["_blocks"].pop(key, None)
    rdd["_remaining"][executor["hostPort"]] = executor["maxMemory"] - executor["memoryUsed"]


@handles("UnpersistRDD")
def unpersist_rdd(store, e):
    store.rdds.pop(e.get("RDD ID"), None)
