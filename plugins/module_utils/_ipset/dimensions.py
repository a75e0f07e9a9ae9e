# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the parsers of one part (dimension) of an ipset entry.

`DIMENSIONS` maps each dimension of a set type (`typetable.SetType.dims`: ip, net, port, mac,
mark, iface, set) to the parser of that part; `parsers` binds them for one set. A parser
turns the text of its part into alternatives, (key part, element attributes), more than one
where a range or a CIDR expands. `parse.parse_entries` splits an entry and combines them.
"""

from __future__ import annotations

import re
import socket
from functools import lru_cache, partial
from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._ipset import names, typetable
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._ipset.entry import mac_text
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import IFNAMSIZ

_AF_INET = socket.AF_INET
_AF_INET6 = socket.AF_INET6
_inet_pton = socket.inet_pton
_inet_ntop = socket.inet_ntop
_MAC = re.compile(r"[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}\Z")
_BAD_NAME = re.compile(r"[\s\x00-\x1f\x7f,]")


class Bad(Exception):
    """What is wrong with the entry being parsed, and the part of it (None: the whole entry)
    that is wrong; `parse.parse_entries` wraps it into an IpsetInputError naming the entry."""

    def __init__(self, message: str, part: Optional[str] = None) -> None:
        super().__init__(message)
        self.part = part


def c_uint(text: str, what: str, high: int) -> int:
    """An unsigned number as strtoull(base 0) reads it: decimal, 0x hex, 0-led octal."""
    value = typetable.strtoull(text)
    if value is None:
        raise Bad("invalid %s %r" % (what, text))
    if value > high:
        raise Bad("%s %s out of range 0-%d" % (what, text, high))
    return value


# --- the context of one parse_entries() call -------------------------------------------------


class Context:
    __slots__ = (
        "settype", "type", "family", "af", "alen", "host", "mask", "step", "markmask",
        "max_expand", "net0",
    )  # fmt: skip

    def __init__(self, settype: str, family: str, netmask: Optional[int],
                 bitmask: Any, markmask: Optional[int], max_expand: int) -> None:  # fmt: skip
        self.settype = settype
        self.type = typetable.get_type(settype)
        self.family = family
        self.af = _AF_INET6 if family == "inet6" else _AF_INET
        self.alen = 16 if family == "inet6" else 4
        self.host = self.alen * 8
        full = (1 << self.host) - 1
        self.mask = full  # the set's netmask/bitmask, as an int
        self.step = 1  # address step when expanding: the netmask's block size
        if netmask is not None and netmask != self.host:
            if not 1 <= netmask <= self.host:
                raise typetable.IpsetInputError(
                    "netmask %r out of range 1-%d" % (netmask, self.host)
                )
            self.mask = full ^ ((1 << (self.host - netmask)) - 1)
            self.step = 1 << (self.host - netmask)
        if bitmask is not None:
            if isinstance(bitmask, str):
                try:
                    bitmask = _inet_pton(self.af, bitmask)
                except (OSError, ValueError):
                    raise typetable.IpsetInputError("invalid bitmask %r" % bitmask) from None
            self.mask = int.from_bytes(bitmask, "big")
        self.markmask = 0xFFFFFFFF if markmask is None else markmask
        self.max_expand = max_expand
        self.net0 = "net0" in self.type.options


Alt = Tuple[str, Dict[str, Any]]


def _addr(ctx: Context, text: str) -> int:
    try:
        return int.from_bytes(_inet_pton(ctx.af, text), "big")
    except (OSError, ValueError):
        pass
    short = typetable.inet_aton_short(text)
    if short is not None and ctx.af == _AF_INET:
        return short
    other = _AF_INET if ctx.af == _AF_INET6 else _AF_INET6
    try:
        if short is None:
            _inet_pton(other, text)
    except (OSError, ValueError):
        raise Bad("invalid %s address" % ("IPv6" if ctx.alen == 16 else "IPv4"), text) from None
    raise Bad("%s is an %s address but the set family is %s"
              % (text, "IPv4" if other == _AF_INET else "IPv6", ctx.family))  # fmt: skip


def _ntop(ctx: Context, value: int) -> str:
    return _inet_ntop(ctx.af, value.to_bytes(ctx.alen, "big"))


def _cidr(ctx: Context, text: str, low: int) -> int:
    cidr = typetable.strtoull(text)
    if cidr is None:
        raise Bad("invalid CIDR %r" % text)
    if not low <= cidr <= ctx.host:
        raise Bad("CIDR /%d out of range %d-%d" % (cidr, low, ctx.host))
    return cidr


def _prefix_mask(ctx: Context, cidr: int) -> int:
    return ((1 << ctx.host) - 1) ^ ((1 << (ctx.host - cidr)) - 1)


def _span(ctx: Context, text: str, allow: bool) -> Tuple[int, int, Optional[int]]:
    """Address text -> (first, last, cidr or None); ranges and CIDRs only if ``allow``."""
    if "/" in text:
        addr, _sep, cidr_text = text.partition("/")
        value = _addr(ctx, addr)
        cidr = _cidr(ctx, cidr_text, 0)
        if not allow and cidr != ctx.host:
            raise Bad("a plain IP address is required here, not a network", text)
        first = value & _prefix_mask(ctx, cidr)
        return first, first | ((1 << (ctx.host - cidr)) - 1), cidr
    if "-" in text and ctx.alen == 4:
        if not allow:
            raise Bad("a plain IP address is required here, not a range", text)
        low, _sep, high = text.partition("-")
        first, last = _addr(ctx, low), _addr(ctx, high)
        if first > last:  # the kernel swaps a backwards range, as the CLI shows
            first, last = last, first
        return first, last, None
    value = _addr(ctx, text)
    return value, value, None


def budget(ctx: Context, count: int, text: str) -> None:
    if count > ctx.max_expand:
        raise Bad("%s expands to %d elements, more than the limit of %d"
                  % (text, count, ctx.max_expand))  # fmt: skip


def _ip_dim(ctx: Context, attr: str, allow: bool, text: str) -> List[Alt]:
    """A host address dimension; IPv4 CIDRs/ranges expand to every address (step: netmask).

    Not ``allow``: a plain address only, not even a host CIDR (/32, /128), as the ipset CLI.
    """
    if not allow and "/" in text:
        raise Bad("%s takes a plain IP address here, not IP/CIDR" % ctx.settype, text)
    allow = allow and ctx.alen == 4
    first, last, cidr = _span(ctx, text, allow)
    if cidr == 0:
        raise Bad("CIDR /0 is not valid here")
    mask, step = ctx.mask, ctx.step
    if first == last:
        value = first & mask
        return [(_ntop(ctx, value), {attr: value.to_bytes(ctx.alen, "big")})]
    if step > 1:
        first &= mask
    budget(ctx, (last - first) // step + 1, text)
    seen: Dict[int, None] = {}
    for value in range(first, last + 1, step):
        seen[value & mask] = None
    return [(_ntop(ctx, v), {attr: v.to_bytes(ctx.alen, "big")}) for v in seen]


def range_to_cidrs(first: int, last: int, host: int) -> List[Tuple[int, int]]:
    """[first, last] as the fewest (address, cidr) blocks, as ip_set_range_to_cidr() does."""
    out = []
    while first <= last:
        for cidr in range(1, host + 1):
            size = 1 << (host - cidr)
            if not first & (size - 1) and first + size - 1 <= last:
                break
        out.append((first, cidr))
        first += size
    return out


def _net_dim(ctx: Context, attr: str, cattr: str, text: str) -> List[Alt]:
    first, last, cidr = _span(ctx, text, True)
    if cidr is None and first != last:
        if first == 0 and last == (1 << ctx.host) - 1:
            raise Bad("range %s covers the whole address space" % text)
        blocks = range_to_cidrs(first, last, ctx.host)
        budget(ctx, len(blocks), text)
    else:
        cidr = ctx.host if cidr is None else cidr
        if cidr == 0 and not ctx.net0:
            raise Bad("CIDR /0 is not valid for set type %s" % ctx.settype)
        blocks = [(first, cidr)]
    out = []
    for value, cidr in blocks:
        value &= ctx.mask
        addr = _ntop(ctx, value)
        key = addr if cidr == ctx.host else "%s/%d" % (addr, cidr)
        out.append((key, {attr: value.to_bytes(ctx.alen, "big"), cattr: cidr}))
    return out


@lru_cache(maxsize=None)
def _service(name: str, proto: str) -> Optional[int]:
    try:
        return socket.getservbyname(name, proto)
    except (OSError, UnicodeError, ValueError):
        return None


def _port_number(text: str, proto: str) -> int:
    if typetable.strtoull(text) is not None:
        return c_uint(text, "port", 0xFFFF)
    port = _service(text, proto) if text else None
    if port is None:
        raise Bad("unknown %s port %r" % (proto, text))
    return port


def _port_span(text: str, proto: str) -> Tuple[int, int]:
    if "-" in text[1:]:
        low, _sep, high = text.partition("-")
        first, last = _port_number(low, proto), _port_number(high, proto)
        if first > last:  # swapped, as the kernel does
            first, last = last, first
        return first, last
    port = _port_number(text, proto)
    return port, port


def _protocol(text: str) -> int:
    if text[:1].isdigit():
        proto = c_uint(text, "protocol", 255)
    else:
        proto = names.PROTO_NUMBERS.get(text, -1)
        if proto < 0:
            raise Bad("unknown protocol %r" % text)
    if proto == 0:
        raise Bad("protocol %s is not supported" % text)
    return proto


def _icmp(text: str, proto: int) -> int:
    lowered = text.lower()
    for name, itype, code in names.ICMP_PARSE[proto]:
        if lowered and name.lower().startswith(lowered):
            return itype << 8 | code
    itype_text, sep, code_text = text.partition("/")
    if not sep:
        raise Bad("invalid %s type/code %r" % ("ICMP" if proto == 1 else "ICMPv6", text))
    return c_uint(itype_text, "ICMP type", 255) << 8 | c_uint(code_text, "ICMP code", 255)


def _port_dim(ctx: Context, text: str) -> List[Alt]:
    proto_text, sep, port_text = text.partition(":")
    if not sep:
        proto_text, port_text, proto = "tcp", text, 6
    else:
        proto = _protocol(proto_text)
    if proto in names.PROTOS_WITH_PORTS:
        first, last = _port_span(port_text, names.PROTO_NAMES[proto])
        budget(ctx, last - first + 1, text)
        name = names.PROTO_NAMES[proto]
        return [("%s:%d" % (name, p), {"port": p, "proto": proto}) for p in range(first, last + 1)]
    if proto in names.ICMP_PARSE:
        if (proto == names.IPPROTO_ICMP) != (ctx.alen == 4):
            family = "inet" if proto == names.IPPROTO_ICMP else "inet6"
            raise Bad("protocol %s can be used with family %s only" % (proto_text, family))
        port = _icmp(port_text, proto)
        return [(names.proto_port_text(proto, port), {"port": port, "proto": proto})]
    if port_text != "0":
        raise Bad("protocol %s can be used with pseudo port value 0 only" % proto_text)
    return [(names.proto_port_text(proto, 0), {"port": 0, "proto": proto})]


def _bitmap_port_dim(ctx: Context, text: str) -> List[Alt]:
    proto_text, sep, port_text = text.partition(":")
    proto = "tcp"
    if sep:
        if names.PROTO_NUMBERS.get(proto_text) not in (6, 17):
            raise Bad("only protocols tcp and udp are valid here, not %r" % proto_text)
        proto = names.PROTO_NAMES[names.PROTO_NUMBERS[proto_text]]
    else:
        port_text = text
    first, last = _port_span(port_text, proto)
    budget(ctx, last - first + 1, text)
    return [(str(p), {"port": p}) for p in range(first, last + 1)]


def _mac_dim(ctx: Context, text: str) -> List[Alt]:
    if not _MAC.match(text):
        raise Bad("invalid MAC address", text)
    ether = bytes(int(part, 16) for part in text.split(":"))
    return [(mac_text(ether), {"ether": ether})]


def _mark_dim(ctx: Context, text: str) -> List[Alt]:
    mark = c_uint(text, "mark", 0xFFFFFFFF) & ctx.markmask
    return [("0x%08x" % mark, {"mark": mark})]


def name_check(text: str, what: str, limit: int) -> None:
    if not text:
        raise Bad("empty %s" % what)
    if _BAD_NAME.search(text):
        raise Bad("%s %r contains a space, comma or control character" % (what, text))
    if utf8_size(text, what) > limit:
        raise Bad("%s %r is longer than %d characters" % (what, text, limit))


def utf8_size(text: str, what: str) -> int:
    """Bytes the kernel gets; a lone surrogate (possible in JSON) cannot be sent at all."""
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise Bad("%s %r is not valid Unicode text" % (what, text)) from None


def _iface_dim(ctx: Context, text: str) -> List[Alt]:
    name, flags = text, 0
    if text.startswith("physdev:"):
        name, flags = text[8:], u.IPSET_FLAG_PHYSDEV
    name_check(name, "interface name", IFNAMSIZ - 1)
    attrs: Dict[str, Any] = {"iface": name}
    if flags:
        attrs["cadt_flags"] = flags
    return [(text, attrs)]


def _set_dim(ctx: Context, text: str) -> List[Alt]:
    name_check(text, "set name", u.IPSET_MAXNAMELEN - 1)
    return [(text, {"name": text})]


# --- the table: dimension -> the parser of that part ------------------------------------------

Parser = Callable[[str], List[Alt]]


def _ip_parser(ctx: Context, index: int, nth: int) -> Parser:
    # The ipset CLI refuses IP/CIDR (any, /32 too) and FROM-TO here: libipset parses them with
    # ipset_parse_single_ip, or the type's allowed ADD/DEL options lack IPSET_OPT_IP_TO
    # (hash:ip,mac; check_allowed in ipset.c).
    plain = ctx.settype in ("bitmap:ip,mac", "hash:ip,mac") or (
        ctx.settype == "hash:ip,port,ip" and index == 2
    )
    return partial(_ip_dim, ctx, "ip" if nth == 0 else "ip2", not plain)


def _net_parser(ctx: Context, index: int, nth: int) -> Parser:
    attr, cattr = ("ip", "cidr") if nth == 0 else ("ip2", "cidr2")
    return partial(_net_dim, ctx, attr, cattr)


def _port_parser(ctx: Context, index: int, nth: int) -> Parser:
    return partial(_bitmap_port_dim if ctx.settype == "bitmap:port" else _port_dim, ctx)


def _plain(parse: Callable[[Context, str], List[Alt]]) -> Callable[[Context, int, int], Parser]:
    """A dimension whose parser needs nothing but the context."""
    return lambda ctx, index, nth: partial(parse, ctx)


# dimension (SetType.dims) -> (context, position in the type, addresses before it) -> parser
DIMENSIONS: Dict[str, Callable[[Context, int, int], Parser]] = {
    "ip": _ip_parser,
    "net": _net_parser,
    "port": _port_parser,
    "mac": _plain(_mac_dim),
    "mark": _plain(_mark_dim),
    "iface": _plain(_iface_dim),
    "set": _plain(_set_dim),
}


def parsers(ctx: Context) -> List[Parser]:
    """One parser per dimension of the set type, bound to the context."""
    out = []
    nth = 0
    for index, dim in enumerate(ctx.type.dims):
        out.append(DIMENSIONS[dim](ctx, index, nth))
        if dim in ("ip", "net"):
            nth += 1
    return out
