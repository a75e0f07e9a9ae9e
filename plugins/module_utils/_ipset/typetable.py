# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the ipset set types as data, and ipset(8)'s way of reading numbers.

Which set types exist, which entry dimensions and families each takes, and from which type
revision on each create option and per-entry feature is there: what converging the entries
of a set needs to know of its type. Validating and normalising create options, which only
creating a set needs, is in `types`.

Sources (read, not copied): Linux net/netfilter/ipset/ip_set_*.c ``IPSET_TYPE_REV_MIN``/
``IPSET_TYPE_REV_MAX`` and the comment per revision, ``.create_policy``; ``ipset help`` of
ipset v7.17 (the revision table it prints agrees with the kernel comments).
"""

from __future__ import annotations

import re
from typing import Dict, Mapping, NamedTuple, Optional, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u


class IpsetInputError(ValueError):
    """A set type, create option or entry given by the user is not valid; says which and why."""


# include/linux/netfilter/ipset/ip_set.h: (UINT_MAX >> 1) / MSEC_PER_SEC
IPSET_MAX_TIMEOUT = 2147483

FAMILIES = ("inet", "inet6")
_INET = ("inet",)
_INET46 = ("inet", "inet6")
_NOFAMILY: Tuple[str, ...] = ()  # the kernel registers these with NFPROTO_UNSPEC

# Entry extensions, and the create flag a set needs to store each, with what the set then
# lacks in words (a timeout needs a header timeout instead).
EXTENSION_FLAGS: Mapping[str, Tuple[int, str]] = {
    "comment": (u.IPSET_FLAG_WITH_COMMENT, "comment support"),
    "packets": (u.IPSET_FLAG_WITH_COUNTERS, "counters"),
    "bytes": (u.IPSET_FLAG_WITH_COUNTERS, "counters"),
    "skbmark": (u.IPSET_FLAG_WITH_SKBINFO, "skbinfo support"),
    "skbprio": (u.IPSET_FLAG_WITH_SKBINFO, "skbinfo support"),
    "skbqueue": (u.IPSET_FLAG_WITH_SKBINFO, "skbinfo support"),
}


class SetType(NamedTuple):
    """One kernel set type: its entry dimensions, families and create options.

    ``dims`` names what each comma-separated part of an entry is: ``ip`` (a host address),
    ``net`` (address/cidr), ``port`` (``[proto:]port``), ``mac``, ``mark``, ``iface``, ``set``.
    ``families`` is empty for types the kernel registers family-less (NFPROTO_UNSPEC).
    ``options`` maps each accepted create option, and the per-entry features ``nomatch``,
    ``wildcard`` and ``net0`` (a /0 network entry), to the first revision that has it.
    """

    name: str
    dims: Tuple[str, ...]
    families: Tuple[str, ...]
    revision_max: int
    options: Mapping[str, int]
    source: str


def _hash(*, bucketsize: int, counters: int, comment: int, forceadd: int, skbinfo: int,
          **extra: int) -> Dict[str, int]:  # fmt: skip
    """A hash type's options, each with the first revision that has it (initval came with
    bucketsize); hashsize, maxelem and timeout are there from revision 0."""
    opts = {"hashsize": 0, "maxelem": 0, "timeout": 0, "counters": counters,
            "comment": comment, "forceadd": forceadd, "skbinfo": skbinfo,
            "bucketsize": bucketsize, "initval": bucketsize}  # fmt: skip
    opts.update(extra)
    return opts


def _bitmap(**extra: int) -> Dict[str, int]:
    opts = {"range": 0, "timeout": 0, "counters": 1, "comment": 2, "skbinfo": 3}
    opts.update(extra)
    return opts


# The revision comments quoted are those of the kernel file named in ``source``.
SET_TYPES: Mapping[str, SetType] = {
    t.name: t
    for t in (
        # 1 Counter support, 2 Comment support, 3 skbinfo support
        SetType(
            "bitmap:ip", ("ip",), _INET, revision_max=3,
            options=_bitmap(netmask=0),
            source="ip_set_bitmap_ip.c",
        ),
        SetType(
            "bitmap:ip,mac", ("ip", "mac"), _INET, revision_max=3,
            options=_bitmap(),
            source="ip_set_bitmap_ipmac.c",
        ),
        SetType(
            "bitmap:port", ("port",), _NOFAMILY, revision_max=3,
            options=_bitmap(),
            source="ip_set_bitmap_port.c",
        ),
        # 1 Counters, 2 Comments, 3 Forceadd, 4 skbinfo, 5 bucketsize/initval, 6 bitmask
        SetType(
            "hash:ip", ("ip",), _INET46, revision_max=6,
            options=_hash(bucketsize=5, counters=1, comment=2, forceadd=3, skbinfo=4,
                          netmask=0, bitmask=6),
            source="ip_set_hash_ip.c",
        ),
        # rev 0 already has every extension; 1 bucketsize, initval
        SetType(
            "hash:mac", ("mac",), _NOFAMILY, revision_max=1,
            options=_hash(bucketsize=1, counters=0, comment=0, forceadd=0, skbinfo=0),
            source="ip_set_hash_mac.c",
        ),
        SetType(
            "hash:ip,mac", ("ip", "mac"), _INET46, revision_max=1,
            options=_hash(bucketsize=1, counters=0, comment=0, forceadd=0, skbinfo=0),
            source="ip_set_hash_ipmac.c",
        ),
        # 1 Range as input, 2 nomatch, 3 Counters, 4 Comments, 5 Forceadd, 6 skbinfo,
        # 7 bucketsize/initval
        SetType(
            "hash:net", ("net",), _INET46, revision_max=7,
            options=_hash(bucketsize=7, counters=3, comment=4, forceadd=5, skbinfo=6, nomatch=2),
            source="ip_set_hash_net.c",
        ),
        # 1 Forceadd, 2 skbinfo, 3 bucketsize/initval, 4 bitmask (netmask came with it)
        SetType(
            "hash:net,net", ("net", "net"), _INET46, revision_max=4,
            options=_hash(bucketsize=3, counters=0, comment=0, forceadd=1, skbinfo=2,
                          netmask=4, bitmask=4, nomatch=0),
            source="ip_set_hash_netnet.c",
        ),
        # 1 SCTP/UDPLITE, 2 Counters, 3 Comments, 4 Forceadd, 5 skbinfo, 6 bucketsize/initval,
        # 7 bitmask (and netmask)
        SetType(
            "hash:ip,port", ("ip", "port"), _INET46, revision_max=7,
            options=_hash(bucketsize=6, counters=2, comment=3, forceadd=4, skbinfo=5,
                          netmask=7, bitmask=7),
            source="ip_set_hash_ipport.c",
        ),
        # 1 SCTP/UDPLITE, 2 Range as input, 3 nomatch, 4 Counters, 5 Comments, 6 Forceadd,
        # 7 skbinfo, 8 bucketsize/initval
        SetType(
            "hash:net,port", ("net", "port"), _INET46, revision_max=8,
            options=_hash(bucketsize=8, counters=4, comment=5, forceadd=6, skbinfo=7, nomatch=3),
            source="ip_set_hash_netport.c",
        ),
        # 1 SCTP/UDPLITE, 2 Counters, 3 Comments, 4 Forceadd, 5 skbinfo, 6 bucketsize/initval
        SetType(
            "hash:ip,port,ip", ("ip", "port", "ip"), _INET46, revision_max=6,
            options=_hash(bucketsize=6, counters=2, comment=3, forceadd=4, skbinfo=5),
            source="ip_set_hash_ipportip.c",
        ),
        # 1 SCTP/UDPLITE, 2 Range as input, 3 nomatch, 4 Counters, 5 Comments, 6 Forceadd,
        # 7 skbinfo, 8 bucketsize/initval
        SetType(
            "hash:ip,port,net", ("ip", "port", "net"), _INET46, revision_max=8,
            options=_hash(bucketsize=8, counters=4, comment=5, forceadd=6, skbinfo=7, nomatch=3),
            source="ip_set_hash_ipportnet.c",
        ),
        # 1 Forceadd, 2 skbinfo, 3 bucketsize/initval
        SetType(
            "hash:ip,mark", ("ip", "mark"), _INET46, revision_max=3,
            options=_hash(bucketsize=3, counters=0, comment=0, forceadd=1, skbinfo=2, markmask=0),
            source="ip_set_hash_ipmark.c",
        ),
        # 0 Comments, 1 Forceadd, 2 skbinfo, 3 bucketsize/initval
        SetType(
            "hash:net,port,net", ("net", "port", "net"), _INET46, revision_max=3,
            options=_hash(bucketsize=3, counters=0, comment=0, forceadd=1, skbinfo=2,
                          nomatch=0, net0=0),
            source="ip_set_hash_netportnet.c",
        ),
        # 1 nomatch, 2 /0, 3 Counters, 4 Comments, 5 Forceadd, 6 skbinfo, 7 iface wildcard,
        # 8 bucketsize/initval
        SetType(
            "hash:net,iface", ("net", "iface"), _INET46, revision_max=8,
            options=_hash(bucketsize=8, counters=3, comment=4, forceadd=5, skbinfo=6,
                          nomatch=1, net0=2, wildcard=7),
            source="ip_set_hash_netiface.c",
        ),
        # 1 Counters, 2 Comments, 3 skbinfo
        SetType(
            "list:set", ("set",), _NOFAMILY, revision_max=3,
            options={"size": 0, "timeout": 0, "counters": 1, "comment": 2, "skbinfo": 3},
            source="ip_set_list_set.c",
        ),
    )
}


def get_type(type_name: str) -> SetType:
    """The `SetType` called ``type_name``; `IpsetInputError` if there is none."""
    try:
        return SET_TYPES[type_name]
    except (KeyError, TypeError):
        raise IpsetInputError(
            "unknown set type %r; known types: %s" % (type_name, ", ".join(sorted(SET_TYPES)))
        ) from None


def type_family(type_name: str, family: Optional[str]) -> str:
    """The family a set of this type has: ``family`` checked, or "" for family-less types.

    ``family`` None means the default (inet) for types that have families.
    """
    settype = get_type(type_name)
    if not settype.families:
        if family not in (None, ""):
            raise IpsetInputError("set type %s takes no family (got %r)" % (type_name, family))
        return ""
    if family is None:
        return "inet"
    if family not in settype.families:
        raise IpsetInputError(
            "family %r is not valid for set type %s (valid: %s)"
            % (family, type_name, ", ".join(settype.families))
        )
    return family


# --- numbers and addresses as ipset(8) reads them ----------------------------------------

# A number as strtoull(base 0) reads all of it, as ipset(8) reads numbers: leading white
# space and a sign allowed, decimal, 0x hex or 0-led octal.
_STRTOULL = re.compile(r"[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)\Z")


def strtoull(text: str) -> Optional[int]:
    """``text`` as strtoull(text, &end, 0) reads it when it reads all of it; else None."""
    match = _STRTOULL.match(text)
    if not match:
        return None
    sign, number = match.groups()
    value = int(number, 16 if number[:2] in ("0x", "0X") else 8 if number[0] == "0" else 10)
    return -value % (1 << 64) if sign == "-" else value  # strtoull() negates in 64 bits


# One part of an IPv4 address as ipset(8) 7.17 reads it: decimal, or octal with a leading 0;
# hexadecimal parts are refused (tried with the CLI: "0x0a.1.2.3" fails to resolve).
_ATON_PART = re.compile(r"(?:0[0-7]*|[1-9][0-9]*)\Z")


def inet_aton_short(text: str) -> Optional[int]:
    """An IPv4 address in the short forms the ``ipset`` CLI takes, or None.

    "a.b.c.d", "a.b.c" (c fills 16 bits), "a.b" (b fills 24 bits), "a" (32 bits), each
    part decimal or 0-led octal: "192.168.0" is 192.168.0.0, "10.1" is 10.0.0.1, "0" is
    0.0.0.0, "010.1.2.3" is 8.1.2.3. As inet_aton() reads them, less the hex parts.
    """
    parts = text.split(".")
    if len(parts) > 4 or not all(map(_ATON_PART.match, parts)):
        return None
    values = [int(part, 8) if part[0] == "0" else int(part) for part in parts]
    shift = 8 * (5 - len(parts))
    if values[-1] >> shift or any(v > 255 for v in values[:-1]):
        return None
    value = 0
    for part in values[:-1]:
        value = value << 8 | part
    return value << shift | values[-1]
