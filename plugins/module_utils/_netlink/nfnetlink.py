# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the nfnetlink family (netfilter subsystems: ipset, nf_tables).

Source: /usr/include/linux/netfilter/nfnetlink.h, /usr/include/linux/netfilter.h (Linux 6.1).

Subsystems with transactions (nf_tables) take their changes as a batch: one datagram that
starts with ``NFNL_MSG_BATCH_BEGIN`` and ends with ``NFNL_MSG_BATCH_END``, both carrying the
subsystem in ``res_id``. The kernel applies every message between them or none
(net/netfilter/nfnetlink.c, ``nfnetlink_rcv_batch``); with ``NFNL_BATCH_GENID`` in the begin
message it refuses the whole batch with ``ERESTART`` when the subsystem's generation moved on.
"""

from __future__ import annotations

import struct
from typing import List, Optional, Sequence, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._netlink import (
    codec,
    errors,
    transport,
    uapi,
)

NFNETLINK_V0 = 0
NFNL_SUBSYS_IPSET = 6
NFNL_SUBSYS_NFTABLES = 10

# Batch framing messages (a message type of their own, below any subsystem's)
NFNL_MSG_BATCH_BEGIN = uapi.NLMSG_MIN_TYPE
NFNL_MSG_BATCH_END = uapi.NLMSG_MIN_TYPE + 1

# enum nfnl_batch_attributes: attributes of NFNL_MSG_BATCH_BEGIN
NFNL_BATCH_GENID = 1  # generation ID for this changeset (NLA_U32, network byte order)
NFNL_BATCH = codec.AttrSet(
    "NFNL_BATCH_",
    (codec.Attr(NFNL_BATCH_GENID, "NFNL_BATCH_GENID", codec.BE32),),  # as nft sends it
)

# enum NFPROTO_* (linux/netfilter.h)
NFPROTO_UNSPEC = 0
NFPROTO_INET = 1
NFPROTO_IPV4 = 2
NFPROTO_ARP = 3
NFPROTO_NETDEV = 5
NFPROTO_BRIDGE = 7
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
        raise errors.ProtocolError("nfnetlink payload of %d bytes has no nfgenmsg" % len(payload))
    return payload[0], NFGENMSG.size


def batch(
    sock: transport.NetlinkSocket,
    subsys: int,
    requests: Sequence[Tuple[int, int, bytes]],
    genid: Optional[int] = None,
    command: str = "",
) -> List[transport.Outcome]:
    """Send ``requests`` as one transaction of ``subsys``: all are applied or none.

    With ``genid``, the kernel refuses the batch (``ERESTART``, raised as `NetlinkError`) when
    the subsystem's generation is no longer that one. Returns one `Outcome` per request; when
    any has an error, the kernel applied nothing.
    """
    attrs = codec.encode(NFNL_BATCH, {"genid": genid})
    head = (NFNL_MSG_BATCH_BEGIN, 0, header(NFPROTO_UNSPEC, subsys) + attrs)
    tail = (NFNL_MSG_BATCH_END, 0, header(NFPROTO_UNSPEC, subsys))
    return sock.batch(requests, head, tail, command)
