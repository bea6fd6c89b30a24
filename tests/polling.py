"""Bounded polling: the tests wait for conditions, never for time.

Contract: wait_for(condition, what, timeout) calls `condition` until it
returns something true and returns that; after `timeout` seconds it raises
AssertionError naming `what` (and the last value seen, if `describe` is
given, so a failure says what the state was)."""

import time


def wait_for(condition, what, timeout=60, describe=None):
    deadline = time.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.time() > deadline:
            state = "; last seen: %s" % describe() if describe else ""
            raise AssertionError("timed out after %g s waiting for %s%s" % (timeout, what, state))
        time.sleep(0.05)
