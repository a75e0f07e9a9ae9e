# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: ipset members (entries) parsed, canonicalised and formatted.

An entry is written as ``ipset save`` prints it and ``ipset add`` takes it ("10.0.0.0/24",
"192.0.2.1,tcp:80", "10.0.0.0/24,physdev:eth0", "setname"). `parse_entries` turns user input
into `Entry` values, one per kernel element, in the kernel's canonical form; `format_entry`
turns the element attributes of a kernel dump back into the same key. The parts of an entry
are read by the parsers in `dimensions.DIMENSIONS`; protocol and ICMP names are in `names`.

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

IPv4 addresses are read as ipset(8) reads them: dotted quads and the inet_aton() short forms
("192.168.0/24" is 192.168.0.0/24, "10.1" is 10.0.0.1), parts in decimal or 0-led octal,
never hex (`inet_aton_short`); CIDRs as strtoull() reads them ("/024" is /20).
Where this parser is stricter than ipset(8), on purpose: no host names (ipset resolves them),
and no ``[escaped-name]`` syntax. Backwards ranges are taken as the kernel takes them, ends
swapped ("10.0.0.9-10.0.0.7" is .7 to .9).
"""

from __future__ import annotations

import re
import shlex
from functools import partial
from socket import AF_INET, AF_INET6, inet_ntoa, inet_ntop, inet_pton
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
)

from ansible_collections.linux.netlink.plugins.module_utils._ipset import wire
from ansible_collections.linux.netlink.plugins.module_utils._ipset.dimensions import (
    Alt,
    Bad,
    Context,
    Parser,
    budget,
    c_uint,
    mac_text,
    name_check,
    parsers,
    utf8_size,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.names import (
    PROTO_NAMES,
    PROTOS_WITH_PORTS,
    proto_port_text,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.types import (
    IPSET_MAX_TIMEOUT,
    IpsetInputError,
    get_type,
    type_family,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.uapi import (
    IPSET_FLAG_BEFORE,
    IPSET_FLAG_IFACE_WILDCARD,
    IPSET_FLAG_NOMATCH,
    IPSET_FLAG_PHYSDEV,
    IPSET_MAX_COMMENT_SIZE,
    IPSET_MAXNAMELEN,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import ProtocolError

_new = tuple.__new__


class Entry(NamedTuple):
    """One kernel element: its canonical text, its attributes, its extensions.

    ``key`` is the element as ``ipset save`` prints it without extensions or flags;
    ``data`` the element attributes sent to (and listed by) the kernel; ``ext`` the
    extensions and the ``nomatch``/``wildcard`` flags; ``position`` for list:set members
    added ``before``/``after`` another set: ``("before", "name")``, else None.
    """

    key: str
    data: Dict[str, Any]
    ext: Dict[str, Any]
    position: Optional[Tuple[str, str]] = None


EXTENSIONS = ("timeout", "packets", "bytes", "comment", "skbmark", "skbprio", "skbqueue")
_ENTRY_FLAGS = ("nomatch", "wildcard")
_DICT_KEYS = frozenset(("entry", "before", "after") + EXTENSIONS + _ENTRY_FLAGS)
_U64_MAX = (1 << 64) - 1
_HEX = re.compile(r"[0-9a-fA-F]{1,8}\Z")


def _split_text(text: str, ctx: Context) -> Tuple[List[str], Optional[Tuple[str, str]]]:
    """Element text -> its dimension parts (and a list:set position)."""
    parts = text.split(",")
    ndims = len(ctx.type.dims)
    if ctx.settype == "list:set" and len(parts) == 3:
        if parts[1] not in ("before", "after"):
            raise Bad("list:set members are written NAME or NAME,before|after,NAME")
        return [parts[0]], (parts[1], parts[2])
    if ctx.settype == "bitmap:ip,mac" and len(parts) == 1:
        return parts, None  # the MAC is optional (last_elem_optional in ipset)
    if len(parts) != ndims:
        raise Bad("%s takes %d dimension%s, got %d"
                  % (ctx.settype, ndims, "" if ndims == 1 else "s", len(parts)))  # fmt: skip
    return parts, None


_TAIL_WORDS = frozenset(EXTENSIONS + ("before", "after"))


def _tail_options(tail: str) -> Dict[str, Any]:
    """Save-style options after an element ("timeout 30 comment \"x\" nomatch") -> dict."""
    try:
        words = shlex.split(tail)
    except ValueError as exc:
        raise Bad("cannot split options %r: %s" % (tail, exc)) from None
    out: Dict[str, Any] = {}
    index = 0
    while index < len(words):
        word = words[index]
        if word in _ENTRY_FLAGS:
            out[word] = True
            index += 1
        elif word in _TAIL_WORDS and index + 1 < len(words):
            out[word] = words[index + 1]
            index += 2
        else:
            raise Bad("unknown or incomplete option %r" % word)
    return out


def _ext_int(name: str, value: Any, high: int) -> int:
    if isinstance(value, bool):
        raise Bad("%s must be a number, got %r" % (name, value))
    if isinstance(value, str):
        return c_uint(value, name, high)
    if not isinstance(value, int):
        raise Bad("%s must be a number, got %r" % (name, value))
    if not 0 <= value <= high:
        raise Bad("%s %d out of range 0-%d" % (name, value, high))
    return value


def _skbmark(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return _ext_int("skbmark", value, _U64_MAX)
    if not isinstance(value, str):
        raise Bad("skbmark must be MARK or MARK/MASK, got %r" % (value,))
    mark, sep, mask = value.partition("/")
    parts = [mark, mask] if sep else [mark]
    numbers = []
    for part in parts:
        if part[:2].lower() != "0x" or not _HEX.match(part[2:]):
            raise Bad("skbmark must be 0xMARK or 0xMARK/0xMASK (hex), got %r" % value)
        numbers.append(int(part[2:], 16))
    return numbers[0] << 32 | (numbers[1] if sep else 0xFFFFFFFF)


def _skbprio(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return _ext_int("skbprio", value, 0xFFFFFFFF)
    major, sep, minor = value.partition(":") if isinstance(value, str) else ("", "", "")
    if not sep or not all(re.match(r"[0-9a-fA-F]{1,4}\Z", x) for x in (major, minor)):
        raise Bad("skbprio must be MAJOR:MINOR (hex), got %r" % (value,))
    return int(major, 16) << 16 | int(minor, 16)


def _comment(value: Any) -> str:
    if not isinstance(value, str):
        raise Bad("comment must be a string, got %r" % (value,))
    if '"' in value or "\x00" in value:
        raise Bad('comment must not contain " or NUL characters')
    if utf8_size(value, "comment") > IPSET_MAX_COMMENT_SIZE:
        raise Bad("comment is longer than %d bytes" % IPSET_MAX_COMMENT_SIZE)
    return value


def _extensions(ctx: Context, options: Mapping[str, Any]) -> Tuple[Dict[str, Any], int]:
    """Validated extensions and the cadt flag bits (nomatch, wildcard) they carry."""
    ext: Dict[str, Any] = {}
    flags = 0
    for name, value in options.items():
        if value is None:
            continue
        if name == "timeout":
            ext[name] = _ext_int(name, value, IPSET_MAX_TIMEOUT)
        elif name in ("packets", "bytes"):
            ext[name] = _ext_int(name, value, _U64_MAX - 1)
        elif name == "skbqueue":
            ext[name] = _ext_int(name, value, 0xFFFF)
        elif name == "comment":
            ext[name] = _comment(value)
        elif name == "skbmark":
            ext[name] = _skbmark(value)
        elif name == "skbprio":
            ext[name] = _skbprio(value)
        elif name in _ENTRY_FLAGS:
            if value not in (True, False, "true", "false"):
                raise Bad("%s must be true or false, got %r" % (name, value))
            if value in (True, "true"):
                if name not in ctx.type.options:
                    raise Bad("%s is not valid for set type %s" % (name, ctx.settype))
                ext[name] = True
                flags |= IPSET_FLAG_NOMATCH if name == "nomatch" else IPSET_FLAG_IFACE_WILDCARD
        elif name not in ("before", "after"):
            raise Bad("unknown entry option %r" % name)
    return ext, flags


def _position(ctx: Context, options: Mapping[str, Any],
              pos: Optional[Tuple[str, str]]) -> Optional[Tuple[str, str]]:  # fmt: skip
    for where in ("before", "after"):
        if options.get(where) is not None:
            if pos is not None:
                raise Bad("give only one of before and after")
            pos = (where, options[where])
    if pos is None:
        return None
    if ctx.settype != "list:set":
        raise Bad("%s is valid for list:set members only" % pos[0])
    if not isinstance(pos[1], str):
        raise Bad("%s must name a set, got %r" % (pos[0], pos[1]))
    name_check(pos[1], "set name", IPSET_MAXNAMELEN - 1)
    return pos


def _general(ctx: Context, item: Any, parsers: List[Parser],
             defaults: Mapping[str, Any], out: Dict[str, Entry]) -> None:  # fmt: skip
    """Parse one item of any form into ``out`` (key -> Entry)."""
    if isinstance(item, Mapping):
        unknown = sorted(set(item) - _DICT_KEYS, key=str)
        text = item.get("entry")
        if not isinstance(text, str):
            raise IpsetInputError("entry %r: the 'entry' key must be a string" % (dict(item),))
        if unknown:
            raise Bad("unknown entry option %r" % unknown[0])
        options: Dict[str, Any] = dict(defaults)
        options.update((k, v) for k, v in item.items() if k != "entry")
    elif isinstance(item, str):
        text = item
        options = dict(defaults)
        stripped = text.strip()
        if " " in stripped or "\t" in stripped:
            stripped, _sep, tail = stripped.partition(" ") if " " in stripped else (
                stripped.partition("\t"))  # fmt: skip
            options.update(_tail_options(tail))
        text = stripped
    else:
        raise IpsetInputError("entry %r: must be a string or a dict" % (item,))
    if not text:
        raise Bad("empty entry")
    parts, pos = _split_text(text, ctx)
    ext, flags = _extensions(ctx, options)
    pos = _position(ctx, options, pos)
    combos: List[Alt] = [("", {})]
    for parser, part in zip(parsers, parts):
        if not part:
            raise Bad("empty element part")
        alts = parser(part)
        budget(ctx, len(combos) * len(alts), text)
        combos = [(k + "," + ak if k else ak, _merge(d, ad)) for k, d in combos for ak, ad in alts]
    mac_by_address = ctx.settype == "bitmap:ip,mac"
    for key, data in combos:
        if mac_by_address:
            key = key.partition(",")[0]  # the address is the identity; the MAC an attribute
        if ctx.settype in _NO_ZERO_ADDRESS and not any(data["ip"]):
            raise Bad("the zero address cannot be stored in a %s set" % ctx.settype)
        cadt = data.get("cadt_flags", 0) | flags
        if pos is not None:
            data["nameref"] = pos[1]
            if pos[0] == "before":
                cadt |= IPSET_FLAG_BEFORE
        if cadt:
            data["cadt_flags"] = cadt
        out[key] = _new(Entry, (key, data, dict(ext), pos))


# The kernel refuses these types' elements whose (masked) address is all zero: hash:ip with
# IPSET_ERR_HASH_ELEM, hash:ip,port with EINVAL (ip_set_hash_ip.c, ip_set_hash_ipport.c; seen
# with ipset v7.17 on Linux 6.18 for ADD and DEL alike).
_NO_ZERO_ADDRESS = frozenset(("hash:ip", "hash:ip,port"))


def _merge(left: Dict[str, Any], right: Dict[str, Any]) -> Dict[str, Any]:
    merged = dict(left)
    if "cadt_flags" in merged and "cadt_flags" in right:
        merged.update(right)
        merged["cadt_flags"] = left["cadt_flags"] | right["cadt_flags"]
        return merged
    merged.update(right)
    return merged


_FAST_PROTOS = {"tcp": 6, "udp": 17, "sctp": 132, "udplite": 136}


def _fast_hash_ip4(s: str, ext: Dict[str, Any]) -> Optional[Entry]:
    try:
        packed = inet_pton(AF_INET, s)
    except (OSError, ValueError):
        return None
    if packed == b"\0\0\0\0":
        return None
    return _new(Entry, (s, {"ip": packed}, ext.copy(), None))


def _fast_hash_ip6(s: str, ext: Dict[str, Any]) -> Optional[Entry]:
    try:
        packed = inet_pton(AF_INET6, s)
    except (OSError, ValueError):
        return None
    if not any(packed):
        return None
    return _new(Entry, (inet_ntop(AF_INET6, packed), {"ip": packed}, ext.copy(), None))


def _fast_hash_net4(s: str, ext: Dict[str, Any]) -> Optional[Entry]:
    addr, sep, cidr_text = s.partition("/")
    try:
        packed = inet_pton(AF_INET, addr)
    except (OSError, ValueError):
        return None
    if not sep:
        return _new(Entry, (s, {"ip": packed, "cidr": 32}, ext.copy(), None))
    if not (cidr_text.isascii() and cidr_text.isdigit()) or len(cidr_text) > 2:
        return None
    if cidr_text[0] == "0":
        return None  # octal to strtoull() ("08" is no number): the general path reads it
    cidr = int(cidr_text)
    if not 0 < cidr <= 32:
        return None
    if cidr == 32:
        return _new(Entry, (addr, {"ip": packed, "cidr": 32}, ext.copy(), None))
    value = int.from_bytes(packed, "big")
    masked = value & (0xFFFFFFFF ^ ((1 << (32 - cidr)) - 1))
    if masked != value:
        packed = masked.to_bytes(4, "big")
        addr = inet_ntoa(packed)
    return _new(Entry, ("%s/%d" % (addr, cidr), {"ip": packed, "cidr": cidr}, ext.copy(), None))


def _fast_hash_ipport4(s: str, ext: Dict[str, Any]) -> Optional[Entry]:
    addr, sep, rest = s.partition(",")
    proto_text, sep2, port_text = rest.partition(":")
    proto = _FAST_PROTOS.get(proto_text)
    if not sep2 or proto is None or not (port_text.isascii() and port_text.isdigit()):
        return None
    if len(port_text) > 5:
        return None
    if port_text[0] == "0" and port_text != "0":
        return None  # octal to strtoull(): the general path reads it
    port = int(port_text)
    if port > 65535:
        return None
    try:
        packed = inet_pton(AF_INET, addr)
    except (OSError, ValueError):
        return None
    if packed == b"\0\0\0\0":
        return None
    return _new(Entry, (s, {"ip": packed, "port": port, "proto": proto}, ext.copy(), None))


def parse_entries(
    items: Iterable[Any],
    settype: str,
    family: Optional[str],
    *,
    netmask: Optional[int] = None,
    bitmask: Any = None,
    markmask: Optional[int] = None,
    defaults: Optional[Mapping[str, Any]] = None,
    max_expand: int = 65536,
) -> List[Entry]:
    """Parse members into `Entry` values, one per kernel element, validated and canonical.

    ``items`` are strings in ``ipset add`` syntax, optionally followed by save-style options
    ("10.0.0.1 timeout 30 comment \\"x\\" nomatch"), or dicts ``{"entry": str, "timeout",
    "comment", "skbmark", "skbprio", "skbqueue", "packets", "bytes", "nomatch", "wildcard",
    "before", "after"}``. ``netmask``/``bitmask``/``markmask`` are the set's create options
    (the kernel masks members with them). ``defaults`` are extension values for items that do
    not give their own. Ranges, CIDRs (where a host is meant) and port ranges expand; a range
    of networks becomes the fewest CIDR blocks. Duplicates collapse, the last one's extensions
    win, the first one's place is kept. ``max_expand`` bounds the elements one item may
    expand to. Raises `IpsetInputError` naming the first bad item.
    """
    fam = type_family(settype, family)
    ctx = Context(settype, fam, netmask, bitmask, markmask, max_expand)
    defaults = dict(defaults or {})
    out: Dict[str, Entry] = {}
    bound = parsers(ctx)
    try:
        base_ext, _flags = _extensions(ctx, defaults)
    except Bad as exc:
        raise IpsetInputError("defaults: %s" % exc) from None
    # The accelerators (_ipset/accelerators.py): one per (type, family), for sets that mask
    # nothing and defaults that set no flag or position; each declines (None) any item it
    # does not read exactly as the general path would, which then reads it.
    fast: Optional[Callable[[str, Dict[str, Any]], Optional[Entry]]] = None
    if ctx.mask == (1 << ctx.host) - 1 and not (
        defaults.get("nomatch") or defaults.get("wildcard") or "before" in defaults
        or "after" in defaults
    ):  # fmt: skip
        if settype == "hash:ip":
            fast = _fast_hash_ip4 if fam == "inet" else _fast_hash_ip6
        elif settype == "hash:net" and fam == "inet":
            fast = _fast_hash_net4
        elif settype == "hash:ip,port" and fam == "inet":
            fast = _fast_hash_ipport4
    for item in items:
        if fast is not None and isinstance(item, str):
            entry = fast(item, base_ext)
            if entry is not None:
                out[entry.key] = entry
                continue
        try:
            _general(ctx, item, bound, defaults, out)
        except Bad as exc:
            raise IpsetInputError(_naming(item, exc)) from None
    return list(out.values())


def _naming(item: Any, exc: Bad) -> str:
    """The message of a bad item: the entry, what is wrong, and the part if not all of it."""
    text = item.get("entry") if isinstance(item, Mapping) else item
    if exc.part is None or exc.part == text:
        return "entry '%s': %s" % (text, exc)
    return "entry '%s': %s %r" % (text, exc, exc.part)


def host_entry(packed: bytes) -> Entry:
    """The `Entry` of one hash:ip member from its packed address."""
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
            continue  # bitmap:ip,mac member without a MAC yet
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
    settype: str, family: Optional[str], members: Sequence[Mapping[str, Any]]
) -> List[str]:
    """`key_from_kernel` of many members at once; hash:ip (the bulk case) without a loop."""
    fast = _fast_hash_ip_keys(settype, family, members)
    if fast is not None:
        return fast
    return [key_from_kernel(settype, family, attrs) for attrs in members]


def _fast_hash_ip_keys(
    settype: str, family: Optional[str], members: Sequence[Mapping[str, Any]]
) -> Optional[List[str]]:
    """The accelerator of `keys_from_kernel`: hash:ip members whose addresses are all of the
    set's family, formatted in C; None otherwise (the general path names the bad member)."""
    if settype != "hash:ip":
        return None
    ntop = partial(inet_ntop, AF_INET6 if family == "inet6" else AF_INET)
    try:
        return list(map(ntop, wire.column(members, "ip")))
    except (KeyError, TypeError, ValueError):
        return None


def entry_text(entry: Entry) -> str:
    """An entry's element as ``ipset save`` prints it: its key, and the MAC of a
    bitmap:ip,mac member (keyed by its address alone, the only kind keyed without it)."""
    data = entry.data
    if "ether" in data and "ip" in data and "," not in entry.key:
        return entry.key + "," + mac_text(data["ether"])
    return entry.key


def key_from_kernel(settype: str, family: Optional[str], attrs: Mapping[str, Any]) -> str:
    """The canonical key of one element of a list dump (extension attrs may be mixed in).

    A bitmap:ip,mac member is keyed by its address: the kernel holds one member per address
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
