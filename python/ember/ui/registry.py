"""The table from a Spark listener event's name ("SparkListenerJobStart") to
the function applying it to the status store; handlers.py and task_end.py
fill it with the @handles decorator."""

HANDLERS = {}


def handles(name):
    def register(fn):
        HANDLERS["SparkListener" + name] = fn
        return fn
    return register
