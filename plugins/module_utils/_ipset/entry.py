# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: ipset entries: the `Entry` value, formatted and keyed.

An entry is written as ``ipset save`` prints it and ``ipset add`` takes it ("10.0.0.0/24",
"192.0.2.1,tcp:80", "10.0.0.0/24,physdev:eth0", "setname"). `parse.parse_entries` turns user
input into `Entry` values, one per kernel element, in the kernel's canonical form;
`listing.format_entry` turns the element attributes of a kernel dump back into the same key.
The parts of an entry are read by the parsers in `dimensions.DIMENSIONS` (`parse` puts them
together); protocol and ICMP names are in `names`.

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

from socket import AF_INET, AF_INET6, inet_ntop
from typing import Any, Dict, Mapping, NamedTuple, Optional, Tuple

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


def mac_text(ether: bytes) -> str:
    """A MAC address as ipset prints it: upper-case, two digits per octet."""
    return ":".join("%02X" % b for b in ether)


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


def entry_text(entry: Entry) -> str:
    """An entry's element as ``ipset save`` prints it: its key, and the MAC of a
    bitmap:ip,mac entry (keyed by its address alone, the only kind keyed without it)."""
    data = entry.data
    if "ether" in data and "ip" in data and "," not in entry.key:
        return entry.key + "," + mac_text(data["ether"])
    return entry.key
