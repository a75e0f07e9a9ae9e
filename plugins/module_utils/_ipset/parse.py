# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: user input read into ipset entries (`parse_entries`).

Kept apart from `entry` (the `Entry` value, its formatting and the kernel's keys) so that a
task that never parses an entry by hand, such as a list of bare addresses for a hash:ip set
(the bulk planner reads those with inet_pton), does not load the per-dimension parsers:
`entries` and `sets` import this module where they parse.

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
from socket import AF_INET, AF_INET6, inet_ntoa, inet_ntop, inet_pton
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._ipset import dimensions, typetable
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._ipset.entry import (
    EXTENSIONS,
    Entry,
)

_new = tuple.__new__

_ENTRY_FLAGS = ("nomatch", "wildcard")
_DICT_KEYS = frozenset(("entry", "before", "after") + EXTENSIONS + _ENTRY_FLAGS)
_U64_MAX = (1 << 64) - 1
_HEX = re.compile(r"[0-9a-fA-F]{1,8}\Z")


def _split_text(text: str, ctx: dimensions.Context) -> Tuple[List[str], Optional[Tuple[str, str]]]:
    """Element text -> its dimension parts (and a list:set position)."""
    parts = text.split(",")
    ndims = len(ctx.type.dims)
    if ctx.settype == "list:set" and len(parts) == 3:
        if parts[1] not in ("before", "after"):
            raise dimensions.Bad("list:set members are written NAME or NAME,before|after,NAME")
        return [parts[0]], (parts[1], parts[2])
    if ctx.settype == "bitmap:ip,mac" and len(parts) == 1:
        return parts, None  # the MAC is optional (last_elem_optional in ipset)
    if len(parts) != ndims:
        plural = "" if ndims == 1 else "s"
        raise dimensions.Bad(
            "%s takes %d dimension%s, got %d" % (ctx.settype, ndims, plural, len(parts))
        )
    return parts, None


_TAIL_WORDS = frozenset(EXTENSIONS + ("before", "after"))


def _tail_options(tail: str) -> Dict[str, Any]:
    """Save-style options after an element ("timeout 30 comment \"x\" nomatch") -> dict."""
    try:
        words = shlex.split(tail)
    except ValueError as exc:
        raise dimensions.Bad("cannot split options %r: %s" % (tail, exc)) from None
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
            raise dimensions.Bad("unknown or incomplete option %r" % word)
    return out


def _ext_int(name: str, value: Any, high: int) -> int:
    if isinstance(value, bool):
        raise dimensions.Bad("%s must be a number, got %r" % (name, value))
    if isinstance(value, str):
        return dimensions.c_uint(value, name, high)
    if not isinstance(value, int):
        raise dimensions.Bad("%s must be a number, got %r" % (name, value))
    if not 0 <= value <= high:
        raise dimensions.Bad("%s %d out of range 0-%d" % (name, value, high))
    return value


def _skbmark(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return _ext_int("skbmark", value, _U64_MAX)
    if not isinstance(value, str):
        raise dimensions.Bad("skbmark must be MARK or MARK/MASK, got %r" % (value,))
    mark, sep, mask = value.partition("/")
    parts = [mark, mask] if sep else [mark]
    numbers = []
    for part in parts:
        if part[:2].lower() != "0x" or not _HEX.match(part[2:]):
            raise dimensions.Bad("skbmark must be 0xMARK or 0xMARK/0xMASK (hex), got %r" % value)
        numbers.append(int(part[2:], 16))
    return numbers[0] << 32 | (numbers[1] if sep else 0xFFFFFFFF)


def _skbprio(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return _ext_int("skbprio", value, 0xFFFFFFFF)
    major, sep, minor = value.partition(":") if isinstance(value, str) else ("", "", "")
    if not sep or not all(re.match(r"[0-9a-fA-F]{1,4}\Z", x) for x in (major, minor)):
        raise dimensions.Bad("skbprio must be MAJOR:MINOR (hex), got %r" % (value,))
    return int(major, 16) << 16 | int(minor, 16)


def _comment(value: Any) -> str:
    if not isinstance(value, str):
        raise dimensions.Bad("comment must be a string, got %r" % (value,))
    if '"' in value or "\x00" in value:
        raise dimensions.Bad('comment must not contain " or NUL characters')
    if dimensions.utf8_size(value, "comment") > u.IPSET_MAX_COMMENT_SIZE:
        raise dimensions.Bad("comment is longer than %d bytes" % u.IPSET_MAX_COMMENT_SIZE)
    return value


def _extensions(ctx: dimensions.Context, options: Mapping[str, Any]) -> Tuple[Dict[str, Any], int]:
    """Validated extensions and the cadt flag bits (nomatch, wildcard) they carry."""
    ext: Dict[str, Any] = {}
    flags = 0
    for name, value in options.items():
        if value is None:
            continue
        if name == "timeout":
            ext[name] = _ext_int(name, value, typetable.IPSET_MAX_TIMEOUT)
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
                raise dimensions.Bad("%s must be true or false, got %r" % (name, value))
            if value in (True, "true"):
                if name not in ctx.type.options:
                    raise dimensions.Bad("%s is not valid for set type %s" % (name, ctx.settype))
                ext[name] = True
                flags |= u.IPSET_FLAG_NOMATCH if name == "nomatch" else u.IPSET_FLAG_IFACE_WILDCARD
        elif name not in ("before", "after"):
            raise dimensions.Bad("unknown entry option %r" % name)
    return ext, flags


def _position(ctx: dimensions.Context, options: Mapping[str, Any],
              pos: Optional[Tuple[str, str]]) -> Optional[Tuple[str, str]]:  # fmt: skip
    for where in ("before", "after"):
        if options.get(where) is not None:
            if pos is not None:
                raise dimensions.Bad("give only one of before and after")
            pos = (where, options[where])
    if pos is None:
        return None
    if ctx.settype != "list:set":
        raise dimensions.Bad("%s is valid for list:set members only" % pos[0])
    if not isinstance(pos[1], str):
        raise dimensions.Bad("%s must name a set, got %r" % (pos[0], pos[1]))
    dimensions.name_check(pos[1], "set name", u.IPSET_MAXNAMELEN - 1)
    return pos


def _general(ctx: dimensions.Context, item: Any, parsers: List[dimensions.Parser],
             defaults: Mapping[str, Any], out: Dict[str, Entry]) -> None:  # fmt: skip
    """Parse one item of any form into ``out`` (key -> Entry)."""
    if isinstance(item, Mapping):
        unknown = sorted(set(item) - _DICT_KEYS, key=str)
        text = item.get("entry")
        if not isinstance(text, str):
            raise typetable.IpsetInputError(
                "entry %r: the 'entry' key must be a string" % (dict(item),)
            )
        if unknown:
            raise dimensions.Bad("unknown entry option %r" % unknown[0])
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
        raise typetable.IpsetInputError("entry %r: must be a string or a dict" % (item,))
    if not text:
        raise dimensions.Bad("empty entry")
    parts, pos = _split_text(text, ctx)
    ext, flags = _extensions(ctx, options)
    pos = _position(ctx, options, pos)
    combos: List[dimensions.Alt] = [("", {})]
    for parser, part in zip(parsers, parts):
        if not part:
            raise dimensions.Bad("empty element part")
        alts = parser(part)
        dimensions.budget(ctx, len(combos) * len(alts), text)
        combos = [(k + "," + ak if k else ak, _merge(d, ad)) for k, d in combos for ak, ad in alts]
    mac_by_address = ctx.settype == "bitmap:ip,mac"
    for key, data in combos:
        if mac_by_address:
            key = key.partition(",")[0]  # the address is the identity; the MAC an attribute
        if ctx.settype in _NO_ZERO_ADDRESS and not any(data["ip"]):
            raise dimensions.Bad("the zero address cannot be stored in a %s set" % ctx.settype)
        cadt = data.get("cadt_flags", 0) | flags
        if pos is not None:
            data["nameref"] = pos[1]
            if pos[0] == "before":
                cadt |= u.IPSET_FLAG_BEFORE
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


def _host4(text: str) -> Optional[bytes]:
    """A dotted quad other than 0.0.0.0, packed; None for anything else."""
    try:
        packed = inet_pton(AF_INET, text)
    except (OSError, ValueError):
        return None
    return None if packed == b"\0\0\0\0" else packed


def _fast_hash_ip4(s: str, ext: Dict[str, Any]) -> Optional[Entry]:
    packed = _host4(s)
    if packed is None:
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
    packed = _host4(addr)
    if packed is None:
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
    """Parse entries into `Entry` values, one per kernel element, validated and canonical.

    ``items`` are strings in ``ipset add`` syntax, optionally followed by save-style options
    ("10.0.0.1 timeout 30 comment \\"x\\" nomatch"), or dicts ``{"entry": str, "timeout",
    "comment", "skbmark", "skbprio", "skbqueue", "packets", "bytes", "nomatch", "wildcard",
    "before", "after"}``. ``netmask``/``bitmask``/``markmask`` are the set's create options
    (the kernel masks entries with them). ``defaults`` are extension values for items that do
    not give their own. Ranges, CIDRs (where a host is meant) and port ranges expand; a range
    of networks becomes the fewest CIDR blocks. Duplicates collapse, the last one's extensions
    win, the first one's place is kept. ``max_expand`` bounds the elements one item may
    expand to. Raises `IpsetInputError` naming the first bad item.
    """
    fam = typetable.type_family(settype, family)
    ctx = dimensions.Context(settype, fam, netmask, bitmask, markmask, max_expand)
    defaults = dict(defaults or {})
    out: Dict[str, Entry] = {}
    bound = dimensions.parsers(ctx)
    try:
        base_ext, _flags = _extensions(ctx, defaults)
    except dimensions.Bad as exc:
        raise typetable.IpsetInputError("defaults: %s" % exc) from None
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
        except dimensions.Bad as exc:
            raise typetable.IpsetInputError(_naming(item, exc)) from None
    return list(out.values())


def _naming(item: Any, exc: dimensions.Bad) -> str:
    """The message of a bad item: the entry, what is wrong, and the part if not all of it."""
    text = item.get("entry") if isinstance(item, Mapping) else item
    if exc.part is None or exc.part == text:
        return "entry '%s': %s" % (text, exc)
    return "entry '%s': %s %r" % (text, exc, exc.part)
