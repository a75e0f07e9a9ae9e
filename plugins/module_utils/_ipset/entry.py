# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: ipset members (entries) parsed, canonicalised and formatted.

An entry is written as ``ipset save`` prints it and ``ipset add`` takes it ("10.0.0.0/24",
"192.0.2.1,tcp:80", "10.0.0.0/24,physdev:eth0", "setname"). `parse_entries` turns user input
into `Entry` values, one per kernel element, in the kernel's canonical form; `format_entry`
turns the element attributes of a kernel dump back into the same key.

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
no ``[escaped-name]`` syntax, and backwards ranges are errors (the kernel swaps them).
"""

from __future__ import annotations

import re
import shlex
import socket
from functools import lru_cache, partial
from operator import itemgetter
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

from ansible_collections.linux.netlink.plugins.module_utils._ipset.types import (
    IFNAMSIZ,
    IPSET_FLAG_BEFORE,
    IPSET_FLAG_IFACE_WILDCARD,
    IPSET_FLAG_NOMATCH,
    IPSET_FLAG_PHYSDEV,
    IPSET_MAX_COMMENT_SIZE,
    IPSET_MAX_TIMEOUT,
    IPSET_MAXNAMELEN,
    IpsetInputError,
    get_type,
    inet_aton_short,
    strtoull,
    type_family,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import ProtocolError

_AF_INET = socket.AF_INET
_AF_INET6 = socket.AF_INET6
_inet_pton = socket.inet_pton
_inet_ntop = socket.inet_ntop
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


# --- protocols (Debian netbase /etc/protocols, as getprotobyname()/getprotobynumber() there) -
# number: (name ipset prints, aliases accepted); "icmpv6" is accepted as ipset does.
_PROTOCOLS = {
    0: ("ip", ("IP", "hopopt", "HOPOPT")), 1: ("icmp", ("ICMP",)), 2: ("igmp", ("IGMP",)),
    3: ("ggp", ("GGP",)), 4: ("ipencap", ("IP-ENCAP",)), 5: ("st", ("ST",)),
    6: ("tcp", ("TCP",)), 8: ("egp", ("EGP",)), 9: ("igp", ("IGP",)), 12: ("pup", ("PUP",)),
    17: ("udp", ("UDP",)), 20: ("hmp", ("HMP",)), 22: ("xns-idp", ("XNS-IDP",)),
    27: ("rdp", ("RDP",)), 29: ("iso-tp4", ("ISO-TP4",)), 33: ("dccp", ("DCCP",)),
    36: ("xtp", ("XTP",)), 37: ("ddp", ("DDP",)), 38: ("idpr-cmtp", ("IDPR-CMTP",)),
    41: ("ipv6", ("IPv6",)), 43: ("ipv6-route", ("IPv6-Route",)),
    44: ("ipv6-frag", ("IPv6-Frag",)), 45: ("idrp", ("IDRP",)), 46: ("rsvp", ("RSVP",)),
    47: ("gre", ("GRE",)), 50: ("esp", ("IPSEC-ESP",)), 51: ("ah", ("IPSEC-AH",)),
    57: ("skip", ("SKIP",)), 58: ("ipv6-icmp", ("IPv6-ICMP", "icmpv6")),
    59: ("ipv6-nonxt", ("IPv6-NoNxt",)), 60: ("ipv6-opts", ("IPv6-Opts",)),
    73: ("rspf", ("RSPF", "CPHB")), 81: ("vmtp", ("VMTP",)), 88: ("eigrp", ("EIGRP",)),
    89: ("ospf", ("OSPFIGP",)), 93: ("ax.25", ("AX.25",)), 94: ("ipip", ("IPIP",)),
    97: ("etherip", ("ETHERIP",)), 98: ("encap", ("ENCAP",)), 103: ("pim", ("PIM",)),
    108: ("ipcomp", ("IPCOMP",)), 112: ("vrrp", ("VRRP",)), 115: ("l2tp", ("L2TP",)),
    124: ("isis", ("ISIS",)), 132: ("sctp", ("SCTP",)), 133: ("fc", ("FC",)),
    135: ("mobility-header", ("Mobility-Header",)), 136: ("udplite", ("UDPLite",)),
    137: ("mpls-in-ip", ("MPLS-in-IP",)), 138: ("manet", ("MANET",)), 139: ("hip", ("HIP",)),
    140: ("shim6", ("Shim6",)), 141: ("wesp", ("WESP",)), 142: ("rohc", ("ROHC",)),
    143: ("ethernet", ("Ethernet",)),
}  # fmt: skip
PROTO_NAMES: Dict[int, str] = {num: names[0] for num, names in _PROTOCOLS.items()}
PROTO_NUMBERS: Dict[str, int] = {}
for _num, (_name, _aliases) in _PROTOCOLS.items():
    PROTO_NUMBERS[_name] = _num
    for _alias in _aliases:
        PROTO_NUMBERS[_alias] = _num
PROTO_NUMBERS["ICMPv6"] = 58

IPPROTO_ICMP = 1
IPPROTO_ICMPV6 = 58
# ip_set_getport.h ip_set_proto_with_ports(): the protocols whose port is a real port
PROTOS_WITH_PORTS = frozenset({6, 17, 132, 136})  # tcp, udp, sctp, udplite

# ipset lib/icmp.c and lib/icmpv6.c, in table order: names are matched case-insensitively
# by prefix, first hit wins (as name_to_icmp() does); the first name of a type/code prints.
ICMP_NAMES: Tuple[Tuple[str, int, int], ...] = (
    ("echo-reply", 0, 0), ("pong", 0, 0), ("network-unreachable", 3, 0),
    ("host-unreachable", 3, 1), ("protocol-unreachable", 3, 2), ("port-unreachable", 3, 3),
    ("fragmentation-needed", 3, 4), ("source-route-failed", 3, 5), ("network-unknown", 3, 6),
    ("host-unknown", 3, 7), ("network-prohibited", 3, 9), ("host-prohibited", 3, 10),
    ("TOS-network-unreachable", 3, 11), ("TOS-host-unreachable", 3, 12),
    ("communication-prohibited", 3, 13), ("host-precedence-violation", 3, 14),
    ("precedence-cutoff", 3, 15), ("source-quench", 4, 0), ("network-redirect", 5, 0),
    ("host-redirect", 5, 1), ("TOS-network-redirect", 5, 2), ("TOS-host-redirect", 5, 3),
    ("echo-request", 8, 0), ("ping", 8, 0), ("router-advertisement", 9, 0),
    ("router-solicitation", 10, 0), ("ttl-zero-during-transit", 11, 0),
    ("ttl-zero-during-reassembly", 11, 1), ("ip-header-bad", 12, 0),
    ("required-option-missing", 12, 1), ("timestamp-request", 13, 0),
    ("timestamp-reply", 14, 0), ("address-mask-request", 17, 0),
    ("address-mask-reply", 18, 0),
)  # fmt: skip
ICMPV6_NAMES: Tuple[Tuple[str, int, int], ...] = (
    ("no-route", 1, 0), ("communication-prohibited", 1, 1), ("address-unreachable", 1, 3),
    ("port-unreachable", 1, 4), ("packet-too-big", 2, 0), ("ttl-zero-during-transit", 3, 0),
    ("ttl-zero-during-reassembly", 3, 1), ("bad-header", 4, 0),
    ("unknown-header-type", 4, 1), ("unknown-option", 4, 2), ("echo-request", 128, 0),
    ("ping", 128, 0), ("echo-reply", 129, 0), ("pong", 129, 0),
    ("router-solicitation", 133, 0), ("router-advertisement", 134, 0),
    ("neighbour-solicitation", 135, 0), ("neigbour-solicitation", 135, 0),
    ("neighbour-advertisement", 136, 0), ("neigbour-advertisement", 136, 0),
    ("redirect", 137, 0),
)  # fmt: skip


def _icmp_print_table(table: Tuple[Tuple[str, int, int], ...]) -> Dict[int, str]:
    out: Dict[int, str] = {}
    for name, itype, code in table:
        out.setdefault(itype << 8 | code, name)
    return out


_ICMP_PRINT = {IPPROTO_ICMP: _icmp_print_table(ICMP_NAMES),
               IPPROTO_ICMPV6: _icmp_print_table(ICMPV6_NAMES)}  # fmt: skip
_ICMP_PARSE = {IPPROTO_ICMP: ICMP_NAMES, IPPROTO_ICMPV6: ICMPV6_NAMES}

EXTENSIONS = ("timeout", "packets", "bytes", "comment", "skbmark", "skbprio", "skbqueue")
_ENTRY_FLAGS = ("nomatch", "wildcard")
_DICT_KEYS = frozenset(("entry", "before", "after") + EXTENSIONS + _ENTRY_FLAGS)
_U64_MAX = (1 << 64) - 1
_HEX = re.compile(r"[0-9a-fA-F]{1,8}\Z")
_MAC = re.compile(r"[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}\Z")
_BAD_NAME = re.compile(r"[\s\x00-\x1f\x7f,]")


class _Bad(Exception):
    """Internal: what is wrong with the entry being parsed (wrapped into IpsetInputError)."""


def _c_uint(text: str, what: str, high: int) -> int:
    """An unsigned number as strtoull(base 0) reads it: decimal, 0x hex, 0-led octal."""
    value = strtoull(text)
    if value is None:
        raise _Bad("invalid %s %r" % (what, text))
    if value > high:
        raise _Bad("%s %s out of range 0-%d" % (what, text, high))
    return value


# --- the context of one parse_entries() call -------------------------------------------------


class _Ctx:
    __slots__ = (
        "settype", "type", "family", "af", "alen", "host", "mask", "step", "markmask",
        "max_expand", "net0",
    )  # fmt: skip

    def __init__(self, settype: str, family: str, netmask: Optional[int],
                 bitmask: Any, markmask: Optional[int], max_expand: int) -> None:  # fmt: skip
        self.settype = settype
        self.type = get_type(settype)
        self.family = family
        self.af = _AF_INET6 if family == "inet6" else _AF_INET
        self.alen = 16 if family == "inet6" else 4
        self.host = self.alen * 8
        full = (1 << self.host) - 1
        self.mask = full  # the set's netmask/bitmask, as an int
        self.step = 1  # address step when expanding: the netmask's block size
        if netmask is not None and netmask != self.host:
            if not 1 <= netmask <= self.host:
                raise IpsetInputError("netmask %r out of range 1-%d" % (netmask, self.host))
            self.mask = full ^ ((1 << (self.host - netmask)) - 1)
            self.step = 1 << (self.host - netmask)
        if bitmask is not None:
            if isinstance(bitmask, str):
                try:
                    bitmask = _inet_pton(self.af, bitmask)
                except (OSError, ValueError):
                    raise IpsetInputError("invalid bitmask %r" % bitmask) from None
            self.mask = int.from_bytes(bitmask, "big")
        self.markmask = 0xFFFFFFFF if markmask is None else markmask
        self.max_expand = max_expand
        self.net0 = "net0" in self.type.options


# --- dimension parsers: text -> list of (key part, attrs) ------------------------------------

_Alt = Tuple[str, Dict[str, Any]]


def _addr(ctx: _Ctx, text: str) -> int:
    try:
        return int.from_bytes(_inet_pton(ctx.af, text), "big")
    except (OSError, ValueError):
        pass
    short = inet_aton_short(text)
    if short is not None and ctx.af == _AF_INET:
        return short
    other = _AF_INET if ctx.af == _AF_INET6 else _AF_INET6
    try:
        if short is None:
            _inet_pton(other, text)
    except (OSError, ValueError):
        raise _Bad(
            "invalid %s address%s" % ("IPv6" if ctx.alen == 16 else "IPv4", _which(text))
        ) from None
    raise _Bad("%s is an %s address but the set family is %s"
               % (text, "IPv4" if other == _AF_INET else "IPv6", ctx.family))  # fmt: skip


_CURRENT: List[str] = [""]  # the entry being parsed, so messages name the part if it differs


def _which(part: str) -> str:
    return "" if part == _CURRENT[0] else " %r" % part


def _ntop(ctx: _Ctx, value: int) -> str:
    return _inet_ntop(ctx.af, value.to_bytes(ctx.alen, "big"))


def _cidr(ctx: _Ctx, text: str, low: int) -> int:
    cidr = strtoull(text)
    if cidr is None:
        raise _Bad("invalid CIDR %r" % text)
    if not low <= cidr <= ctx.host:
        raise _Bad("CIDR /%d out of range %d-%d" % (cidr, low, ctx.host))
    return cidr


def _prefix_mask(ctx: _Ctx, cidr: int) -> int:
    return ((1 << ctx.host) - 1) ^ ((1 << (ctx.host - cidr)) - 1)


def _span(ctx: _Ctx, text: str, allow: bool) -> Tuple[int, int, Optional[int]]:
    """Address text -> (first, last, cidr or None); ranges and CIDRs only if ``allow``."""
    if "/" in text:
        addr, _sep, cidr_text = text.partition("/")
        value = _addr(ctx, addr)
        cidr = _cidr(ctx, cidr_text, 0)
        if not allow and cidr != ctx.host:
            raise _Bad("a plain IP address is required here, not a network%s" % _which(text))
        first = value & _prefix_mask(ctx, cidr)
        return first, first | ((1 << (ctx.host - cidr)) - 1), cidr
    if "-" in text and ctx.alen == 4:
        if not allow:
            raise _Bad("a plain IP address is required here, not a range%s" % _which(text))
        low, _sep, high = text.partition("-")
        first, last = _addr(ctx, low), _addr(ctx, high)
        if first > last:
            raise _Bad("range %s is backwards" % text)
        return first, last, None
    value = _addr(ctx, text)
    return value, value, None


def _budget(ctx: _Ctx, count: int, text: str) -> None:
    if count > ctx.max_expand:
        raise _Bad("%s expands to %d elements, more than the limit of %d"
                   % (text, count, ctx.max_expand))  # fmt: skip


def _ip_dim(ctx: _Ctx, text: str, attr: str, allow: bool) -> List[_Alt]:
    """A host address dimension; IPv4 CIDRs/ranges expand to every address (step: netmask)."""
    allow = allow and ctx.alen == 4
    first, last, cidr = _span(ctx, text, allow)
    if cidr == 0:
        raise _Bad("CIDR /0 is not valid here")
    mask, step = ctx.mask, ctx.step
    if first == last:
        value = first & mask
        return [(_ntop(ctx, value), {attr: value.to_bytes(ctx.alen, "big")})]
    if step > 1:
        first &= mask
    _budget(ctx, (last - first) // step + 1, text)
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


def _net_dim(ctx: _Ctx, text: str, attr: str, cattr: str) -> List[_Alt]:
    first, last, cidr = _span(ctx, text, True)
    if cidr is None and first != last:
        if first == 0 and last == (1 << ctx.host) - 1:
            raise _Bad("range %s covers the whole address space" % text)
        blocks = range_to_cidrs(first, last, ctx.host)
        _budget(ctx, len(blocks), text)
    else:
        cidr = ctx.host if cidr is None else cidr
        if cidr == 0 and not ctx.net0:
            raise _Bad("CIDR /0 is not valid for set type %s" % ctx.settype)
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
    if strtoull(text) is not None:
        return _c_uint(text, "port", 0xFFFF)
    port = _service(text, proto) if text else None
    if port is None:
        raise _Bad("unknown %s port %r" % (proto, text))
    return port


def _port_span(text: str, proto: str) -> Tuple[int, int]:
    if "-" in text[1:]:
        low, _sep, high = text.partition("-")
        first, last = _port_number(low, proto), _port_number(high, proto)
        if first > last:
            raise _Bad("port range %s is backwards" % text)
        return first, last
    port = _port_number(text, proto)
    return port, port


def _protocol(text: str) -> int:
    if text[:1].isdigit():
        proto = _c_uint(text, "protocol", 255)
    else:
        proto = PROTO_NUMBERS.get(text, -1)
        if proto < 0:
            raise _Bad("unknown protocol %r" % text)
    if proto == 0:
        raise _Bad("protocol %s is not supported" % text)
    return proto


def _icmp(text: str, proto: int) -> int:
    lowered = text.lower()
    for name, itype, code in _ICMP_PARSE[proto]:
        if lowered and name.lower().startswith(lowered):
            return itype << 8 | code
    itype_text, sep, code_text = text.partition("/")
    if not sep:
        raise _Bad("invalid %s type/code %r" % ("ICMP" if proto == 1 else "ICMPv6", text))
    return _c_uint(itype_text, "ICMP type", 255) << 8 | _c_uint(code_text, "ICMP code", 255)


def proto_port_text(proto: int, port: int) -> str:
    """``proto:port`` as ipset prints it (icmp type/code by name when it has one)."""
    name = PROTO_NAMES.get(proto) or str(proto)
    if proto in _ICMP_PRINT:
        return "%s:%s" % (name, _ICMP_PRINT[proto].get(port) or "%d/%d" % (port >> 8, port & 255))
    return "%s:%d" % (name, port)


def _port_dim(ctx: _Ctx, text: str) -> List[_Alt]:
    proto_text, sep, port_text = text.partition(":")
    if not sep:
        proto_text, port_text, proto = "tcp", text, 6
    else:
        proto = _protocol(proto_text)
    if proto in PROTOS_WITH_PORTS:
        first, last = _port_span(port_text, PROTO_NAMES[proto])
        _budget(ctx, last - first + 1, text)
        name = PROTO_NAMES[proto]
        return [("%s:%d" % (name, p), {"port": p, "proto": proto}) for p in range(first, last + 1)]
    if proto in _ICMP_PARSE:
        if (proto == IPPROTO_ICMP) != (ctx.alen == 4):
            raise _Bad("protocol %s can be used with family %s only"
                       % (proto_text, "inet" if proto == IPPROTO_ICMP else "inet6"))  # fmt: skip
        port = _icmp(port_text, proto)
        return [(proto_port_text(proto, port), {"port": port, "proto": proto})]
    if port_text != "0":
        raise _Bad("protocol %s can be used with pseudo port value 0 only" % proto_text)
    return [(proto_port_text(proto, 0), {"port": 0, "proto": proto})]


def _bitmap_port_dim(ctx: _Ctx, text: str) -> List[_Alt]:
    proto_text, sep, port_text = text.partition(":")
    proto = "tcp"
    if sep:
        if PROTO_NUMBERS.get(proto_text) not in (6, 17):
            raise _Bad("only protocols tcp and udp are valid here, not %r" % proto_text)
        proto = PROTO_NAMES[PROTO_NUMBERS[proto_text]]
    else:
        port_text = text
    first, last = _port_span(port_text, proto)
    _budget(ctx, last - first + 1, text)
    return [(str(p), {"port": p}) for p in range(first, last + 1)]


def _mac_dim(ctx: _Ctx, text: str) -> List[_Alt]:
    if not _MAC.match(text):
        raise _Bad("invalid MAC address%s" % _which(text))
    ether = bytes(int(part, 16) for part in text.split(":"))
    return [(mac_text(ether), {"ether": ether})]


def mac_text(ether: bytes) -> str:
    """A MAC address as ipset prints it: upper-case, two digits per octet."""
    return ":".join("%02X" % b for b in ether)


def _mark_dim(ctx: _Ctx, text: str) -> List[_Alt]:
    mark = _c_uint(text, "mark", 0xFFFFFFFF) & ctx.markmask
    return [("0x%08x" % mark, {"mark": mark})]


def _name_check(text: str, what: str, limit: int) -> None:
    if not text:
        raise _Bad("empty %s" % what)
    if _BAD_NAME.search(text):
        raise _Bad("%s %r contains a space, comma or control character" % (what, text))
    if _utf8_size(text, what) > limit:
        raise _Bad("%s %r is longer than %d characters" % (what, text, limit))


def _utf8_size(text: str, what: str) -> int:
    """Bytes the kernel gets; a lone surrogate (possible in JSON) cannot be sent at all."""
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise _Bad("%s %r is not valid Unicode text" % (what, text)) from None


def _iface_dim(ctx: _Ctx, text: str) -> List[_Alt]:
    name, flags = text, 0
    if text.startswith("physdev:"):
        name, flags = text[8:], IPSET_FLAG_PHYSDEV
    _name_check(name, "interface name", IFNAMSIZ - 1)
    attrs: Dict[str, Any] = {"iface": name}
    if flags:
        attrs["cadt_flags"] = flags
    return [(text, attrs)]


def _set_dim(ctx: _Ctx, text: str) -> List[_Alt]:
    _name_check(text, "set name", IPSET_MAXNAMELEN - 1)
    return [(text, {"name": text})]


# --- entries ---------------------------------------------------------------------------------


def _dim_parsers(ctx: _Ctx) -> List[Callable[[str], List[_Alt]]]:
    """One parser per dimension of the set type, bound to the context."""
    dims = ctx.type.dims
    name = ctx.settype
    parsers: List[Callable[[str], List[_Alt]]] = []
    ips = 0
    for index, dim in enumerate(dims):
        if dim == "ip":
            attr = "ip" if ips == 0 else "ip2"
            ips += 1
            # ipset parses these with ipset_parse_single_ip (plain addresses only)
            plain = name == "bitmap:ip,mac" or (name == "hash:ip,port,ip" and index == 2)
            parsers.append(lambda t, a=attr, p=not plain: _ip_dim(ctx, t, a, p))
        elif dim == "net":
            attr, cattr = ("ip", "cidr") if ips == 0 else ("ip2", "cidr2")
            ips += 1
            parsers.append(lambda t, a=attr, c=cattr: _net_dim(ctx, t, a, c))
        elif dim == "port":
            parsers.append(
                (lambda t: _bitmap_port_dim(ctx, t)) if name == "bitmap:port"
                else (lambda t: _port_dim(ctx, t))
            )  # fmt: skip
        else:
            parsers.append({"mac": _mac_dim, "mark": _mark_dim, "iface": _iface_dim,
                            "set": _set_dim}[dim].__get__(ctx))  # fmt: skip
    return parsers


def _split_text(text: str, ctx: _Ctx) -> Tuple[List[str], Optional[Tuple[str, str]]]:
    """Element text -> its dimension parts (and a list:set position)."""
    parts = text.split(",")
    ndims = len(ctx.type.dims)
    if ctx.settype == "list:set" and len(parts) == 3:
        if parts[1] not in ("before", "after"):
            raise _Bad("list:set members are written NAME or NAME,before|after,NAME")
        return [parts[0]], (parts[1], parts[2])
    if ctx.settype == "bitmap:ip,mac" and len(parts) == 1:
        return parts, None  # the MAC is optional (last_elem_optional in ipset)
    if len(parts) != ndims:
        raise _Bad("%s takes %d dimension%s, got %d"
                   % (ctx.settype, ndims, "" if ndims == 1 else "s", len(parts)))  # fmt: skip
    return parts, None


_TAIL_WORDS = frozenset(EXTENSIONS + ("before", "after"))


def _tail_options(tail: str) -> Dict[str, Any]:
    """Save-style options after an element ("timeout 30 comment \"x\" nomatch") -> dict."""
    try:
        words = shlex.split(tail)
    except ValueError as exc:
        raise _Bad("cannot split options %r: %s" % (tail, exc)) from None
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
            raise _Bad("unknown or incomplete option %r" % word)
    return out


def _ext_int(name: str, value: Any, high: int) -> int:
    if isinstance(value, bool):
        raise _Bad("%s must be a number, got %r" % (name, value))
    if isinstance(value, str):
        return _c_uint(value, name, high)
    if not isinstance(value, int):
        raise _Bad("%s must be a number, got %r" % (name, value))
    if not 0 <= value <= high:
        raise _Bad("%s %d out of range 0-%d" % (name, value, high))
    return value


def _skbmark(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return _ext_int("skbmark", value, _U64_MAX)
    if not isinstance(value, str):
        raise _Bad("skbmark must be MARK or MARK/MASK, got %r" % (value,))
    mark, sep, mask = value.partition("/")
    parts = [mark, mask] if sep else [mark]
    numbers = []
    for part in parts:
        if part[:2].lower() != "0x" or not _HEX.match(part[2:]):
            raise _Bad("skbmark must be 0xMARK or 0xMARK/0xMASK (hex), got %r" % value)
        numbers.append(int(part[2:], 16))
    return numbers[0] << 32 | (numbers[1] if sep else 0xFFFFFFFF)


def _skbprio(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return _ext_int("skbprio", value, 0xFFFFFFFF)
    major, sep, minor = value.partition(":") if isinstance(value, str) else ("", "", "")
    if not sep or not all(re.match(r"[0-9a-fA-F]{1,4}\Z", x) for x in (major, minor)):
        raise _Bad("skbprio must be MAJOR:MINOR (hex), got %r" % (value,))
    return int(major, 16) << 16 | int(minor, 16)


def _comment(value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad("comment must be a string, got %r" % (value,))
    if '"' in value or "\x00" in value:
        raise _Bad('comment must not contain " or NUL characters')
    if _utf8_size(value, "comment") > IPSET_MAX_COMMENT_SIZE:
        raise _Bad("comment is longer than %d bytes" % IPSET_MAX_COMMENT_SIZE)
    return value


def _extensions(ctx: _Ctx, options: Mapping[str, Any]) -> Tuple[Dict[str, Any], int]:
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
                raise _Bad("%s must be true or false, got %r" % (name, value))
            if value in (True, "true"):
                if name not in ctx.type.options:
                    raise _Bad("%s is not valid for set type %s" % (name, ctx.settype))
                ext[name] = True
                flags |= IPSET_FLAG_NOMATCH if name == "nomatch" else IPSET_FLAG_IFACE_WILDCARD
        elif name not in ("before", "after"):
            raise _Bad("unknown entry option %r" % name)
    return ext, flags


def _position(ctx: _Ctx, options: Mapping[str, Any],
              pos: Optional[Tuple[str, str]]) -> Optional[Tuple[str, str]]:  # fmt: skip
    for where in ("before", "after"):
        if options.get(where) is not None:
            if pos is not None:
                raise _Bad("give only one of before and after")
            pos = (where, options[where])
    if pos is None:
        return None
    if ctx.settype != "list:set":
        raise _Bad("%s is valid for list:set members only" % pos[0])
    if not isinstance(pos[1], str):
        raise _Bad("%s must name a set, got %r" % (pos[0], pos[1]))
    _name_check(pos[1], "set name", IPSET_MAXNAMELEN - 1)
    return pos


def _general(ctx: _Ctx, item: Any, parsers: List[Callable[[str], List[_Alt]]],
             defaults: Mapping[str, Any], out: Dict[str, Entry]) -> None:  # fmt: skip
    """Parse one item of any form into ``out`` (key -> Entry)."""
    if isinstance(item, Mapping):
        unknown = sorted(set(item) - _DICT_KEYS, key=str)
        text = item.get("entry")
        if not isinstance(text, str):
            raise IpsetInputError("entry %r: the 'entry' key must be a string" % (dict(item),))
        _CURRENT[0] = text
        if unknown:
            raise _Bad("unknown entry option %r" % unknown[0])
        options: Dict[str, Any] = dict(defaults)
        options.update((k, v) for k, v in item.items() if k != "entry")
    elif isinstance(item, str):
        text = item
        _CURRENT[0] = text
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
        raise _Bad("empty entry")
    parts, pos = _split_text(text, ctx)
    ext, flags = _extensions(ctx, options)
    pos = _position(ctx, options, pos)
    combos: List[_Alt] = [("", {})]
    for parser, part in zip(parsers, parts):
        if not part:
            raise _Bad("empty element part")
        alts = parser(part)
        _budget(ctx, len(combos) * len(alts), text)
        combos = [(k + "," + ak if k else ak, _merge(d, ad)) for k, d in combos for ak, ad in alts]
    mac_by_address = ctx.settype == "bitmap:ip,mac"
    for key, data in combos:
        if mac_by_address:
            key = key.partition(",")[0]  # the address is the identity; the MAC an attribute
        if ctx.settype in _NO_ZERO_ADDRESS and not any(data["ip"]):
            raise _Bad("the zero address cannot be stored in a %s set" % ctx.settype)
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
        packed = _inet_pton(_AF_INET, s)
    except (OSError, ValueError):
        return None
    if packed == b"\0\0\0\0":
        return None
    return _new(Entry, (s, {"ip": packed}, ext.copy(), None))


def _fast_hash_ip6(s: str, ext: Dict[str, Any]) -> Optional[Entry]:
    try:
        packed = _inet_pton(_AF_INET6, s)
    except (OSError, ValueError):
        return None
    if not any(packed):
        return None
    return _new(Entry, (_inet_ntop(_AF_INET6, packed), {"ip": packed}, ext.copy(), None))


def _fast_hash_net4(s: str, ext: Dict[str, Any]) -> Optional[Entry]:
    addr, sep, cidr_text = s.partition("/")
    try:
        packed = _inet_pton(_AF_INET, addr)
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
        addr = socket.inet_ntoa(packed)
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
        packed = _inet_pton(_AF_INET, addr)
    except (OSError, ValueError):
        return None
    if packed == b"\0\0\0\0":
        return None
    return _new(Entry, (s, {"ip": packed, "port": port, "proto": proto}, ext.copy(), None))


_FAST = {
    ("hash:ip", "inet"): _fast_hash_ip4,
    ("hash:ip", "inet6"): _fast_hash_ip6,
    ("hash:net", "inet"): _fast_hash_net4,
    ("hash:ip,port", "inet"): _fast_hash_ipport4,
}


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
    ctx = _Ctx(settype, fam, netmask, bitmask, markmask, max_expand)
    defaults = dict(defaults or {})
    out: Dict[str, Entry] = {}
    parsers = _dim_parsers(ctx)
    fast = None
    if ctx.mask == (1 << ctx.host) - 1:
        fast = _FAST.get((settype, fam))
    try:
        base_ext, _flags = _extensions(ctx, defaults)
    except _Bad as exc:
        raise IpsetInputError("defaults: %s" % exc) from None
    if (
        defaults.get("nomatch")
        or defaults.get("wildcard")
        or "before" in defaults
        or ("after" in defaults)
    ):
        fast = None
    for item in items:
        if fast is not None and isinstance(item, str):
            entry = fast(item, base_ext)
            if entry is not None:
                out[entry.key] = entry
                continue
        try:
            _general(ctx, item, parsers, defaults, out)
        except _Bad as exc:
            raise IpsetInputError("entry '%s': %s" % (_CURRENT[0], exc)) from None
    return list(out.values())


def bare_hosts(items: Sequence[Any], family: Optional[str]) -> Optional[List[bytes]]:
    """The packed addresses of hash:ip items that are all bare address strings; else None.

    The bulk case (a blocklist) without an `Entry` per item: inet_pton runs over the whole
    list in C. None as soon as one item is anything else (a range, a CIDR, options, a dict,
    the all-zero address): `parse_entries` then reads every item and names the first bad one.
    """
    af, size = (_AF_INET6, 16) if family == "inet6" else (_AF_INET, 4)
    try:
        packed = list(map(partial(_inet_pton, af), items))
    except (OSError, TypeError, ValueError):
        return None
    return None if bytes(size) in packed else packed


def host_entry(packed: bytes) -> Entry:
    """The `Entry` of one hash:ip member from its packed address."""
    return _new(Entry, (_inet_ntop(_AF_INET6 if len(packed) == 16 else _AF_INET, packed),
                        {"ip": packed}, {}, None))  # fmt: skip


# --- formatting ------------------------------------------------------------------------------


def _fmt_addr(data: Mapping[str, Any], attr: str, cattr: Optional[str]) -> str:
    packed = data[attr]
    addr = _inet_ntop(_AF_INET if len(packed) == 4 else _AF_INET6, packed)
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


def format_entry(settype: str, family: Optional[str], data: Mapping[str, Any]) -> str:
    """The canonical key of an element from its attributes (the inverse of parse_entries)."""
    if settype == "hash:ip":
        return _inet_ntop(_AF_INET if len(data["ip"]) == 4 else _AF_INET6, data["ip"])
    if settype == "hash:net":
        packed = data["ip"]
        addr = _inet_ntop(_AF_INET if len(packed) == 4 else _AF_INET6, packed)
        cidr = data.get("cidr", len(packed) * 8)
        return addr if cidr == len(packed) * 8 else "%s/%d" % (addr, cidr)
    if settype == "hash:ip,port" and data["proto"] in PROTOS_WITH_PORTS:
        packed = data["ip"]
        return "%s,%s:%d" % (_inet_ntop(_AF_INET if len(packed) == 4 else _AF_INET6, packed),
                             PROTO_NAMES[data["proto"]], data["port"])  # fmt: skip
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
    if settype == "hash:ip":
        ntop = partial(_inet_ntop, _AF_INET6 if family == "inet6" else _AF_INET)
        try:
            return list(map(ntop, map(itemgetter("ip"), members)))
        except (KeyError, TypeError, ValueError):
            pass  # the member-by-member path below names the member that is wrong
    return [key_from_kernel(settype, family, attrs) for attrs in members]


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
            return _inet_ntop(_AF_INET, attrs["ip"])
        return format_entry(settype, family, attrs)
    except (KeyError, TypeError, ValueError) as exc:  # a reply missing what the type needs
        raise ProtocolError(
            "the kernel listed a %s member that cannot be read (%s: %r): %r"
            % (settype, type(exc).__name__, exc.args[0] if exc.args else "", dict(attrs))
        ) from None
