# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the ipset netlink protocol, as attribute tables.

Source: /usr/include/linux/netfilter/ipset/ip_set.h, ip_set_hash.h, ip_set_bitmap.h,
ip_set_list.h (Linux 6.1 UAPI, Debian 12); which attributes carry NLA_F_NET_BYTEORDER follows
the kernel's checks (``ip_set_attr_netorder()`` in net/netfilter/ipset/ip_set_core.c and the
``ip_set_get_*`` helpers in include/linux/netfilter/ipset/ip_set.h).
"""

from __future__ import annotations

from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec, errors
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NLA_F_NESTED,
    NLA_F_NET_BYTEORDER,
)

IPSET_PROTOCOL = 7  # The protocol versions
IPSET_PROTOCOL_MIN = 6
IPSET_MAXNAMELEN = 32  # The max length of strings including NUL: set and type identifiers
IPSET_MAX_COMMENT_SIZE = 255

# enum ipset_cmd
IPSET_CMD_PROTOCOL = 1  # Return protocol version
IPSET_CMD_CREATE = 2  # Create a new (empty) set
IPSET_CMD_DESTROY = 3  # Destroy a (empty) set
IPSET_CMD_FLUSH = 4  # Remove all elements from a set
IPSET_CMD_RENAME = 5  # Rename a set
IPSET_CMD_SWAP = 6  # Swap two sets
IPSET_CMD_LIST = 7  # List sets
IPSET_CMD_SAVE = 8  # Save sets
IPSET_CMD_ADD = 9  # Add an element to a set
IPSET_CMD_DEL = 10  # Delete an element from a set
IPSET_CMD_TEST = 11  # Test an element in a set
IPSET_CMD_HEADER = 12  # Get set header data only
IPSET_CMD_TYPE = 13  # Get set type
IPSET_CMD_GET_BYNAME = 14  # Get set index by name
IPSET_CMD_GET_BYINDEX = 15  # Get set name by index

COMMAND_NAMES = {value: name for name, value in globals().items() if name.startswith("IPSET_CMD_")}

# enum ipset_cmd_flags (command level)
IPSET_FLAG_EXIST = 1 << 0
IPSET_FLAG_LIST_SETNAME = 1 << 1
IPSET_FLAG_LIST_HEADER = 1 << 2

# enum ipset_cadt_flags (IPSET_ATTR_CADT_FLAGS)
IPSET_FLAG_BEFORE = 1 << 0
IPSET_FLAG_PHYSDEV = 1 << 1
IPSET_FLAG_NOMATCH = 1 << 2
IPSET_FLAG_WITH_COUNTERS = 1 << 3
IPSET_FLAG_WITH_COMMENT = 1 << 4
IPSET_FLAG_WITH_FORCEADD = 1 << 5
IPSET_FLAG_WITH_SKBINFO = 1 << 6
IPSET_FLAG_IFACE_WILDCARD = 1 << 7

# enum ipset_errno
IPSET_ERR_PRIVATE = 4096
IPSET_ERR_PROTOCOL = 4097
IPSET_ERR_FIND_TYPE = 4098
IPSET_ERR_MAX_SETS = 4099
IPSET_ERR_BUSY = 4100
IPSET_ERR_EXIST_SETNAME2 = 4101
IPSET_ERR_TYPE_MISMATCH = 4102
IPSET_ERR_EXIST = 4103
IPSET_ERR_INVALID_CIDR = 4104
IPSET_ERR_INVALID_NETMASK = 4105
IPSET_ERR_INVALID_FAMILY = 4106
IPSET_ERR_TIMEOUT = 4107
IPSET_ERR_REFERENCED = 4108
IPSET_ERR_IPADDR_IPV4 = 4109
IPSET_ERR_IPADDR_IPV6 = 4110
IPSET_ERR_COUNTER = 4111
IPSET_ERR_COMMENT = 4112
IPSET_ERR_INVALID_MARKMASK = 4113
IPSET_ERR_SKBINFO = 4114
IPSET_ERR_BITMASK_NETMASK_EXCL = 4115
IPSET_ERR_TYPE_SPECIFIC = 4352
# ip_set_hash.h
IPSET_ERR_HASH_FULL = 4352
IPSET_ERR_HASH_ELEM = 4353
IPSET_ERR_INVALID_PROTO = 4354
IPSET_ERR_MISSING_PROTO = 4355
IPSET_ERR_HASH_RANGE_UNSUPPORTED = 4356
IPSET_ERR_HASH_RANGE = 4357
# ip_set_bitmap.h
IPSET_ERR_BITMAP_RANGE = 4352
IPSET_ERR_BITMAP_RANGE_SIZE = 4353
# ip_set_list.h
IPSET_ERR_NAME = 4352
IPSET_ERR_LOOP = 4353
IPSET_ERR_BEFORE = 4354
IPSET_ERR_NAMEREF = 4355
IPSET_ERR_LIST_FULL = 4356
IPSET_ERR_REF_EXIST = 4357

_BE = NLA_F_NET_BYTEORDER

# The attribute numbers, as ip_set.h enumerates them (one definition; the tables below use
# them). Three numbering spaces: command level, inside IPSET_ATTR_DATA (create data and
# elements share the first 16, "CADT"), and inside an address nest (IPSET_ATTR_IPADDR_*).
# enum { IPSET_ATTR_UNSPEC, IPSET_ATTR_PROTOCOL, ... }: command level
IPSET_ATTR_PROTOCOL = 1
IPSET_ATTR_SETNAME = 2
IPSET_ATTR_TYPENAME = 3
IPSET_ATTR_SETNAME2 = IPSET_ATTR_TYPENAME  # rename, swap
IPSET_ATTR_REVISION = 4
IPSET_ATTR_FAMILY = 5
IPSET_ATTR_FLAGS = 6
IPSET_ATTR_DATA = 7
IPSET_ATTR_ADT = 8
IPSET_ATTR_LINENO = 9
IPSET_ATTR_PROTOCOL_MIN = 10
IPSET_ATTR_REVISION_MIN = IPSET_ATTR_PROTOCOL_MIN
IPSET_ATTR_INDEX = 11
# enum { IPSET_ATTR_IP = IPSET_ATTR_UNSPEC + 1, ... }: create data and elements (CADT)
IPSET_ATTR_IP = 1
IPSET_ATTR_IP_TO = 2
IPSET_ATTR_CIDR = 3
IPSET_ATTR_PORT = 4
IPSET_ATTR_PORT_TO = 5
IPSET_ATTR_TIMEOUT = 6
IPSET_ATTR_PROTO = 7
IPSET_ATTR_CADT_FLAGS = 8
IPSET_ATTR_CADT_LINENO = IPSET_ATTR_LINENO
IPSET_ATTR_MARK = 10
IPSET_ATTR_MARKMASK = 11
IPSET_ATTR_BITMASK = 12
IPSET_ATTR_CADT_MAX = 16
# create data only
IPSET_ATTR_INITVAL = 17
IPSET_ATTR_HASHSIZE = 18
IPSET_ATTR_MAXELEM = 19
IPSET_ATTR_NETMASK = 20
IPSET_ATTR_BUCKETSIZE = 21
IPSET_ATTR_RESIZE = 22
IPSET_ATTR_SIZE = 23
IPSET_ATTR_ELEMENTS = 24  # kernel-only
IPSET_ATTR_REFERENCES = 25  # kernel-only
IPSET_ATTR_MEMSIZE = 26  # kernel-only
# enum { IPSET_ATTR_ETHER = IPSET_ATTR_CADT_MAX + 1, ... }: elements only (ADT)
IPSET_ATTR_ETHER = 17
IPSET_ATTR_NAME = 18
IPSET_ATTR_NAMEREF = 19
IPSET_ATTR_IP2 = 20
IPSET_ATTR_CIDR2 = 21
IPSET_ATTR_IP2_TO = 22
IPSET_ATTR_IFACE = 23
IPSET_ATTR_BYTES = 24
IPSET_ATTR_PACKETS = 25
IPSET_ATTR_COMMENT = 26
IPSET_ATTR_SKBMARK = 27
IPSET_ATTR_SKBPRIO = 28
IPSET_ATTR_SKBQUEUE = 29
# enum { IPSET_ATTR_IPADDR_IPV4 = IPSET_ATTR_UNSPEC + 1, ... }: inside an address nest
IPSET_ATTR_IPADDR_IPV4 = 1
IPSET_ATTR_IPADDR_IPV6 = 2

# enum { IPSET_ATTR_IPADDR_* }: inside IPSET_ATTR_IP, IP_TO, IP2, IP2_TO, BITMASK
IPSET_ATTR_IPADDR = codec.AttrSet(
    "IPSET_ATTR_IPADDR_",
    (
        codec.Attr(IPSET_ATTR_IPADDR_IPV4, "IPSET_ATTR_IPADDR_IPV4", codec.fixed(4), _BE),
        codec.Attr(IPSET_ATTR_IPADDR_IPV6, "IPSET_ATTR_IPADDR_IPV6", codec.fixed(16), _BE),
    ),
)
_IPV4_HEAD = codec.NLATTR.pack(8, IPSET_ATTR_IPADDR_IPV4 | _BE)
_IPV6_HEAD = codec.NLATTR.pack(20, IPSET_ATTR_IPADDR_IPV6 | _BE)


def _encode_ipaddr(address: bytes) -> bytes:
    if len(address) == 4:
        return _IPV4_HEAD + address
    if len(address) == 16:
        return _IPV6_HEAD + address
    raise ValueError("an address is 4 or 16 bytes, not %d" % len(address))


def _decode_ipaddr(payload: bytes) -> bytes:
    for attr_type, value in codec.iter_attrs(payload):
        if attr_type in IPSET_ATTR_IPADDR.by_type and len(value) in (4, 16):
            return bytes(value)
    raise errors.ProtocolError("IPSET_ATTR_IP carries no IPv4 or IPv6 address")


# An address: the nest of one IPSET_ATTR_IPADDR_*, seen from Python as packed bytes.
IPADDR = codec.Codec("ipaddr", _encode_ipaddr, _decode_ipaddr, None, 8)

# IPSET_ATTR_MARKMASK is asymmetric: create reads it as big-endian with NLA_F_NET_BYTEORDER
# required (ip_set_optattr_netorder, ntohl(nla_get_be32) in ip_set_hash_gen.h mtype_create),
# while the header of a LIST/SAVE dump writes it in host order without the flag
# (nla_put_u32 in mtype_head; Linux 6.1 to the newest). libipset reads it by the flag, so
# `ipset save` prints the host-order value: encode big-endian, decode host order.
MARKMASK = codec.Codec("be32 out, u32 in", codec.BE32.encode, codec.U32.decode, 4, 4)

# enum { IPSET_ATTR_IP = ... }: attributes common to create data and elements (CADT).
_CADT = (
    codec.Attr(IPSET_ATTR_IP, "IPSET_ATTR_IP", IPADDR, NLA_F_NESTED),
    codec.Attr(IPSET_ATTR_IP_TO, "IPSET_ATTR_IP_TO", IPADDR, NLA_F_NESTED),
    codec.Attr(IPSET_ATTR_CIDR, "IPSET_ATTR_CIDR", codec.U8),
    codec.Attr(IPSET_ATTR_PORT, "IPSET_ATTR_PORT", codec.BE16, _BE),
    codec.Attr(IPSET_ATTR_PORT_TO, "IPSET_ATTR_PORT_TO", codec.BE16, _BE),
    codec.Attr(IPSET_ATTR_TIMEOUT, "IPSET_ATTR_TIMEOUT", codec.BE32, _BE),
    codec.Attr(IPSET_ATTR_PROTO, "IPSET_ATTR_PROTO", codec.U8),
    codec.Attr(IPSET_ATTR_CADT_FLAGS, "IPSET_ATTR_CADT_FLAGS", codec.BE32, _BE),
    # the kernel reads IPSET_ATTR_LINENO with nla_get_u32: host order
    codec.Attr(IPSET_ATTR_LINENO, "IPSET_ATTR_LINENO", codec.U32),
    codec.Attr(IPSET_ATTR_MARK, "IPSET_ATTR_MARK", codec.BE32, _BE),
    # IPSET_ATTR_MARKMASK: create data only (IPSET_ATTR_CREATE below)
    # IPSET_ATTR_BITMASK: Linux 6.2 UAPI, hash:ip revision 6
    codec.Attr(IPSET_ATTR_BITMASK, "IPSET_ATTR_BITMASK", IPADDR, NLA_F_NESTED),
)

# Inside IPSET_ATTR_DATA of CREATE, and of the header message of a LIST/SAVE dump.
IPSET_ATTR_CREATE = codec.AttrSet(
    "IPSET_ATTR_",
    _CADT
    + (
        codec.Attr(IPSET_ATTR_MARKMASK, "IPSET_ATTR_MARKMASK", MARKMASK, _BE),
        codec.Attr(IPSET_ATTR_INITVAL, "IPSET_ATTR_INITVAL", codec.BE32, _BE),
        codec.Attr(IPSET_ATTR_HASHSIZE, "IPSET_ATTR_HASHSIZE", codec.BE32, _BE),
        codec.Attr(IPSET_ATTR_MAXELEM, "IPSET_ATTR_MAXELEM", codec.BE32, _BE),
        codec.Attr(IPSET_ATTR_NETMASK, "IPSET_ATTR_NETMASK", codec.U8),
        codec.Attr(IPSET_ATTR_BUCKETSIZE, "IPSET_ATTR_BUCKETSIZE", codec.U8),
        codec.Attr(IPSET_ATTR_RESIZE, "IPSET_ATTR_RESIZE", codec.U8),
        codec.Attr(IPSET_ATTR_SIZE, "IPSET_ATTR_SIZE", codec.BE32, _BE),
        codec.Attr(IPSET_ATTR_ELEMENTS, "IPSET_ATTR_ELEMENTS", codec.BE32, _BE),  # kernel-only
        codec.Attr(IPSET_ATTR_REFERENCES, "IPSET_ATTR_REFERENCES", codec.BE32, _BE),  # kernel-only
        codec.Attr(IPSET_ATTR_MEMSIZE, "IPSET_ATTR_MEMSIZE", codec.BE32, _BE),  # kernel-only
    ),
)

# Inside each IPSET_ATTR_DATA of IPSET_ATTR_ADT: one element and its extensions.
IPSET_ATTR_ELEM = codec.AttrSet(
    "IPSET_ATTR_",
    _CADT
    + (
        codec.Attr(IPSET_ATTR_ETHER, "IPSET_ATTR_ETHER", codec.fixed(6)),
        codec.Attr(IPSET_ATTR_NAME, "IPSET_ATTR_NAME", codec.STRZ),
        codec.Attr(IPSET_ATTR_NAMEREF, "IPSET_ATTR_NAMEREF", codec.STRZ),
        codec.Attr(IPSET_ATTR_IP2, "IPSET_ATTR_IP2", IPADDR, NLA_F_NESTED),
        codec.Attr(IPSET_ATTR_CIDR2, "IPSET_ATTR_CIDR2", codec.U8),
        codec.Attr(IPSET_ATTR_IP2_TO, "IPSET_ATTR_IP2_TO", IPADDR, NLA_F_NESTED),
        codec.Attr(IPSET_ATTR_IFACE, "IPSET_ATTR_IFACE", codec.STRZ),
        codec.Attr(IPSET_ATTR_BYTES, "IPSET_ATTR_BYTES", codec.BE64, _BE),
        codec.Attr(IPSET_ATTR_PACKETS, "IPSET_ATTR_PACKETS", codec.BE64, _BE),
        codec.Attr(IPSET_ATTR_COMMENT, "IPSET_ATTR_COMMENT", codec.STRZ),
        codec.Attr(IPSET_ATTR_SKBMARK, "IPSET_ATTR_SKBMARK", codec.BE64, _BE),
        codec.Attr(IPSET_ATTR_SKBPRIO, "IPSET_ATTR_SKBPRIO", codec.BE32, _BE),
        codec.Attr(IPSET_ATTR_SKBQUEUE, "IPSET_ATTR_SKBQUEUE", codec.BE16, _BE),
    ),
)

# What IPSET_ATTR_ADT holds: "Multiple data containers", each an IPSET_ATTR_DATA holding one
# element. (The table is not named IPSET_ATTR_ADT: that is the attribute's number.)
IPSET_ATTR_ADT_NEST = codec.AttrSet(
    "IPSET_ATTR_",
    (
        codec.Attr(
            IPSET_ATTR_DATA, "IPSET_ATTR_DATA", codec.NESTED, nested=IPSET_ATTR_ELEM, multi=True
        ),
    ),
)

# Attributes at command level.
IPSET_ATTR_CMD = codec.AttrSet(
    "IPSET_ATTR_",
    (
        codec.Attr(IPSET_ATTR_PROTOCOL, "IPSET_ATTR_PROTOCOL", codec.U8),
        codec.Attr(IPSET_ATTR_SETNAME, "IPSET_ATTR_SETNAME", codec.STRZ),
        codec.Attr(IPSET_ATTR_TYPENAME, "IPSET_ATTR_TYPENAME", codec.STRZ),  # also SETNAME2
        codec.Attr(IPSET_ATTR_REVISION, "IPSET_ATTR_REVISION", codec.U8),
        codec.Attr(IPSET_ATTR_FAMILY, "IPSET_ATTR_FAMILY", codec.U8),
        codec.Attr(IPSET_ATTR_FLAGS, "IPSET_ATTR_FLAGS", codec.BE32, _BE),
        codec.Attr(IPSET_ATTR_DATA, "IPSET_ATTR_DATA", codec.NESTED, nested=IPSET_ATTR_CREATE),
        codec.Attr(IPSET_ATTR_ADT, "IPSET_ATTR_ADT", codec.NESTED, nested=IPSET_ATTR_ADT_NEST),
        codec.Attr(IPSET_ATTR_LINENO, "IPSET_ATTR_LINENO", codec.U32),
        codec.Attr(IPSET_ATTR_PROTOCOL_MIN, "IPSET_ATTR_PROTOCOL_MIN", codec.U8),  # REVISION_MIN
        # Kernel index of set: ip_set_byname() puts it with nla_put_net16()
        codec.Attr(IPSET_ATTR_INDEX, "IPSET_ATTR_INDEX", codec.BE16, _BE),
    ),
)
