# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the ipset set types and their create options.

No netlink I/O here: how create options are validated, and how the kernel canonicalises them
(so that a wanted header compares exactly with what an ``IPSET_CMD_LIST`` dump returns).
The set types themselves (which exist, their dimensions, families and per-revision options)
are data in `typetable`: converging a set's entries needs the table alone, and its module does
not load (nor ship) what creating a set needs.

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

import socket
from typing import Any, Dict, FrozenSet, Mapping, Optional, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._ipset.typetable import (
    IPSET_MAX_TIMEOUT,
    IpsetInputError,
    get_type,
    inet_aton_short,
    strtoull,
    type_family,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.uapi import (
    IPSET_FLAG_WITH_COMMENT,
    IPSET_FLAG_WITH_COUNTERS,
    IPSET_FLAG_WITH_FORCEADD,
    IPSET_FLAG_WITH_SKBINFO,
)

# --- constants the UAPI tables (uapi.py) do not carry ------------------------------------
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

# Create options with a value (the rest are flags: counters, comment, skbinfo, forceadd).
FLAG_OPTIONS = ("counters", "comment", "skbinfo", "forceadd")
FLAG_BITS = {
    "counters": IPSET_FLAG_WITH_COUNTERS,
    "comment": IPSET_FLAG_WITH_COMMENT,
    "skbinfo": IPSET_FLAG_WITH_SKBINFO,
    "forceadd": IPSET_FLAG_WITH_FORCEADD,
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


def option_min_revision(type_name: str, option: str) -> Optional[int]:
    """First revision of ``type_name`` that accepts ``option``; None if no revision does."""
    return get_type(type_name).options.get(option)


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
