"""Hosts for one test, made of Linux network namespaces on a bridge.

Contract: Topology(hosts, log_dir) builds a Linux bridge and, per host name,
a network namespace joined to the bridge by a veth pair, with loopback up
and its own IPv4 address in a /24 that no other live topology on this
machine uses. Every name starts with a prefix the topology claims
atomically (creating its bridge fails if the name exists), so tests running
at once and leftovers of crashed runs never collide; interface names stay
within 15 characters. Nothing is ever given an address outside the
namespaces: the root namespace reaches them only through run_in().

It starts processes inside a host's namespace from argument vectors (`ip
netns exec NS argv...`, never a shell), their stdout and stderr in files of
log_dir, and gives that argument vector (command()) to callers that start
processes themselves; kills them; cuts and restores a host's link (its
veth on the bridge side down/up); runs a function whose sockets live in a
host's namespace (the test's own probes). close() kills every process in
its namespaces, however started, deletes namespaces, veths and bridge,
and raises AssertionError if anything it started is still running or any
namespace or interface of it is left.

Where namespaces cannot be made (not root, no CAP_SYS_ADMIN, no `ip`, no
bridge or veth support) the constructor raises NamespacesUnavailable with
the real error, for the fixtures to skip on.
"""

import ctypes
import os
import random
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

CLONE_NEWNET = 0x40000000
NETNS_DIR = "/run/netns"
# What `ip` says when this machine, not the test, is the problem.
UNAVAILABLE = ("Operation not permitted", "Permission denied", "Unknown device type",
               "not supported", "Not supported")


class NamespacesUnavailable(Exception):
    """Network namespaces cannot be made here; the message says why."""


class IpError(Exception):
    def __init__(self, argv, stderr):
        super().__init__("%s: %s" % (" ".join(argv), stderr.strip()))
        self.stderr = stderr


def ip(*args):
    argv = ["ip"] + list(args)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise IpError(argv, done.stderr)
    return done.stdout


@dataclass
class Host:
    name: str
    namespace: str
    address: str
    veth: str  # the bridge side of its link


class Process:
    """A process started in a host's namespace; its output goes to files."""

    def __init__(self, host, name, argv, popen, stdout_path, stderr_path):
        self.host, self.name, self.argv = host, name, argv
        self.popen, self.pid = popen, popen.pid
        self.stdout_path, self.stderr_path = stdout_path, stderr_path

    def alive(self):
        return self.popen.poll() is None

    def wait(self, timeout):
        """The exit status, or None if still running after `timeout` seconds."""
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        """SIGKILL and reap."""
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
        self.popen.wait()

    def output(self):
        """(stdout, stderr) so far."""
        texts = []
        for path in (self.stdout_path, self.stderr_path):
            with open(path, errors="replace") as f:
                texts.append(f.read())
        return tuple(texts)


def _enter_namespace(path):
    """Move the calling thread (only it) into the network namespace at `path`."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            error = ctypes.get_errno()
            raise OSError(error, "setns(%s): %s" % (path, os.strerror(error)))
    finally:
        os.close(fd)


class Topology:
    def __init__(self, hosts, log_dir):
        if shutil.which("ip") is None:
            raise NamespacesUnavailable("the `ip` command (iproute2) is not installed")
        self.log_dir = str(log_dir)
        self.hosts = {}
        self.processes = []
        self.prefix = None
        try:
            self._claim()
            for index, name in enumerate(hosts):
                self._add_host(index, name)
        except IpError as error:
            self._delete()
            if any(text in error.stderr for text in UNAVAILABLE):
                raise NamespacesUnavailable(str(error)) from error
            raise

    def _claim(self):
        """Pick a free prefix and subnet: creating the bridge is the claim."""
        existing = ip("netns", "list")
        rng = random.SystemRandom()
        for _ in range(50):
            number = rng.getrandbits(16)
            prefix = "em%04x" % number
            if prefix in existing:  # a namespace left by a crashed run
                continue
            try:
                ip("link", "add", prefix + "br", "type", "bridge", "nf_call_iptables", "0",
                   "nf_call_ip6tables", "0", "nf_call_arptables", "0")
            except IpError as error:
                if "File exists" in error.stderr:
                    continue
                raise
            self.prefix = prefix
            self.subnet = "10.%d.%d" % (number >> 8, number & 255)
            ip("link", "set", self.bridge, "up")
            return
        raise RuntimeError("no free topology prefix after 50 tries")

    @property
    def bridge(self):
        return self.prefix + "br"

    def _add_host(self, index, name):
        host = Host(name, "%s-%s" % (self.prefix, name), "%s.%d" % (self.subnet, index + 1),
                    "%sh%d" % (self.prefix, index))
        inside = "%sn%d" % (self.prefix, index)
        self.hosts[name] = host
        ip("netns", "add", host.namespace)
        ip("link", "add", host.veth, "type", "veth", "peer", "name", inside)
        ip("link", "set", inside, "netns", host.namespace)
        ip("link", "set", host.veth, "master", self.bridge, "up")
        ip("-n", host.namespace, "addr", "add", host.address + "/24", "dev", inside)
        ip("-n", host.namespace, "link", "set", inside, "up")
        ip("-n", host.namespace, "link", "set", "lo", "up")

    def address(self, host):
        return self.hosts[host].address

    def command(self, host, argv):
        """The argument vector that runs argv in `host`'s namespace (as the
        same process: `ip netns exec` execs it)."""
        return ["ip", "netns", "exec", self.hosts[host].namespace] + list(argv)

    def start(self, host, argv, name, env=None):
        """Start argv in `host`'s namespace; its output goes to
        log_dir/<host>.<name>.out and .err."""
        base = os.path.join(self.log_dir, "%s.%s" % (host, name))
        stdout_path, stderr_path = base + ".out", base + ".err"
        with open(stdout_path, "ab") as out, open(stderr_path, "ab") as err:
            popen = subprocess.Popen(self.command(host, argv),
                                     stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                     env=dict(os.environ, **(env or {})))
        process = Process(host, name, list(argv), popen, stdout_path, stderr_path)
        self.processes.append(process)
        return process

    def namespace_id(self, host):
        """The identity of `host`'s namespace: (st_dev, st_ino) of its file,
        as of /proc/<pid>/ns/net of any process in it."""
        status = os.stat(os.path.join(NETNS_DIR, self.hosts[host].namespace))
        return status.st_dev, status.st_ino

    def host_of_namespace(self, namespace_id):
        """The host whose namespace is `namespace_id`, or None."""
        for name in self.hosts:
            if self.namespace_id(name) == tuple(namespace_id):
                return name
        return None

    def pids(self, host):
        """Live processes in `host`'s namespace (what `ip netns pids` reads;
        a zombie has no namespace any more)."""
        wanted = self.namespace_id(host)
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                status = os.stat("/proc/%s/ns/net" % entry)
            except OSError:
                continue
            if (status.st_dev, status.st_ino) == wanted:
                found.append(int(entry))
        return found

    def cut(self, host):
        """Take `host` off the network: its link on the bridge side goes down."""
        ip("link", "set", self.hosts[host].veth, "down")

    def restore(self, host):
        ip("link", "set", self.hosts[host].veth, "up")

    def run_in(self, host, function, *args):
        """function(*args) in a thread inside `host`'s network namespace:
        sockets it creates belong to that namespace. Returns its result or
        raises its exception; `function` must bound its own waits."""
        outcome = {}

        def run():
            try:
                _enter_namespace(os.path.join(NETNS_DIR, self.hosts[host].namespace))
                outcome["value"] = function(*args)
            except BaseException as error:  # handed to the caller's thread
                outcome["error"] = error

        thread = threading.Thread(target=run, name="netns-" + host, daemon=True)
        thread.start()
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    def close(self, timeout=15):
        """Kill everything in the namespaces, delete namespaces, veths and
        bridge; AssertionError naming whatever is left."""
        try:
            left = self._kill_all(timeout)
        finally:
            self._delete()
        assert not left, "still running after SIGKILL and %d s: %s" % (timeout, left)
        self._wait_gone(timeout)

    def _kill_all(self, timeout):
        """SIGKILL every process of every namespace, again while any appear
        (a daemon may be forking); reap ours. Returns what still runs."""
        deadline = time.time() + timeout
        while True:
            pids = [pid for host in self.hosts for pid in self.pids(host)]
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            for process in self.processes:
                process.popen.poll()
            running = [p.pid for p in self.processes if p.popen.returncode is None]
            if not pids and not running:
                return []
            if time.time() > deadline:
                return sorted(set(pids + running))
            time.sleep(0.02)

    def _delete(self):
        """Delete what this topology made; tolerant of what was never made."""
        if self.prefix is None:
            return
        for host in self.hosts.values():
            for args in (("netns", "del", host.namespace), ("link", "del", host.veth)):
                try:
                    ip(*args)
                except IpError:
                    pass  # never made, or gone with its peer
        try:
            ip("link", "del", self.bridge)
        except IpError:
            pass

    def leftovers(self):
        """Names of this topology's namespaces and interfaces that still exist."""
        names = [line.split()[0] for line in ip("netns", "list").splitlines() if line.strip()]
        names += [line.split(":")[1].strip().split("@")[0] for line in ip("-o", "link", "show").splitlines()]
        return [name for name in names if name.startswith(self.prefix)]

    def _wait_gone(self, timeout):
        """Interfaces of a deleted namespace go away asynchronously."""
        deadline = time.time() + timeout
        while self.leftovers():
            assert time.time() < deadline, "left after teardown: %s" % self.leftovers()
            time.sleep(0.02)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
