# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the little of rtnetlink the modules need (links, admin state).

Source: /usr/include/linux/rtnetlink.h, if_link.h, if.h (Linux 6.1).
"""

from __future__ import annotations

import errno
import struct
from typing import List, NamedTuple, Optional

from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import (
    NetlinkError,
    ProtocolError,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    NetlinkSocket,
)

RTM_NEWLINK = 16
RTM_GETLINK = 18
AF_UNSPEC = 0
IFF_UP = 1 << 0

# struct ifinfomsg: u8 ifi_family, u8 pad, u16 ifi_type, s32 ifi_index, u32 ifi_flags,
# u32 ifi_change
IFINFOMSG = struct.Struct("=BxHiII")

IFLA = codec.AttrSet(
    "IFLA_",
    (
        codec.Attr(1, "IFLA_ADDRESS", codec.BINARY),
        codec.Attr(3, "IFLA_IFNAME", codec.STRZ),
        codec.Attr(4, "IFLA_MTU", codec.U32),
        codec.Attr(16, "IFLA_OPERSTATE", codec.U8),
    ),
)


class Link(NamedTuple):
    """A network interface as rtnetlink reports it."""

    index: int
    name: str
    flags: int
    address: bytes

    @property
    def up(self) -> bool:
        return bool(self.flags & IFF_UP)


def _link(msg: codec.Message) -> Link:
    if len(msg.payload) < IFINFOMSG.size:
        raise ProtocolError("RTM_NEWLINK of %d bytes has no ifinfomsg" % len(msg.payload))
    _family, _type, index, flags, _change = IFINFOMSG.unpack_from(msg.payload)
    attrs = codec.decode(IFLA, msg.payload, IFINFOMSG.size)
    return Link(index, attrs.get("ifname", ""), flags, attrs.get("address", b""))


def list_links(sock: NetlinkSocket) -> List[Link]:
    payload = IFINFOMSG.pack(AF_UNSPEC, 0, 0, 0, 0)
    return [_link(m) for m in sock.dump(RTM_GETLINK, payload, command="RTM_GETLINK")]


def get_link(sock: NetlinkSocket, name: str = "", index: int = 0) -> Optional[Link]:
    """One link by name or index; None when there is none."""
    payload = IFINFOMSG.pack(AF_UNSPEC, 0, index, 0, 0)
    if name:
        payload += codec.encode(IFLA, {"ifname": name})
    try:
        replies = sock.request(RTM_GETLINK, payload, command="RTM_GETLINK")
    except NetlinkError as exc:
        if exc.errno in (errno.ENODEV, errno.ENOENT):
            return None
        raise
    return _link(replies[0]) if replies else None


def set_up(sock: NetlinkSocket, index: int, up: bool) -> None:
    """Set the administrative state (IFF_UP) of a link, as `ip link set ... up|down` does."""
    payload = IFINFOMSG.pack(AF_UNSPEC, 0, index, IFF_UP if up else 0, IFF_UP)
    sock.request(RTM_NEWLINK, payload, command="RTM_NEWLINK")
