"""Block fetch throughput across hosts, for `make bench`:
bench/block_fetch_throughput.cc's program (TLS off and on) with the
fetching client in one network namespace and its block server in another,
so every block crosses two veth links and a bridge, as between two
executors on two machines. The hosts are tests/multihost's Topology,
imported from there.

Contract: runs PROGRAM once, its output passed through, the further
arguments handed to it (--total-mib, --runs); exits with its status.
Where namespaces cannot be made (not root, no iproute2) it prints why and
exits 0, so `make bench` goes on.

    /usr/bin/python3 bench/fetch_across_hosts.py PROGRAM [--total-mib 512] [--runs 5]
"""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "multihost"))
from netns import NamespacesUnavailable, Topology  # noqa: E402


def main(program, arguments):
    with tempfile.TemporaryDirectory(prefix="ember-fetch-across-hosts-") as log_dir:
        try:
            topology = Topology(["server", "client"], log_dir)
        except NamespacesUnavailable as reason:
            print("block fetch across hosts skipped: network namespaces unavailable: %s" % reason)
            return 0
        try:
            server = topology.hosts["server"]
            return subprocess.run(topology.command("client", [
                os.path.abspath(program), "--serve-host", server.address, "--server-netns", server.namespace,
                *arguments])).returncode
        finally:
            topology.close()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
