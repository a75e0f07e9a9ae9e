# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the ipset set types as data, and their create options.

No netlink I/O here: this module knows which set types exist, which entry dimensions and
families each takes, which create options each accepts from which type revision on, how those
options are validated, and how the kernel canonicalises them (so that a wanted header compares
exactly with what an ``IPSET_CMD_LIST`` dump returns).

Sources (read, not copied):
- Linux net/netfilter/ipset/ip_set_*.c: ``IPSET_TYPE_REV_MIN``/``IPSET_TYPE_REV_MAX`` and the
  comment per revision, ``.create_policy``, ``*_create()``; ip_set_hash_gen.h ``*_create()``
  (hashsize rounding, bucketsize clamping, netmask/bitmask); ip_set_bitmap_ip.c
  ``bitmap_ip_create()``; ip_set_list_set.c ``list_set_create()`` (as in ipset 7.21's
  kernel/ tree, which matches Linux 6.x).
- include/linux/netfilter/ipset/ip_set.h (IPSET_MAX_TIMEOUT), ip_set_hash.h
  (IPSET_DEFAULT_HASHSIZE, IPSET_MIMINAL_HASHSIZE, IPSET_DEFAULT_MAXELEM), ip_set_bitmap.h
  (IPSET_BITMAP_MAX_RANGE), ip_set_list.h (IP_SET_LIST_DEFAULT_SIZE, IP_SET_LIST_MIN_SIZE).
- ``ipset help`` of ipset v7.17 (the revision table it prints agrees with the kernel comments)
  and ``ipset save`` on Linux 6.18 for the canonical header values.
"""

from __future__ import annotations

import re
import socket
from typing import Any, Dict, FrozenSet, Mapping, NamedTuple, Optional, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._ipset.uapi import (
    IPSET_FLAG_WITH_COMMENT,
    IPSET_FLAG_WITH_COUNTERS,
    IPSET_FLAG_WITH_FORCEADD,
    IPSET_FLAG_WITH_SKBINFO,
)


class IpsetInputError(ValueError):
    """A set type, create option or entry given by the user is not valid; says which and why."""


# --- constants the UAPI tables (uapi.py) do not carry ------------------------------------
# include/linux/netfilter/ipset/ip_set.h: (UINT_MAX >> 1) / MSEC_PER_SEC
IPSET_MAX_TIMEOUT = 2147483
# include/linux/netfilter/ipset/ip_set_hash.h
IPSET_DEFAULT_HASHSIZE = 1024
IPSET_MIMINAL_HASHSIZE = 64  # sic, the kernel's spelling
IPSET_DEFAULT_MAXELEM = 65536
# net/netfilter/ipset/ip_set_hash_gen.h: AHASH_INIT_SIZE 2, AHASH_MAX_SIZE (6 * AHASH_INIT_SIZE)
AHASH_INIT_SIZE = 2
AHASH_MAX_SIZE = 12
# include/linux/netfilter/ipset/ip_set_bitmap.h: a bitmap holds at most this + 1 elements
IPSET_BITMAP_MAX_RANGE = 0xFFFF
# include/linux/netfilter/ipset/ip_set_list.h
IP_SET_LIST_DEFAULT_SIZE = 8
IP_SET_LIST_MIN_SIZE = 4

FAMILIES = ("inet", "inet6")
_INET = ("inet",)
_INET46 = ("inet", "inet6")
_NOFAMILY: Tuple[str, ...] = ()  # the kernel registers these with NFPROTO_UNSPEC

# Create options with a value (the rest are flags: counters, comment, skbinfo, forceadd).
FLAG_OPTIONS = ("counters", "comment", "skbinfo", "forceadd")
FLAG_BITS = {
    "counters": IPSET_FLAG_WITH_COUNTERS,
    "comment": IPSET_FLAG_WITH_COMMENT,
    "skbinfo": IPSET_FLAG_WITH_SKBINFO,
    "forceadd": IPSET_FLAG_WITH_FORCEADD,
}
# Entry extensions, and the create flag a set needs to store each, with what the set then
# lacks in words (a timeout needs a header timeout instead).
EXTENSION_FLAGS: Mapping[str, Tuple[int, str]] = {
    "comment": (IPSET_FLAG_WITH_COMMENT, "comment support"),
    "packets": (IPSET_FLAG_WITH_COUNTERS, "counters"),
    "bytes": (IPSET_FLAG_WITH_COUNTERS, "counters"),
    "skbmark": (IPSET_FLAG_WITH_SKBINFO, "skbinfo support"),
    "skbprio": (IPSET_FLAG_WITH_SKBINFO, "skbinfo support"),
    "skbqueue": (IPSET_FLAG_WITH_SKBINFO, "skbinfo support"),
}
CREATE_OPTIONS = (
    "timeout", "counters", "comment", "skbinfo", "forceadd", "hashsize", "maxelem",
    "bucketsize", "initval", "netmask", "bitmask", "markmask", "range", "size",
)  # fmt: skip

# Header attributes whose value the kernel picks when the user does not: drift detection must
# compare them only when the user asked for a value (initval is random; markmask defaults to
# 0xffffffff and is always listed by hash:ip,mark).
KERNEL_CHOSEN: FrozenSet[str] = frozenset(
    {"hashsize", "maxelem", "bucketsize", "initval", "size", "markmask"}
)
# Header attributes that are statistics, never wanted state.
HEADER_STATISTICS: FrozenSet[str] = frozenset({"references", "memsize", "elements"})


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


def option_min_revision(type_name: str, option: str) -> Optional[int]:
    """First revision of ``type_name`` that accepts ``option``; None if no revision does."""
    return get_type(type_name).options.get(option)


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


# --- value checks --------------------------------------------------------------------------


def _uint(name: str, value: Any, low: int, high: int) -> int:
    """An int from an int or a decimal/0x-hex string, within [low, high]."""
    if isinstance(value, bool):
        raise IpsetInputError("option %r must be an integer, got %r" % (name, value))
    if isinstance(value, str):
        text = value.strip()
        try:
            value = int(text, 16) if text[:2].lower() == "0x" else int(text, 10)
        except ValueError:
            raise IpsetInputError("option %r must be an integer, got %r" % (name, text)) from None
    if not isinstance(value, int):
        raise IpsetInputError("option %r must be an integer, got %r" % (name, value))
    if not low <= value <= high:
        raise IpsetInputError("option %r is out of range %d-%d: %d" % (name, low, high, value))
    return value


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise IpsetInputError("option %r must be true or false, got %r" % (name, value))
    return value


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


def _ipv4(name: str, text: Any) -> int:
    try:
        return int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")
    except (OSError, ValueError, TypeError):
        pass
    short = inet_aton_short(text) if isinstance(text, str) else None
    if short is None:
        raise IpsetInputError("option %r: invalid IPv4 address %r" % (name, text))
    return short


def _address(name: str, family: str, text: Any) -> bytes:
    af = socket.AF_INET6 if family == "inet6" else socket.AF_INET
    try:
        return socket.inet_pton(af, text)
    except (OSError, ValueError, TypeError):
        short = inet_aton_short(text) if isinstance(text, str) and af == socket.AF_INET else None
        if short is not None:
            return short.to_bytes(4, "big")
        raise IpsetInputError(
            "option %r: invalid %s address %r"
            % (name, "IPv6" if family == "inet6" else "IPv4", text)
        ) from None


def _mask_bits(value: int) -> Optional[int]:
    """Prefix length of a contiguous 32-bit mask, None if it is not contiguous."""
    inverted = ~value & 0xFFFFFFFF
    if inverted & (inverted + 1):
        return None
    return 32 - inverted.bit_length()


def _bitmap_ip_range(text: Any, netmask: int) -> Tuple[int, int]:
    """bitmap:ip ``range`` "A-B" or "A/cidr" -> (first, last) as bitmap_ip_create() keeps them."""
    if not isinstance(text, str) or not text:
        raise IpsetInputError('option \'range\' must be "FROM-TO" or "IP/CIDR", got %r' % (text,))
    if "/" in text:
        addr, _sep, cidr_text = text.partition("/")
        cidr = strtoull(cidr_text)
        if cidr is None or not 0 <= cidr <= 31:
            raise IpsetInputError("option 'range': invalid CIDR in %r (0-31 allowed)" % text)
        hostmask = (0xFFFFFFFF << (32 - cidr)) & 0xFFFFFFFF
        first = _ipv4("range", addr) & hostmask
        last = first | (~hostmask & 0xFFFFFFFF)
    elif "-" in text:
        low, _sep, high = text.partition("-")
        first, last = _ipv4("range", low), _ipv4("range", high)
        if first > last:
            raise IpsetInputError("option 'range' is backwards: %r" % text)
    else:
        raise IpsetInputError('option \'range\' must be "FROM-TO" or "IP/CIDR", got %r' % text)
    if netmask != 32:
        hostmask = (0xFFFFFFFF << (32 - netmask)) & 0xFFFFFFFF
        first &= hostmask
        last |= ~hostmask & 0xFFFFFFFF
        # range_to_mask(): the widened range must be one CIDR block wider than the netmask
        mask_bits = _mask_bits(~(first ^ last) & 0xFFFFFFFF)
        if (
            mask_bits is None
            or first & ~(0xFFFFFFFF << (32 - mask_bits)) & 0xFFFFFFFF
            or (netmask <= mask_bits)
        ):
            raise IpsetInputError(
                "option 'range' %r must be a network wider than netmask %d" % (text, netmask)
            )
        elements = 1 << (netmask - mask_bits)
    else:
        elements = last - first + 1
    if elements > IPSET_BITMAP_MAX_RANGE + 1:
        raise IpsetInputError(
            "option 'range' %r holds %d elements, more than the %d a bitmap can"
            % (text, elements, IPSET_BITMAP_MAX_RANGE + 1)
        )
    return first, last


def _port_value(text: str) -> int:
    if text.isdigit():
        return _uint("range", text, 0, 65535)
    try:
        return socket.getservbyname(text, "tcp")
    except (OSError, UnicodeError, ValueError):
        raise IpsetInputError("option 'range': unknown port %r" % text) from None


def _port_range(text: Any) -> Tuple[int, int]:
    if not isinstance(text, str) or "-" not in text.strip("-"):
        raise IpsetInputError("option 'range' must be \"FROM-TO\" ports, got %r" % (text,))
    low, _sep, high = text.partition("-")
    first, last = _port_value(low), _port_value(high)
    if first > last:
        raise IpsetInputError("option 'range' is backwards: %r" % text)
    return first, last


def check_create_options(type_name: str, family: Optional[str], options: Mapping[str, Any]) -> None:
    """Raise `IpsetInputError` unless ``options`` are valid create options for the type.

    Options whose value is None count as not given. The check is the one
    `normalise_create_options` does; use that to get the canonical form.
    """
    normalise_create_options(type_name, family, options)


def normalise_create_options(
    type_name: str, family: Optional[str], options: Mapping[str, Any]
) -> Dict[str, Any]:
    """Validate create options; return them as the kernel lists them in the set header.

    The result is keyed by lower-case UAPI attribute names: ``ip``/``ip_to`` (packed bytes,
    bitmap:ip and bitmap:ip,mac ``range``), ``port``/``port_to`` (bitmap:port ``range``),
    ``netmask``, ``bitmask`` (packed bytes), ``markmask``, ``hashsize``, ``maxelem``,
    ``bucketsize``, ``initval``, ``timeout``, ``size`` (ints), ``cadt_flags`` (the
    IPSET_FLAG_WITH_* bits of counters/comment/skbinfo/forceadd). Values are what the kernel
    makes of them: hashsize rounded up to a power of two (at least 64), bucketsize clamped to
    2..12 and made even, list:set size at least 4, a range widened to the netmask. Values the
    kernel does not list are left out (netmask equal to the host mask, an all-ones bitmask,
    flags that are false). Options not given stay out: see `KERNEL_CHOSEN`.
    """
    settype = get_type(type_name)
    fam = type_family(type_name, family)
    given = {k: v for k, v in options.items() if v is not None}
    for name in given:
        if name not in CREATE_OPTIONS:
            raise IpsetInputError("unknown create option %r" % (name,))
        if name not in settype.options:
            raise IpsetInputError("option %r is not valid for set type %s" % (name, type_name))
    out: Dict[str, Any] = {}
    host_bits = 128 if fam == "inet6" else 32
    if "netmask" in given and "bitmask" in given:
        raise IpsetInputError("options 'netmask' and 'bitmask' are mutually exclusive")
    netmask = host_bits
    if "netmask" in given:
        netmask = _uint("netmask", given["netmask"], 1, host_bits)
        if netmask != host_bits:
            out["netmask"] = netmask
    if "bitmask" in given:
        bitmask = _address("bitmask", fam, given["bitmask"])
        if not any(bitmask):
            raise IpsetInputError("option 'bitmask' must not be all zeros")
        if bitmask != b"\xff" * len(bitmask):
            out["bitmask"] = bitmask
    if "markmask" in given:
        out["markmask"] = _uint("markmask", given["markmask"], 1, 0xFFFFFFFF)
    if "hashsize" in given:
        hashsize = _uint("hashsize", given["hashsize"], 0, 1 << 31)
        # ip_set_hash_gen.h: at least IPSET_MIMINAL_HASHSIZE, then htable_bits = fls(n - 1)
        hashsize = max(hashsize, IPSET_MIMINAL_HASHSIZE)
        out["hashsize"] = 1 << (hashsize - 1).bit_length()
    if "maxelem" in given:
        out["maxelem"] = _uint("maxelem", given["maxelem"], 1, 0xFFFFFFFF)
    if "bucketsize" in given:
        bucketsize = _uint("bucketsize", given["bucketsize"], 0, 255)
        bucketsize = min(max(bucketsize, AHASH_INIT_SIZE), AHASH_MAX_SIZE)
        out["bucketsize"] = bucketsize + (bucketsize % 2)
    if "initval" in given:
        out["initval"] = _uint("initval", given["initval"], 0, 0xFFFFFFFF)
    if "timeout" in given:
        out["timeout"] = _uint("timeout", given["timeout"], 0, IPSET_MAX_TIMEOUT)
    if "size" in given:
        out["size"] = max(_uint("size", given["size"], 0, 0xFFFFFFFF), IP_SET_LIST_MIN_SIZE)
    flags = 0
    for name in FLAG_OPTIONS:
        if name in given and _flag(name, given[name]):
            flags |= FLAG_BITS[name]
    if flags:
        out["cadt_flags"] = flags
    if "range" in settype.options:
        if "range" not in given:
            raise IpsetInputError("option 'range' is required for set type %s" % type_name)
        if type_name == "bitmap:port":
            out["port"], out["port_to"] = _port_range(given["range"])
        else:
            first, last = _bitmap_ip_range(given["range"], netmask)
            out["ip"], out["ip_to"] = first.to_bytes(4, "big"), last.to_bytes(4, "big")
    return out


def kernel_defaults(type_name: str, family: Optional[str] = None) -> Dict[str, Any]:
    """Header values the kernel picks for `KERNEL_CHOSEN` options the user left out.

    initval is random, so it is never here.
    """
    settype = get_type(type_name)
    out: Dict[str, Any] = {}
    if "hashsize" in settype.options:
        out.update(hashsize=IPSET_DEFAULT_HASHSIZE, maxelem=IPSET_DEFAULT_MAXELEM)
        if settype.options["bucketsize"] <= settype.revision_max:
            out["bucketsize"] = AHASH_MAX_SIZE
    if "markmask" in settype.options:
        out["markmask"] = 0xFFFFFFFF
    if "size" in settype.options:
        out["size"] = IP_SET_LIST_DEFAULT_SIZE
    return out


def required_revision(type_name: str, options: Mapping[str, Any]) -> int:
    """The lowest revision of the type that accepts every option given (not None/False)."""
    settype = get_type(type_name)
    revision = 0
    for name, value in options.items():
        if value is None or value is False:
            continue
        min_rev = settype.options.get(name)
        if min_rev is None:
            raise IpsetInputError("option %r is not valid for set type %s" % (name, type_name))
        revision = max(revision, min_rev)
    return revision
