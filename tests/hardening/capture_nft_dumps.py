#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Capture real nf_tables replies for the decoder fuzz tests (tests/unit/hardening).

Run as root from the repository root (it works in a throw-away namespace, never the host's):

    unshare -n python3 tests/hardening/capture_nft_dumps.py \
        > tests/unit/hardening/fixtures/nft_dumps.py

A ruleset with sets and maps of several kinds is loaded with the nft(8) CLI (the oracle), then
read through the collection's own NetlinkSocket with a socket factory that records every
datagram the kernel sent. The output is a Python module: the kernel version, the ruleset, and
the datagrams of each request in hex.
"""

from __future__ import annotations

import os
import platform
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))  # conftest.py's import shim
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec, nfnetlink  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (  # noqa: E402
    AF_NETLINK,
    NetlinkSocket,
)
from ansible_collections.linux.netlink.plugins.module_utils._nftables import uapi as u  # noqa: E402

import conftest  # noqa: E402,F401

RULESET = """table inet t {
  set a { type ipv4_addr; flags interval; auto-merge; comment "nets";
          elements = { 10.0.0.0/8, 192.0.2.1-192.0.2.9, 198.51.100.7 } }
  set b { type ipv4_addr . inet_service; flags timeout; timeout 1h; counter;
          elements = { 10.0.0.1 . 80 timeout 10m comment "web", 10.0.0.2 . 22 } }
  map c { type inet_service : verdict; elements = { 22 : accept, 23 : drop } }
  map d { type ether_addr : mark; elements = { 02:00:00:00:00:01 : 0x10 } }
  set e { type ipv6_addr; elements = { 2001:db8::1 } }
  set f { type ipv4_addr . inet_service; flags interval; counter;
          elements = { 10.0.0.0/8 . 80-90, 192.0.2.1 . 22 } }
  chain input { type filter hook input priority 0; ip saddr @a drop; }
}
"""


class Recorder:
    def __init__(self) -> None:
        self.sock = socket.socket(AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, 12)
        self.received: list = []

    def recvmsg_into(self, buffers, *args):
        result = self.sock.recvmsg_into(buffers, *args)
        self.received.append(bytes(buffers[0][: result[0]]))
        return result

    def __getattr__(self, name):
        return getattr(self.sock, name)


def main() -> None:
    subprocess.run(["nft", "-f", "-"], input=RULESET, text=True, check=True)
    recorders: list = []

    def factory(protocol: int) -> Recorder:
        recorders.append(Recorder())
        return recorders[-1]

    sock = NetlinkSocket(12, socket_factory=factory)
    nft = nfnetlink.NFNL_SUBSYS_NFTABLES
    captured = {}

    def grab(name: str, command: int, attrs: bytes = b"", dump: bool = True) -> None:
        recorders[-1].received.clear()
        payload = nfnetlink.header(1 if attrs else 0) + attrs
        if dump:
            sock.dump(nfnetlink.msg_type(nft, command), payload)
        else:
            sock.request(nfnetlink.msg_type(nft, command), payload)
        captured[name] = [d.hex() for d in recorders[-1].received]

    grab("GETGEN", u.NFT_MSG_GETGEN, dump=False)
    grab("GETTABLE", u.NFT_MSG_GETTABLE)
    grab("GETSET", u.NFT_MSG_GETSET)
    grab("GETRULE", u.NFT_MSG_GETRULE, codec.encode(u.NFTA_RULE, {"table": "t"}))
    for name in "abcdef":
        grab("GETSETELEM " + name, u.NFT_MSG_GETSETELEM,
             codec.encode(u.NFTA_SET_ELEM_LIST, {"table": "t", "set": name}))
    print('# SPDX-License-Identifier: GPL-3.0-or-later')
    print('"""nf_tables replies captured by tests/hardening/capture_nft_dumps.py.')
    print()
    print("Kernel %s, nft %s. Each request's datagrams, as the kernel sent them." % (
        platform.release(), subprocess.run(["nft", "--version"], capture_output=True,
                                           text=True).stdout.strip()))
    print('"""')
    print()
    print("RULESET = %r" % RULESET)
    print()
    print("REPLIES = {")
    for name, grams in captured.items():
        print("    %r: [" % name)
        for gram in grams:
            print("        %r," % gram)
        print("    ],")
    print("}")


if __name__ == "__main__":
    main()
