# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: generic netlink, and family lookup through nlctrl.

Source: /usr/include/linux/genetlink.h (Linux 6.1).
"""

from __future__ import annotations

import errno
import struct
from typing import Any, Dict, List, NamedTuple, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import (
    Error,
    NetlinkError,
    ProtocolError,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    NetlinkSocket,
)

GENL_ID_CTRL = 0x10  # NLMSG_MIN_TYPE
CTRL_CMD_GETFAMILY = 3
CTRL_VERSION = 2  # the nlctrl version iproute2 and the kernel use

# struct genlmsghdr { __u8 cmd; __u8 version; __u16 reserved; }
GENLMSGHDR = struct.Struct("=BBH")

CTRL_ATTR_MCAST_GRP = codec.AttrSet(
    "CTRL_ATTR_MCAST_GRP_",
    (
        codec.Attr(1, "CTRL_ATTR_MCAST_GRP_NAME", codec.STRZ),
        codec.Attr(2, "CTRL_ATTR_MCAST_GRP_ID", codec.U32),
    ),
)

CTRL_ATTR = codec.AttrSet(
    "CTRL_ATTR_",
    (
        codec.Attr(1, "CTRL_ATTR_FAMILY_ID", codec.U16),
        codec.Attr(2, "CTRL_ATTR_FAMILY_NAME", codec.STRZ),
        codec.Attr(3, "CTRL_ATTR_VERSION", codec.U32),
        codec.Attr(4, "CTRL_ATTR_HDRSIZE", codec.U32),
        codec.Attr(5, "CTRL_ATTR_MAXATTR", codec.U32),
        codec.Attr(7, "CTRL_ATTR_MCAST_GROUPS", codec.ARRAY, nested=CTRL_ATTR_MCAST_GRP),
    ),
)


class Family(NamedTuple):
    """A resolved generic netlink family."""

    name: str
    id: int
    version: int
    maxattr: int
    mcast_groups: Dict[str, int]


class FamilyNotFound(Error):
    """The kernel has no generic netlink family of that name."""


def pack(command: int, version: int, attrs: bytes = b"") -> bytes:
    """A generic netlink payload: genlmsghdr, then attributes."""
    return GENLMSGHDR.pack(command, version, 0) + attrs


def unpack(msg: codec.Message) -> Tuple[int, bytes]:
    """(command, attribute bytes) of a received generic netlink message."""
    if len(msg.payload) < GENLMSGHDR.size:
        raise ProtocolError("generic netlink message of %d bytes has no header" % len(msg.payload))
    return msg.payload[0], msg.payload[GENLMSGHDR.size :]


def resolve(sock: NetlinkSocket, name: str) -> Family:
    """Look a family up by name (CTRL_CMD_GETFAMILY)."""
    payload = pack(CTRL_CMD_GETFAMILY, CTRL_VERSION, codec.encode(CTRL_ATTR, {"family_name": name}))
    try:
        replies = sock.request(GENL_ID_CTRL, payload, command="CTRL_CMD_GETFAMILY")
    except NetlinkError as exc:
        if exc.errno == errno.ENOENT:
            raise FamilyNotFound(
                "the kernel has no generic netlink family %r (is its module loaded?)" % name
            ) from None
        raise
    for msg in replies:
        attrs: Dict[str, Any] = codec.decode(CTRL_ATTR, unpack(msg)[1])
        if attrs.get("family_name") == name and "family_id" in attrs:
            groups: List[Dict[str, Any]] = attrs.get("mcast_groups", [])
            return Family(
                name,
                attrs["family_id"],
                attrs.get("version", 0),
                attrs.get("maxattr", 0),
                {g["name"]: g["id"] for g in groups if "name" in g and "id" in g},
            )
    raise ProtocolError("CTRL_CMD_GETFAMILY: no reply describes family %r" % name)
