#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Capture real IPSET_CMD_LIST dumps for the decoder fuzz tests (tests/unit/hardening).

Run as root from the repository root (it works in a throw-away namespace, never the host's):

    unshare -n python3 tests/hardening/capture_ipset_dumps.py \
        > tests/unit/hardening/fixtures/ipset_dumps.py

Sets of several types are made with the ipset(8) CLI (the oracle), then listed through the
collection's own NetlinkSocket with a socket factory that records every datagram the kernel
sent. The output is a Python module: the kernel version, the commands, and the datagrams in hex.
"""

from __future__ import annotations

import os
import platform
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))  # conftest.py's import shim
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._netlink import nfnetlink  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (  # noqa: E402
    AF_NETLINK,
    NetlinkSocket,
)

import conftest  # noqa: E402,F401

COMMANDS = [
    "create a hash:ip timeout 600 comment counters",
    "add a 192.0.2.1 timeout 0 comment \"first\"",
    "add a 192.0.2.2 packets 5 bytes 300",
    "create b hash:net,port family inet6 skbinfo",
    "add b 2001:db8::/64,tcp:443 skbmark 0x10/0xff skbprio 1:2 skbqueue 3",
    "add b 2001:db8:1::/48,udp:53",
    "create c hash:net,iface",
    "add c 10.0.0.0/8,physdev:eth0",
    "add c 10.1.0.0/16,eth1 nomatch",
    "create d bitmap:port range 0-1024",
    "add d 22", "add d 80",
    "create e hash:ip,port,net", "add e 192.0.2.1,icmp:ping,10.0.0.0/8",
    "create f list:set", "add f a", "add f b",
    "create g hash:ip family inet6 netmask 64 timeout 30", "add g 2001:db8::1",
    "create h bitmap:ip,mac range 10.0.0.0/24", "add h 10.0.0.1,00:11:22:33:44:55",
    "add h 10.0.0.2",
]  # fmt: skip


class Recording:
    def __init__(self, sock: socket.socket, seen: list) -> None:
        self._sock, self._seen = sock, seen

    def recvmsg_into(self, buffers, *args):
        nbytes, anc, flags, addr = self._sock.recvmsg_into(buffers, *args)
        self._seen.append(bytes(buffers[0][:nbytes]))
        return nbytes, anc, flags, addr

    def __getattr__(self, name):
        return getattr(self._sock, name)


def main() -> None:
    script = "\n".join(COMMANDS) + "\n"
    subprocess.run(["ipset", "restore"], input=script, text=True, check=True)
    seen: list = []
    factory = lambda proto: Recording(socket.socket(AF_NETLINK, socket.SOCK_RAW, proto), seen)  # noqa: E731
    with NetlinkSocket(12, socket_factory=factory) as sock:
        head = nfnetlink.header(0)
        from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec

        payload = head + codec.encode(u.IPSET_ATTR_CMD, {"protocol": u.IPSET_PROTOCOL})
        sock.dump(nfnetlink.msg_type(nfnetlink.NFNL_SUBSYS_IPSET, u.IPSET_CMD_LIST), payload)
    print("# SPDX-License-Identifier: GPL-3.0-or-later")
    print('"""Captured IPSET_CMD_LIST dump (every set) on Linux %s,\n%s.' % (
        platform.release(), subprocess.run(["ipset", "version"], capture_output=True,
                                           text=True).stdout.strip()))
    print()
    print("Made by tests/hardening/capture_ipset_dumps.py in a fresh namespace after")
    print("`ipset restore` of the COMMANDS below; DATAGRAMS are the kernel's datagrams as")
    print("recvmsg returned them (the dump's NLMSG_DONE included).")
    print('"""')
    print()
    print("COMMANDS = [")
    for command in COMMANDS:
        print("    %r," % command)
    print("]")
    print("DATAGRAMS = [")
    for gram in seen:
        text = gram.hex()
        print("    bytes.fromhex(")
        for i in range(0, len(text), 88):
            print('        "%s"' % text[i : i + 88])
        print("    ),")
    print("]")


if __name__ == "__main__":
    main()
