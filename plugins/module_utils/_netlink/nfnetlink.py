# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the nfnetlink family (netfilter subsystems such as ipset).

Source: /usr/include/linux/netfilter/nfnetlink.h, /usr/include/linux/netfilter.h (Linux 6.1).
"""

from __future__ import annotations

import struct
from typing import Tuple

from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import ProtocolError

NFNETLINK_V0 = 0
NFNL_SUBSYS_IPSET = 6

# enum NFPROTO_* (linux/netfilter.h)
NFPROTO_UNSPEC = 0
NFPROTO_IPV4 = 2
NFPROTO_IPV6 = 10

# struct nfgenmsg { __u8 nfgen_family; __u8 version; __be16 res_id; }
NFGENMSG = struct.Struct("!BBH")


def msg_type(subsys: int, command: int) -> int:
    """nlmsg_type of an nfnetlink message: subsystem in the high byte, command in the low."""
    return (subsys << 8) | command


def header(family: int, res_id: int = 0) -> bytes:
    """The nfgenmsg that starts every nfnetlink payload."""
    return NFGENMSG.pack(family, NFNETLINK_V0, res_id)


def split(payload: bytes) -> Tuple[int, int]:
    """(nfgen_family, offset of the attributes) of a received payload."""
    if len(payload) < NFGENMSG.size:
        raise ProtocolError("nfnetlink payload of %d bytes has no nfgenmsg" % len(payload))
    return payload[0], NFGENMSG.size
