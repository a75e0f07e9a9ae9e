# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: netlink constants, named and valued as in the kernel UAPI.

Source: /usr/include/linux/netlink.h (Linux 6.1 UAPI headers, Debian 12), whose comments are
quoted where they say more than the name; and the one linux/if.h constant every family needs.
"""

from __future__ import annotations

# Protocols (socket(AF_NETLINK, SOCK_RAW, protocol))
NETLINK_ROUTE = 0  # Routing/device hook
NETLINK_NETFILTER = 12  # netfilter subsystem
NETLINK_GENERIC = 16

# struct nlmsghdr flags
NLM_F_REQUEST = 0x01  # It is request message.
NLM_F_MULTI = 0x02  # Multipart message, terminated by NLMSG_DONE
NLM_F_ACK = 0x04  # Reply with ack, with zero or error code
NLM_F_ECHO = 0x08  # Receive resulting notifications
NLM_F_DUMP_INTR = 0x10  # Dump was inconsistent due to sequence change
NLM_F_DUMP_FILTERED = 0x20  # Dump was filtered as requested
# Modifiers to GET request
NLM_F_ROOT = 0x100
NLM_F_MATCH = 0x200
NLM_F_ATOMIC = 0x400
NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
# Modifiers to NEW request
NLM_F_REPLACE = 0x100  # Override existing
NLM_F_EXCL = 0x200  # Do not touch, if it exists
NLM_F_CREATE = 0x400  # Create, if it does not exist
NLM_F_APPEND = 0x800  # Add to end of list
# Flags for ACK message
NLM_F_CAPPED = 0x100  # request was capped
NLM_F_ACK_TLVS = 0x200  # extended ACK TVLs were included

NLMSG_ALIGNTO = 4
NLMSG_HDRLEN = 16
NLMSG_NOOP = 0x1
NLMSG_ERROR = 0x2
NLMSG_DONE = 0x3
NLMSG_OVERRUN = 0x4
NLMSG_MIN_TYPE = 0x10  # < 0x10: reserved control messages

# enum nlmsgerr_attrs
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_COOKIE = 3
NLMSGERR_ATTR_POLICY = 4
NLMSGERR_ATTR_MISS_TYPE = 5
NLMSGERR_ATTR_MISS_NEST = 6

# setsockopt(SOL_NETLINK, ...); SOL_NETLINK is 270 in linux/socket.h
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_DROP_MEMBERSHIP = 2
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NETLINK_GET_STRICT_CHK = 12

# struct nlattr
NLA_HDRLEN = 4
NLA_F_NESTED = 1 << 15
NLA_F_NET_BYTEORDER = 1 << 14
NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xFFFF

# linux/if.h: the size of an interface name buffer, including the NUL
IFNAMSIZ = 16
