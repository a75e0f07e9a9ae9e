# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the members of a set listing as entries.

The element attributes of an ``IPSET_CMD_LIST`` dump made canonical keys (`format_entry`,
the inverse of `parse.parse_entries`; `keys_from_kernel` for many at once) and `entry.Entry`
values (`entry_from_kernel`). A plan on addresses alone (`entries.plan` for bare addresses
in a plain hash:ip set) reads none of it, and does not load it.
"""

from __future__ import annotations

from functools import partial
from socket import AF_INET, AF_INET6, inet_ntop
from typing import Any, List, Mapping, Optional, Sequence

from ansible_collections.linux.netlink.plugins.module_utils._ipset import names, typetable, wire
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._ipset.entry import (
    EXTENSIONS,
    Entry,
    mac_text,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink import errors

_new = tuple.__new__


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
        return names.proto_port_text(data["proto"], data["port"])
    if dim == "mac":
        return mac_text(data["ether"])
    if dim == "mark":
        return "0x%08x" % data["mark"]
    if dim == "iface":
        physdev = data.get("cadt_flags", 0) & u.IPSET_FLAG_PHYSDEV
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
    if settype == "hash:ip,port" and data["proto"] in names.PROTOS_WITH_PORTS:
        packed = data["ip"]
        return "%s,%s:%d" % (inet_ntop(AF_INET if len(packed) == 4 else AF_INET6, packed),
                             names.PROTO_NAMES[data["proto"]], data["port"])  # fmt: skip
    return None


def format_entry(settype: str, family: Optional[str], data: Mapping[str, Any]) -> str:
    """The canonical key of an element from its attributes (the inverse of parse_entries)."""
    fast = _fast_format(settype, data)
    if fast is not None:
        return fast
    dims = typetable.get_type(settype).dims
    parts = []
    nth_ip = 0
    for dim in dims:
        if dim == "mac" and "ether" not in data:
            continue  # bitmap:ip,mac entry without a MAC yet
        parts.append(_fmt_part(dim, data, nth_ip, settype))
        if dim in ("ip", "net"):
            nth_ip += 1
    return ",".join(parts)


_ELEMENT_ATTRS = frozenset(
    ("ip", "cidr", "ip2", "cidr2", "port", "proto", "ether", "iface", "mark", "name")
)


def entry_from_kernel(settype: str, family: Optional[str], attrs: Mapping[str, Any]) -> Entry:
    """An `Entry` from one element of a list dump (element and extension attrs mixed)."""
    data = {k: v for k, v in attrs.items() if k in _ELEMENT_ATTRS}
    ext = {k: attrs[k] for k in EXTENSIONS if attrs.get(k) is not None}
    flags = attrs.get("cadt_flags", 0)
    if flags & u.IPSET_FLAG_NOMATCH:
        ext["nomatch"] = True
    if flags & u.IPSET_FLAG_IFACE_WILDCARD:
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
        raise errors.ProtocolError(
            "the kernel listed a %s member that cannot be read (%s: %r): %r"
            % (settype, type(exc).__name__, exc.args[0] if exc.args else "", dict(attrs))
        ) from None
