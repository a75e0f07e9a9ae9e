# SPDX-License-Identifier: GPL-3.0-or-later
"""IPSET_CMD_TEST and IPSET_CMD_GET_BYNAME on the running kernel, the ``ipset`` CLI and
iptables' own lookup as oracles.

* test: sets are filled with the CLI in a fresh namespace; for every probe, ``ipset test``'s
  exit status is the answer `planner.match_entries` must give (network containment in
  hash:net, nomatch exceptions, an expired timeout, ports, bitmap:ip,mac by address and MAC).
* index: sets are created and destroyed with the CLI; each set's index must be the one the
  kernel gives through the other interface that has it, the SO_IP_SET getsockopt()
  (IP_SET_OP_GET_BYNAME) that iptables' set match uses.
Needs root and the ipset binary: without them it fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from typing import Dict, List

from ansible_collections.linux.netlink.plugins.module_utils._ipset import planner
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import IpsetClient


def _ipset(netns: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        ["ip", "netns", "exec", netns, "ipset", *args], capture_output=True, text=True
    )
    if check:
        assert proc.returncode == 0, (args, proc.stderr)
    return proc


SETUP = [
    ("net", "hash:net", ["10.0.0.0/8", "10.2.0.0/16 nomatch", "192.168.0/24"]),
    ("tmo", "hash:ip timeout 600", ["10.9.9.8", "10.9.9.9 timeout 1"]),
    ("ipp", "hash:ip,port", ["10.0.0.1,tcp:80", "10.0.0.1,udp:53"]),
    ("mac", "bitmap:ip,mac range 10.0.0.0/24", ["10.0.0.1,aa:bb:cc:dd:ee:ff", "10.0.0.2"]),
    ("ifs", "hash:net,iface", ["10.0.0.0/8,eth0"]),
]  # fmt: skip

PROBES = {
    "net": ["10.1.2.3", "10.2.3.4", "10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16", "11.0.0.1",
            "192.168.0.77", "192.168.0/24", "10.1"],
    "tmo": ["10.9.9.8", "10.9.9.9", "10.9.9.7"],
    "ipp": ["10.0.0.1,80", "10.0.0.1,tcp:81", "10.0.0.1,udp:domain", "10.0.0.2,tcp:80"],
    "mac": ["10.0.0.1", "10.0.0.1,AA:BB:CC:DD:EE:FF", "10.0.0.1,00:00:00:00:00:01", "10.0.0.2",
            "10.0.0.3"],
    "ifs": ["10.1.2.3,eth0", "10.1.2.3,eth1", "10.0.0.0/8,eth0"],
}  # fmt: skip


def test_binaries_present():
    assert shutil.which("ipset") and shutil.which("ip"), "needs the ipset and ip binaries"


def test_match_entries_answers_as_ipset_test(netns: str) -> None:
    for name, create, items in SETUP:
        _ipset(netns, "create", name, *create.split())
        for item in items:
            _ipset(netns, "add", name, *item.split())
    time.sleep(2)  # 10.9.9.9 expires
    with IpsetClient(netns=netns) as client:
        for name, probes in PROBES.items():
            info = client.get(name, elements=False)
            assert info is not None
            ours = planner.match_entries(client, info, probes)
            cli = [_ipset(netns, "test", name, p, check=False).returncode == 0 for p in probes]
            assert [r["entry"] for r in ours] == probes
            assert [r["match"] for r in ours] == cli, name
    assert any(cli) and not all(cli)  # the oracle said yes and no


_GET_BYNAME = r"""
import ctypes, json, socket, sys
# linux/netfilter/ipset/ip_set.h: SO_IP_SET, IP_SET_OP_GET_BYNAME, struct ip_set_req_get_set
SO_IP_SET, IP_SET_OP_GET_BYNAME, IPSET_PROTOCOL = 83, 0x00000006, 7
class Req(ctypes.Structure):
    _fields_ = [("op", ctypes.c_uint), ("version", ctypes.c_uint), ("name", ctypes.c_char * 32)]
libc = ctypes.CDLL(None, use_errno=True)
sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
out = {}
for name in sys.argv[1:]:
    req = Req(IP_SET_OP_GET_BYNAME, IPSET_PROTOCOL, name.encode())
    size = ctypes.c_uint(ctypes.sizeof(req))
    if libc.getsockopt(sock.fileno(), socket.SOL_IP, SO_IP_SET, ctypes.byref(req),
                       ctypes.byref(size)) != 0:
        raise OSError(ctypes.get_errno(), "getsockopt SO_IP_SET")
    out[name] = int.from_bytes(bytes(req)[8:10], sys.byteorder)  # union: ip_set_id_t index
print(json.dumps(out))
"""


def _sockopt_indexes(netns: str, names: List[str]) -> Dict[str, int]:
    proc = subprocess.run(
        ["ip", "netns", "exec", netns, sys.executable, "-c", _GET_BYNAME, *names],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_index_is_the_kernels(netns: str) -> None:
    for name in ("a", "b", "c"):
        _ipset(netns, "create", name, "hash:ip")
    _ipset(netns, "destroy", "b")
    _ipset(netns, "create", "d", "hash:net")  # takes the free slot
    _ipset(netns, "rename", "c", "c2")  # keeps its slot
    _ipset(netns, "create", "e", "hash:ip")
    _ipset(netns, "swap", "a", "e")  # the slots stay with the names
    names = ["a", "c2", "d", "e"]
    with IpsetClient(netns=netns) as client:
        ours = {name: client.index(name) for name in names}
        assert client.index("b") is None
    assert ours == _sockopt_indexes(netns, names)
    assert len(set(ours.values())) == 4
    assert _sockopt_indexes(netns, ["b"]) == {"b": 0xFFFF}  # IPSET_INVALID_ID
