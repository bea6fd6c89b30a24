"""The fair scheduler's pools in the live UI of a context running
spark.scheduler.mode=FAIR, as Spark shows them: the "Fair Scheduler Pools"
table of the Stages page (each pool's name, linking to its page, minimum
share, weight, active stages, running tasks and scheduling mode) and one
pool's page (its row, then its active stages).

What a pool is configured with is store.scheduler_pools: what the engine
read from the allocation file (C++ parses it, once; None when the context
runs FIFO, and in the history server, which show no pools). The pools
listed are those configured, "default" and those the stages the store
holds ran in; one not configured is FIFO, weight 1, minShare 0. Active
stages and running tasks are counted from the store's stages. Callers
hold the store's lock; `base` is the application's root URL."""

from ember.ui import html as h
from ember.ui import pages_stages

UNCONFIGURED = {"schedulingMode": "FIFO", "weight": 1, "minShare": 0}
HEADERS = ["Pool Name", "Minimum Share", "Pool Weight", "Active Stages", "Running Tasks", "SchedulingMode"]


def _pools(store):
    """{pool name: its configuration}, or None when the UI shows no pools."""
    configured = store.scheduler_pools
    if configured is None:
        return None
    names = set(configured) | {"default"} | {s["schedulingPool"] for s in store.stages.values()}
    return {name: configured.get(name, UNCONFIGURED) for name in names}


def _active_stages(store, name):
    return sorted((s for s in store.stages.values() if s["status"] == "ACTIVE" and s["schedulingPool"] == name),
                  key=lambda s: (-s["stageId"], -s["attemptId"]))


def _row(base, name, config, active):
    return [h.cell("name", h.link(pages_stages.pool_href(base, name), name), raw=True), h.cell("minShare", config["minShare"]),
            h.cell("weight", config["weight"]), h.cell("activeStages", len(active)),
            h.cell("runningTasks", sum(s["numActiveTasks"] for s in active)),
            h.cell("schedulingMode", config["schedulingMode"])]


def pools_section(store, base):
    """The Stages page's pool table; "" when the UI shows no pools."""
    pools = _pools(store)
    if pools is None:
        return ""
    rows = [_row(base, name, pools[name], _active_stages(store, name)) for name in sorted(pools)]
    return "<h3>Fair Scheduler Pools (%d)</h3>%s" % (len(rows), h.table("pools", HEADERS, rows))


def pool_page(store, base, name, now):
    """Pool `name`'s page; None (not found) for a pool the UI does not show."""
    pools = _pools(store)
    if pools is None or name not in pools:
        return None
    active = _active_stages(store, name)
    body = ("<h3>Summary</h3>%s<h3>Active Stages (%d)</h3>%s"
            % (h.table("pools", HEADERS, [_row(base, name, pools[name], active)]), len(active),
               pages_stages.stage_table(store, base, "active-stages", active, now)))
    return h.page(base, "stages", store.app["name"], "Fair Scheduler Pool: %s" % name, body)
