"""A function run on a thread of its own, its outcome kept for the test.

Contract: run_in_thread(fn) starts fn on a new thread and returns a dict
holding the thread ("thread") and, once fn returns, its result ("result")
or the exception it raised ("error"); join the thread before reading."""

import threading


def run_in_thread(fn):
    out = {}

    def target():
        try:
            out["result"] = fn()
        except BaseException as e:  # noqa: B902 - the test inspects it
            out["error"] = e
    out["thread"] = threading.Thread(target=target)
    out["thread"].start()
    return out
