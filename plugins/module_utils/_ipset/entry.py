# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: ipset entries: the `Entry` value, formatted and keyed.

An entry is written as ``ipset save`` prints it and ``ipset add`` takes it ("10.0.0.0/24",
"192.0.2.1,tcp:80", "10.0.0.0/24,physdev:eth0", "setname"). `parse.parse_entries` turns user
input into `Entry` values, one per kernel element, in the kernel's canonical form; `format_entry`
turns the element attributes of a kernel dump back into the same key. The parts of an entry
are read by the parsers in `dimensions.DIMENSIONS` (`parse` puts them together); protocol
and ICMP names are in `names`.

Element attributes are a plain dict keyed by the lower-case UAPI attribute name without
``IPSET_ATTR_`` (include/uapi/linux/netfilter/ipset/ip_set.h): ``ip``/``ip2`` (packed
bytes), ``cidr``/``cidr2``, ``port`` (for ICMP/ICMPv6 ``type << 8 | code``), ``proto``,
``ether`` (6 bytes), ``iface``, ``mark``, ``name``, ``nameref`` and ``cadt_flags`` (enum
ipset_cadt_flags bits). ``data`` holds exactly the attributes the kernel lists for that
element (hash:net always has ``cidr``, ``cadt_flags`` only when not 0), so parse output and
dump compare equal. Extensions use the same naming: ``timeout``, ``packets``, ``bytes``,
``comment``, ``skbmark`` (mark << 32 | mask), ``skbprio`` (major << 16 | minor),
``skbqueue``; plus the two per-entry flags that are not part of an element's identity,
``nomatch`` and ``wildcard`` (True when set; their bits are also in ``data["cadt_flags"]``).
"""

from __future__ import annotations

from functools import partial
from socket import AF_INET, AF_INET6, inet_ntop
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._ipset import wire
from ansible_collections.linux.netlink.plugins.module_utils._ipset.names import (
    PROTO_NAMES,
    PROTOS_WITH_PORTS,
    mac_text,
    proto_port_text,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.typetable import (
    get_type,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.uapi import (
    IPSET_FLAG_IFACE_WILDCARD,
    IPSET_FLAG_NOMATCH,
    IPSET_FLAG_PHYSDEV,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import ProtocolError

_new = tuple.__new__


class Entry(NamedTuple):
    """One kernel element: its canonical text, its attributes, its extensions.

    ``key`` is the element as ``ipset save`` prints it without extensions or flags;
    ``data`` the element attributes sent to (and listed by) the kernel; ``ext`` the
    extensions and the ``nomatch``/``wildcard`` flags; ``position`` for list:set entries
    added ``before``/``after`` another set: ``("before", "name")``, else None.
    """

    key: str
    data: Dict[str, Any]
    ext: Dict[str, Any]
    position: Optional[Tuple[str, str]] = None


EXTENSIONS = ("timeout", "packets", "bytes", "comment", "skbmark", "skbprio", "skbqueue")


def host_entry(packed: bytes) -> Entry:
    """The `Entry` of one hash:ip entry from its packed address."""
    return _new(Entry, (inet_ntop(AF_INET6 if len(packed) == 16 else AF_INET, packed),
                        {"ip": packed}, {}, None))  # fmt: skip


# --- formatting ------------------------------------------------------------------------------


def _fmt_addr(data: Mapping[str, Any], attr: str, cattr: Optional[str]) -> str:
    packed = data[attr]
    addr = inet_ntop(AF_INET if len(packed) == 4 else AF_INET6, packed)
    if cattr is None:
        return addr
    cidr = data.get(cattr, len(packed) * 8)
    return addr if cidr == len(packed) * 8 else "%s/%d" % (addr, cidr)


def _fmt_part(dim: str, data: Mapping[str, Any], nth_ip: int, settype: str) -> str:
    if dim in ("ip", "net"):
        attr, cattr = ("ip", "cidr") if nth_ip == 0 else ("ip2", "cidr2")
        return _fmt_addr(data, attr, cattr if dim == "net" else None)
    if dim == "port":
        if settype == "bitmap:port":
            return str(data["port"])
        return proto_port_text(data["proto"], data["port"])
    if dim == "mac":
        return mac_text(data["ether"])
    if dim == "mark":
        return "0x%08x" % data["mark"]
    if dim == "iface":
        physdev = data.get("cadt_flags", 0) & IPSET_FLAG_PHYSDEV
        return ("physdev:" if physdev else "") + data["iface"]
    return data["name"]


def _fast_format(settype: str, data: Mapping[str, Any]) -> Optional[str]:
    """The accelerator of `format_entry` for the bulk types; None for the others."""
    if settype == "hash:ip":
        return inet_ntop(AF_INET if len(data["ip"]) == 4 else AF_INET6, data["ip"])
    if settype == "hash:net":
        packed = data["ip"]
        addr = inet_ntop(AF_INET if len(packed) == 4 else AF_INET6, packed)
        cidr = data.get("cidr", len(packed) * 8)
        return addr if cidr == len(packed) * 8 else "%s/%d" % (addr, cidr)
    if settype == "hash:ip,port" and data["proto"] in PROTOS_WITH_PORTS:
        packed = data["ip"]
        return "%s,%s:%d" % (inet_ntop(AF_INET if len(packed) == 4 else AF_INET6, packed),
                             PROTO_NAMES[data["proto"]], data["port"])  # fmt: skip
    return None


def format_entry(settype: str, family: Optional[str], data: Mapping[str, Any]) -> str:
    """The canonical key of an element from its attributes (the inverse of parse_entries)."""
    fast = _fast_format(settype, data)
    if fast is not None:
        return fast
    dims = get_type(settype).dims
    parts = []
    nth_ip = 0
    for dim in dims:
        if dim == "mac" and "ether" not in data:
            continue  # bitmap:ip,mac entry without a MAC yet
        parts.append(_fmt_part(dim, data, nth_ip, settype))
        if dim in ("ip", "net"):
            nth_ip += 1
    return ",".join(parts)


def format_extensions(ext: Mapping[str, Any]) -> str:
    """The save-syntax tail of an entry, in ``ipset save`` order (empty if nothing to say)."""
    if not ext:
        return ""
    out = []
    if ext.get("timeout") is not None:
        out.append(" timeout %d" % ext["timeout"])
    if ext.get("nomatch"):
        out.append(" nomatch")
    if ext.get("wildcard"):
        out.append(" wildcard")
    if ext.get("packets") is not None:
        out.append(" packets %d" % ext["packets"])
    if ext.get("bytes") is not None:
        out.append(" bytes %d" % ext["bytes"])
    if ext.get("comment") is not None:
        out.append(' comment "%s"' % ext["comment"])
    if ext.get("skbmark") is not None:
        mark, mask = ext["skbmark"] >> 32, ext["skbmark"] & 0xFFFFFFFF
        out.append(" skbmark 0x%x" % mark if mask == 0xFFFFFFFF else " skbmark 0x%x/0x%x" % (
            mark, mask))  # fmt: skip
    if ext.get("skbprio") is not None:
        out.append(" skbprio %x:%x" % (ext["skbprio"] >> 16, ext["skbprio"] & 0xFFFF))
    if ext.get("skbqueue") is not None:
        out.append(" skbqueue %d" % ext["skbqueue"])
    return "".join(out)


_ELEMENT_ATTRS = frozenset(
    ("ip", "cidr", "ip2", "cidr2", "port", "proto", "ether", "iface", "mark", "name")
)


def entry_from_kernel(settype: str, family: Optional[str], attrs: Mapping[str, Any]) -> Entry:
    """An `Entry` from one element of a list dump (element and extension attrs mixed)."""
    data = {k: v for k, v in attrs.items() if k in _ELEMENT_ATTRS}
    ext = {k: attrs[k] for k in EXTENSIONS if attrs.get(k) is not None}
    flags = attrs.get("cadt_flags", 0)
    if flags & IPSET_FLAG_NOMATCH:
        ext["nomatch"] = True
    if flags & IPSET_FLAG_IFACE_WILDCARD:
        ext["wildcard"] = True
    if flags:
        data["cadt_flags"] = flags
    return _new(Entry, (key_from_kernel(settype, family, data), data, ext, None))


def keys_from_kernel(
    settype: str, family: Optional[str], elements: Sequence[Mapping[str, Any]]
) -> List[str]:
    """`key_from_kernel` of many entries at once; hash:ip (the bulk case) without a loop."""
    fast = _fast_hash_ip_keys(settype, family, elements)
    if fast is not None:
        return fast
    return [key_from_kernel(settype, family, attrs) for attrs in elements]


def _fast_hash_ip_keys(
    settype: str, family: Optional[str], elements: Sequence[Mapping[str, Any]]
) -> Optional[List[str]]:
    """The accelerator of `keys_from_kernel`: hash:ip entries whose addresses are all of the
    set's family, formatted in C; None otherwise (the general path names the bad entry)."""
    if settype != "hash:ip":
        return None
    ntop = partial(inet_ntop, AF_INET6 if family == "inet6" else AF_INET)
    try:
        return list(map(ntop, wire.column(elements, "ip")))
    except (KeyError, TypeError, ValueError):
        return None


def entry_text(entry: Entry) -> str:
    """An entry's element as ``ipset save`` prints it: its key, and the MAC of a
    bitmap:ip,mac entry (keyed by its address alone, the only kind keyed without it)."""
    data = entry.data
    if "ether" in data and "ip" in data and "," not in entry.key:
        return entry.key + "," + mac_text(data["ether"])
    return entry.key


def key_from_kernel(settype: str, family: Optional[str], attrs: Mapping[str, Any]) -> str:
    """The canonical key of one element of a list dump (extension attrs may be mixed in).

    A bitmap:ip,mac entry is keyed by its address: the kernel holds one entry per address
    (it fills the MAC in from traffic, re-adding with another MAC replaces it, deleting by the
    address removes it), so the MAC is compared as an attribute, not part of the identity.
    """
    try:
        if settype == "bitmap:ip,mac":
            return inet_ntop(AF_INET, attrs["ip"])
        return format_entry(settype, family, attrs)
    except (KeyError, TypeError, ValueError) as exc:  # a reply missing what the type needs
        raise ProtocolError(
            "the kernel listed a %s member that cannot be read (%s: %r): %r"
            % (settype, type(exc).__name__, exc.args[0] if exc.args else "", dict(attrs))
        ) from None
