"""The Python worker daemon: forks workers on demand for one executor.

Started by the executor as ``python -m ember.daemon SOCKET WORKDIR`` with
the shared secret on stdin; WORKDIR (the executor's scratch space) is
removed when the daemon exits. It listens on the Unix socket (mode 0600) and
forks one worker per connection; the worker proves the caller knows the
secret (HMAC-SHA256 over a nonce) before reading anything else. On stdout
it reports ``READY`` and ``EXIT <pid> <how>`` for every worker that ends.
When stdin closes — the executor stopped or died, even by SIGKILL — it
kills its workers and exits. Workers also get SIGKILL if the daemon dies.
"""

import ctypes
import gc
import hashlib
import hmac
import os
import resource
import select
import shutil
import signal
import socket
import struct
import sys

from . import pyspark_aliases, rdd, shuffle, worker  # noqa: F401 imported before forking: workers start warm

PR_SET_PDEATHSIG = 1


def _describe(status):
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = "signal %d" % sig
        return "killed by signal %d (%s)" % (sig, name)
    return "exited with code %d" % os.WEXITSTATUS(status)


def _authenticate(conn, secret):
    nonce = os.urandom(32)
    conn.sendall(nonce)
    expected = hmac.new(secret, nonce, hashlib.sha256).digest()
    got = b""
    while len(got) < len(expected):
        chunk = conn.recv(len(expected) - len(got))
        if not chunk:
            return False
        got += chunk
    if not hmac.compare_digest(got, expected):
        return False
    conn.sendall(struct.pack("<I", os.getpid()))
    return True


def _cap_memory():
    """spark.executor.pyspark.memory: the worker may map that many bytes
    beyond what it has at fork, so a runaway task gets MemoryError."""
    cap = int(os.environ.get("EMBER_PYSPARK_MEMORY", "0"))
    if cap:
        with open("/proc/self/statm") as f:
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (mapped + cap, mapped + cap))


def _child(conn, listener, secret):
    listener.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    _cap_memory()
    os.dup2(2, 1)  # user prints must not reach the daemon's status channel
    sys.stdin.close()
    code = 1
    try:
        if _authenticate(conn, secret):
            code = worker.serve(conn)
    finally:
        sys.stdout.flush()
        os._exit(code)


def _report(line):
    os.write(_STATUS_FD, (line + "\n").encode())


def _reap():
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _report("EXIT %d %s" % (pid, _describe(status)))


def main(sock_path, work_dir):
    secret = sys.stdin.buffer.readline().strip()
    if os.environ.get(pyspark_aliases.ENV) == "1":  # the driver serves pyspark imports: so do we
        pyspark_aliases.install()
    os.environ["EMBER_SPILL_DIR"] = work_dir  # workers' spill files go with the executor
    os.setpgrp()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # "@name" is an abstract socket (see worker_pool.cc); connections
    # authenticate before anything else.
    listener.bind("\0" + sock_path[1:] if sock_path.startswith("@") else sock_path)
    listener.listen(128)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    # Objects that exist now are never collected; freezing them keeps the
    # collector from writing to their pages, so forked workers share them.
    gc.freeze()
    # Workers build large containers (groups, merge tables, unpickled
    # batches): with the default thresholds the collector re-scans them so
    # often that unpickling a shuffle block takes 4x longer. Young cycles
    # are still collected every 100k allocations.
    gc.set_threshold(100_000, 50, 100)
    _report("READY")
    stdin_fd = sys.stdin.fileno()
    try:
        while True:
            ready, _, _ = select.select([listener, stdin_fd, wake_r], [], [])
            if wake_r in ready:
                os.read(wake_r, 4096)
                _reap()
            if stdin_fd in ready and not os.read(stdin_fd, 4096):
                return  # the executor is gone
            if listener in ready:
                conn, _ = listener.accept()
                pid = os.fork()
                if pid == 0:
                    _child(conn, listener, secret)
                conn.close()
    finally:
        # The executor's scratch space goes with it, even if it was killed.
        shutil.rmtree(work_dir, ignore_errors=True)
        # Our process group is us and our workers: end them all at once.
        os.killpg(0, signal.SIGKILL)


_STATUS_FD = 1

if __name__ == "__main__":
    _STATUS_FD = os.dup(1)
    os.dup2(2, 1)
    main(sys.argv[1], sys.argv[2])
