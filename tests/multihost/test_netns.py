"""Self-tests of the namespace harness: hosts talk over TCP through the
bridge, a command a caller starts itself runs in its host's namespace, a
cut link makes a connect time out and restoring it heals it, topologies
alive at once never share names or subnets, and teardown leaves no
namespace, interface or process; without the rights to make namespaces
the harness says why (the fixtures skip on that)."""

import os
import shutil
import socket
import subprocess
import sys
import textwrap

import pytest

from netns import NamespacesUnavailable, Topology
from polling import wait_for

pytestmark = pytest.mark.timeout(60)
HERE = os.path.dirname(os.path.abspath(__file__))

ECHO_SERVER = textwrap.dedent("""
    import socket, sys
    server = socket.create_server((sys.argv[1], int(sys.argv[2])))
    print("listening", flush=True)
    while True:
        conn, _ = server.accept()
        with conn:
            conn.sendall(conn.recv(100).upper())
""")

CLIENT = textwrap.dedent("""
    import socket, sys
    with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5) as conn:
        conn.sendall(b"hello from " + sys.argv[3].encode())
        print(conn.recv(100).decode())
""")


def start_echo_server(topology, host, port=5000):
    server = topology.start(host, [sys.executable, "-c", ECHO_SERVER, topology.address(host), str(port)],
                            "echo")
    wait_for(lambda: "listening" in server.output()[0], "the echo server in " + host, timeout=10)
    return server


def exchange(address, port=5000, timeout=1.0):
    """One round trip with the echo server, from the calling namespace."""
    with socket.create_connection((address, port), timeout=timeout) as conn:
        conn.sendall(b"ping")
        return conn.recv(100)


def test_two_hosts_talk_over_tcp_through_the_bridge(make_topology):
    topology = make_topology(["a", "b"])
    assert topology.address("a") != topology.address("b")
    start_echo_server(topology, "a")
    client = topology.start("b", [sys.executable, "-c", CLIENT, topology.address("a"), "5000", "b"], "client")
    assert client.wait(timeout=10) == 0, client.output()
    assert client.output()[0].strip() == "HELLO FROM B"
    # The test's own probes reach the same server from inside a namespace.
    assert topology.run_in("b", exchange, topology.address("a")) == b"PING"
    # Processes run where they were started: the client was in b's namespace.
    assert topology.pids("a") and not set(topology.pids("a")) & set(topology.pids("b"))


def test_a_command_runs_in_the_hosts_namespace_as_the_same_process(make_topology):
    """command() is for callers that start processes themselves (bench/)."""
    topology = make_topology(["a", "b"])
    start_echo_server(topology, "a")
    client = [sys.executable, "-c", CLIENT, topology.address("a"), "5000", "b"]
    done = subprocess.run(topology.command("b", client), capture_output=True, text=True, timeout=10)
    assert done.returncode == 0 and done.stdout.strip() == "HELLO FROM B", done.stderr
    sleeper = subprocess.Popen(topology.command("b", ["sleep", "60"]))
    try:
        wait_for(lambda: sleeper.pid in topology.pids("b"), "the command's own pid in b's namespace", timeout=10)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_cut_link_times_out_and_restoring_it_heals(make_topology):
    topology = make_topology(["a", "b"])
    start_echo_server(topology, "a")
    server = topology.address("a")
    assert topology.run_in("b", exchange, server) == b"PING"
    topology.cut("a")
    with pytest.raises(socket.timeout):
        topology.run_in("b", exchange, server)
    topology.restore("a")

    def heals():
        try:
            return topology.run_in("b", exchange, server)
        except OSError:
            return None
    assert wait_for(heals, "the restored link to carry traffic", timeout=15) == b"PING"


def test_live_topologies_never_share_names_or_subnets(make_topology):
    first, second = make_topology(["a"]), make_topology(["a"])
    assert first.prefix != second.prefix
    assert first.address("a").rsplit(".", 1)[0] != second.address("a").rsplit(".", 1)[0]
    assert all(len(name) <= 15 for t in (first, second) for name in t.leftovers())


def test_teardown_leaves_no_namespace_interface_or_process(tmp_path):
    try:
        topology = Topology(["a", "b"], tmp_path)
    except NamespacesUnavailable as reason:
        pytest.skip("network namespaces unavailable: %s" % reason)
    start_echo_server(topology, "a")
    # A process whose child outlives it: teardown must find the child too.
    parent = topology.start("b", [sys.executable, "-c",
                                  "import subprocess; print(subprocess.Popen(['sleep', '600']).pid, flush=True)"],
                            "parent")
    assert parent.wait(timeout=10) == 0
    orphan = int(parent.output()[0])
    assert orphan in topology.pids("b")
    assert len(topology.leftovers()) == 5  # two namespaces, the bridge ends of their veths, the bridge
    topology.close()
    assert topology.leftovers() == []
    assert not os.path.exists("/proc/%d/ns/net" % orphan)
    assert all(not p.alive() for p in topology.processes)


def test_without_the_rights_the_harness_says_why(tmp_path):
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run the harness as another user")
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from netns import Topology, NamespacesUnavailable\n"
            "try:\n    Topology(['a'], %r)\n"
            "except NamespacesUnavailable as reason:\n    print('unavailable:', reason)\n") % (HERE, str(tmp_path))
    done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("unavailable:") and "not permitted" in done.stdout, done.stdout
