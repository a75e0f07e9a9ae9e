# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: nft datatypes, their wire form and their text form.

A key type is one datatype or a concatenation (``ipv4_addr . inet_service``). Values are
encoded as nft encodes them (nftables 1.0.6, src/datatype.c and src/netlink.c, checked against
``strace -x nft -f``): addresses and ports big-endian, ``mark`` in host byte order, ``ifname``
a NUL-padded 16-byte string; every field of a concatenation padded to 4 bytes
(``NFT_REG32_SIZE``). The key type id of a concatenation folds the ids 6 bits apart
(``TYPE_BITS``). The text form is what ``nft list`` prints, so a value round-trips.
"""

from __future__ import annotations

import functools
import re
import socket
import struct
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import IFNAMSIZ
from ansible_collections.linux.netlink.plugins.module_utils._nftables import uapi as u

TYPE_BITS = 6  # nft: bits of one datatype id in a concatenated key type
NFT_REG32_SIZE = 4


class NftInputError(ValueError):
    """A value, element or option the user gave cannot be what was asked for."""


class Datatype(NamedTuple):
    """One nft datatype (nft's enum datatypes id, size in bytes, byte order)."""

    name: str
    id: int
    size: int
    byteorder: int  # nft's enum byteorder, written to the set's user data
    ordered: bool  # the wire form sorts as the value does (intervals possible)


# nftables 1.0.6 include/datatype.h enum datatypes
DATATYPES: Dict[str, Datatype] = {
    d.name: d
    for d in (
        Datatype("ipv4_addr", 7, 4, u.BYTEORDER_BIG_ENDIAN, True),
        Datatype("ipv6_addr", 8, 16, u.BYTEORDER_BIG_ENDIAN, True),
        Datatype("ether_addr", 9, 6, u.BYTEORDER_BIG_ENDIAN, True),
        Datatype("inet_proto", 12, 1, u.BYTEORDER_BIG_ENDIAN, True),
        Datatype("inet_service", 13, 2, u.BYTEORDER_BIG_ENDIAN, True),
        Datatype("mark", 19, 4, u.BYTEORDER_HOST_ENDIAN, False),
        Datatype("ifname", 41, IFNAMSIZ, u.BYTEORDER_HOST_ENDIAN, False),
    )
}
VERDICT_TYPE = 1  # TYPE_VERDICT
BY_ID = {d.id: d for d in DATATYPES.values()}

# /etc/protocols names nft prints for inet_proto (getprotobynumber), the common ones.
PROTOCOLS = {
    "icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "ipv6": 41, "gre": 47, "esp": 50, "ah": 51,
    "ipv6-icmp": 58, "icmpv6": 58, "sctp": 132, "udplite": 136,
}  # fmt: skip
PROTOCOL_NAMES = {v: k for k, v in PROTOCOLS.items() if k != "icmpv6"}

VERDICTS = {"drop": u.NF_DROP, "accept": u.NF_ACCEPT, "continue": u.NFT_CONTINUE,
            "return": u.NFT_RETURN, "jump": u.NFT_JUMP, "goto": u.NFT_GOTO}  # fmt: skip
VERDICT_NAMES = {v: k for k, v in VERDICTS.items()}


class KeyType(NamedTuple):
    """A set's key (or a map's data) type: one datatype or a concatenation, or ``verdict``."""

    fields: Tuple[Datatype, ...]  # empty for verdict

    @property
    def name(self) -> str:
        return " . ".join(f.name for f in self.fields) if self.fields else "verdict"

    @property
    def is_verdict(self) -> bool:
        return not self.fields

    @property
    def is_concat(self) -> bool:
        return len(self.fields) > 1

    @property
    def type_id(self) -> int:
        if not self.fields:
            return u.NFT_DATA_VERDICT
        value = 0
        for field in self.fields:
            value = (value << TYPE_BITS) | field.id
        return value

    @property
    def length(self) -> int:
        """NFTA_SET_KEY_LEN / NFTA_SET_DATA_LEN: one field as is, a concatenation padded."""
        if not self.fields:
            return 0
        if len(self.fields) == 1:
            return self.fields[0].size
        return sum(_pad(f.size) for f in self.fields)

    @property
    def byteorder(self) -> int:
        """What nft writes as the key's (data's) byte order in the set's user data."""
        if len(self.fields) != 1:
            return u.BYTEORDER_INVALID
        return self.fields[0].byteorder

    @property
    def ordered(self) -> bool:
        return len(self.fields) == 1 and self.fields[0].ordered


def _pad(size: int) -> int:
    return (size + NFT_REG32_SIZE - 1) // NFT_REG32_SIZE * NFT_REG32_SIZE


def key_type(text: str, what: str = "type", verdict: bool = False) -> KeyType:
    """``ipv4_addr``, ``ipv4_addr . inet_service`` (or ``verdict`` when allowed)."""
    words = [w.strip() for w in str(text).split(".")]
    if verdict and words == ["verdict"]:
        return KeyType(())
    fields = []
    for word in words:
        if word not in DATATYPES:
            choices = sorted(DATATYPES) + (["verdict"] if verdict else [])
            raise NftInputError(
                "%s: unknown datatype %r (one of %s, or a concatenation with ' . ')"
                % (what, word, ", ".join(choices))
            )
        fields.append(DATATYPES[word])
    if sum(_pad(f.size) for f in fields) > 64:  # NFT_DATA_VALUE_MAXLEN
        raise NftInputError("%s: %s is longer than the kernel's 64-byte key" % (what, text))
    return KeyType(tuple(fields))


def type_from_id(type_id: int, length: int) -> Optional[KeyType]:
    """The key type the kernel reports (NFTA_SET_KEY_TYPE, _LEN); None when not ours."""
    if type_id == u.NFT_DATA_VERDICT:
        return KeyType(())
    fields: List[Datatype] = []
    while type_id:
        field = BY_ID.get(type_id & ((1 << TYPE_BITS) - 1))
        if field is None:
            return None
        fields.insert(0, field)
        type_id >>= TYPE_BITS
    found = KeyType(tuple(fields))
    return found if fields and found.length == length else None


# --------------------------------------------------------------------------- one field


def _ipv4(text: str) -> bytes:
    try:
        return socket.inet_pton(socket.AF_INET, text)
    except OSError:
        raise NftInputError("%r is not an IPv4 address" % text) from None


def _ipv6(text: str) -> bytes:
    try:
        return socket.inet_pton(socket.AF_INET6, text)
    except OSError:
        raise NftInputError("%r is not an IPv6 address" % text) from None


_MAC = re.compile(r"^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5}$")


def _ether(text: str) -> bytes:
    if not _MAC.match(text):
        raise NftInputError("%r is not an Ethernet address (six hex bytes with ':')" % text)
    return bytes(int(b, 16) for b in text.split(":"))


def _number(text: str, bits: int, what: str) -> int:
    try:
        if not text.isascii():  # int() would take other scripts' digits
            raise ValueError(text)
        value = int(text, 0)
    except ValueError:
        raise NftInputError("%r is not a %s" % (text, what)) from None
    if not 0 <= value < 1 << bits:
        raise NftInputError("%r is out of range for a %s (0 to %d)" % (text, what, (1 << bits) - 1))
    return value


def _proto(text: str) -> bytes:
    if text.lower() in PROTOCOLS:
        return bytes((PROTOCOLS[text.lower()],))
    if not text[:1].isdigit():
        raise NftInputError("%r is not a protocol number or a known name" % text)
    return bytes((_number(text, 8, "protocol number"),))


def _service(text: str) -> bytes:
    if text[:1].isdigit():
        return struct.pack("!H", _number(text, 16, "port number"))
    try:
        return struct.pack("!H", socket.getservbyname(text))
    except OSError:
        raise NftInputError("%r is not a port number or a known service name" % text) from None


def _mark(text: str) -> bytes:
    return struct.pack("=I", _number(text, 32, "mark"))


def _ifname(text: str) -> bytes:
    raw = text.encode("utf-8")
    if not raw or len(raw) >= IFNAMSIZ or b"\0" in raw:
        raise NftInputError("%r is not an interface name (1 to 15 bytes)" % text)
    return raw + b"\0" * (IFNAMSIZ - len(raw))


def _checked(parse: Callable[[str], bytes]) -> Callable[[str], bytes]:
    """``parse``, refusing by name what the C library refuses itself (NUL characters, lone
    surrogates)."""

    def run(text: str) -> bytes:
        if "\0" in text:
            raise NftInputError("%r contains a NUL character" % text)
        try:
            return parse(text)
        except UnicodeError:
            raise NftInputError("%r is not valid UTF-8 text" % text) from None

    return run


_PARSE = {
    name: _checked(parse)
    for name, parse in (
        ("ipv4_addr", _ipv4),
        ("ipv6_addr", _ipv6),
        ("ether_addr", _ether),
        ("inet_proto", _proto),
        ("inet_service", _service),
        ("mark", _mark),
        ("ifname", _ifname),
    )
}


def utf8_length(text: str, what: str) -> int:
    """Bytes of ``text`` in UTF-8; NftInputError naming ``what`` when it cannot be encoded."""
    try:
        return len(text.encode("utf-8"))
    except UnicodeError:
        raise NftInputError("%s: %r is not valid UTF-8 text" % (what, text)) from None


def _format(field: Datatype, raw: bytes) -> str:
    name = field.name
    if name == "ipv4_addr":
        return socket.inet_ntop(socket.AF_INET, raw)
    if name == "ipv6_addr":
        return socket.inet_ntop(socket.AF_INET6, raw)
    if name == "ether_addr":
        return ":".join("%02x" % b for b in raw)
    if name == "inet_proto":
        return PROTOCOL_NAMES.get(raw[0], str(raw[0]))
    if name == "inet_service":
        return str(struct.unpack("!H", raw)[0])
    if name == "mark":
        return "0x%08x" % struct.unpack("=I", raw)[0]
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace")  # ifname


# The types whose text and wire forms the C library converts in one call each way, with no
# checks of ours around it (for the whole-list accelerators of plan.py): a value either
# converts the same as through _PARSE/_format, or raises (OSError, ValueError).
C_PARSE: Dict[str, Callable[[str], bytes]] = {
    "ipv4_addr": functools.partial(socket.inet_pton, socket.AF_INET),
    "ipv6_addr": functools.partial(socket.inet_pton, socket.AF_INET6),
}
C_FORMAT: Dict[str, Callable[[bytes], str]] = {
    "ipv4_addr": functools.partial(socket.inet_ntop, socket.AF_INET),
    "ipv6_addr": functools.partial(socket.inet_ntop, socket.AF_INET6),
}


def field_parser(ktype: KeyType) -> Callable[[str], bytes]:
    """The parser of a single-field type's values (stripped text in, wire bytes out)."""
    return _PARSE[ktype.fields[0].name]


def parse_value(ktype: KeyType, text: str) -> bytes:
    """One key (or data) value as the kernel stores it; raises NftInputError."""
    text = str(text).strip()
    parts = [p.strip() for p in text.split(" . ")] if ktype.is_concat else [text]
    if len(parts) != len(ktype.fields):
        raise NftInputError(
            "%r has %d fields, the type %s has %d" % (text, len(parts), ktype.name,
                                                      len(ktype.fields))
        )
    if len(parts) == 1:
        return _PARSE[ktype.fields[0].name](parts[0])
    out = []
    for field, part in zip(ktype.fields, parts):
        raw = _PARSE[field.name](part)
        out.append(raw + b"\0" * (_pad(field.size) - len(raw)))
    return b"".join(out)


def format_value(ktype: KeyType, raw: bytes) -> str:
    """The text ``nft list`` prints for a key (or data) value."""
    if len(ktype.fields) == 1:
        return _format(ktype.fields[0], raw[: ktype.fields[0].size])
    out, offset = [], 0
    for field in ktype.fields:
        out.append(_format(field, raw[offset : offset + field.size]))
        offset += _pad(field.size)
    return " . ".join(out)


def parse_verdict(text: str) -> Tuple[int, Optional[str]]:
    """``accept``, ``drop``, ``jump CHAIN``, ... as (code, chain)."""
    words = str(text).split()
    if not words or words[0] not in VERDICTS:
        raise NftInputError("%r is not a verdict (%s)" % (text, ", ".join(VERDICTS)))
    code = VERDICTS[words[0]]
    if code in (u.NFT_JUMP, u.NFT_GOTO):
        if len(words) != 2:
            raise NftInputError("%r: %s needs one chain name" % (text, words[0]))
        return code, words[1]
    if len(words) != 1:
        raise NftInputError("%r: %s takes no argument" % (text, words[0]))
    return code, None


def format_verdict(code: int, chain: Optional[str]) -> str:
    name = VERDICT_NAMES.get(code, str(code))
    return "%s %s" % (name, chain) if chain else name


# --------------------------------------------------------------------------- intervals


def to_int(raw: bytes) -> int:
    return int.from_bytes(raw, "big")


def from_int(value: int, size: int) -> bytes:
    return value.to_bytes(size, "big")


def parse_interval(ktype: KeyType, text: str) -> Tuple[int, int]:
    """A value, ``a-b`` range or ``addr/len`` prefix as an inclusive (first, last) pair."""
    field = ktype.fields[0]
    text = str(text).strip()
    if "/" in text and field.name in ("ipv4_addr", "ipv6_addr"):
        address, _sep, length = text.partition("/")
        bits = field.size * 8
        if not (length.isascii() and length.isdigit() and int(length) <= bits):
            raise NftInputError("%r is not a %s prefix" % (text, field.name))
        host = bits - int(length)
        first = to_int(parse_value(ktype, address)) >> host << host  # as nft: host bits off
        return first, first | ((1 << host) - 1)
    if "-" in text:
        try:
            value = to_int(parse_value(ktype, text))  # a service name such as ms-sql-s
            return value, value
        except NftInputError:
            pass
        first, _sep, last = text.partition("-")
        low = to_int(parse_value(ktype, first))
        high = to_int(parse_value(ktype, last))
        if low > high:
            raise NftInputError("%r: the range ends before it starts" % text)
        return low, high
    value = to_int(parse_value(ktype, text))
    return value, value


def format_interval(ktype: KeyType, first: int, last: int) -> str:
    """As ``nft list`` prints it: a value, a prefix when the range is one, else ``a-b``."""
    field = ktype.fields[0]
    size = field.size
    if first == last:
        return format_value(ktype, from_int(first, size))
    span = last - first + 1
    if field.name in ("ipv4_addr", "ipv6_addr") and span & (span - 1) == 0 and first % span == 0:
        length = size * 8 - span.bit_length() + 1
        return "%s/%d" % (format_value(ktype, from_int(first, size)), length)
    return "%s-%s" % (
        format_value(ktype, from_int(first, size)),
        format_value(ktype, from_int(last, size)),
    )


# --------------------------------------------------------------------------- concatenated ranges


def parse_ranges(ktype: KeyType, text: str) -> Tuple[bytes, bytes]:
    """A concatenation whose fields are values, ranges or prefixes (``10.0.0.0/8 . 80-90``) as
    the first and the last key, each field padded to 4 bytes: the NFTA_SET_ELEM_KEY and
    NFTA_SET_ELEM_KEY_END of one element of an interval set with a concatenated key (the
    kernel's pipapo set stores it as one element, the box between the two keys)."""
    text = str(text).strip()
    parts = [p.strip() for p in text.split(" . ")]
    if len(parts) != len(ktype.fields):
        raise NftInputError(
            "%r has %d fields, the type %s has %d" % (text, len(parts), ktype.name,
                                                      len(ktype.fields))
        )
    first, last = [], []
    for field, part in zip(ktype.fields, parts):
        one = KeyType((field,))
        pad = b"\0" * (_pad(field.size) - field.size)
        if field.ordered:
            low, high = parse_interval(one, part)
            first.append(from_int(low, field.size) + pad)
            last.append(from_int(high, field.size) + pad)
        else:  # mark, ifname: their wire form does not sort as the value, no ranges
            raw = parse_value(one, part)
            first.append(raw + pad)
            last.append(raw + pad)
    return b"".join(first), b"".join(last)


def format_ranges(ktype: KeyType, first: bytes, last: bytes) -> str:
    """As ``nft list`` prints an element of a concatenated interval set: each field a value,
    a prefix or a range."""
    out, offset = [], 0
    for field in ktype.fields:
        low, high = first[offset : offset + field.size], last[offset : offset + field.size]
        offset += _pad(field.size)
        if field.ordered:
            out.append(format_interval(KeyType((field,)), to_int(low), to_int(high)))
        else:
            out.append(_format(field, low))
    return " . ".join(out)


def field_bounds(ktype: KeyType, first: bytes, last: bytes) -> List[Tuple[bytes, bytes]]:
    """The (first, last) of each field of a concatenated range, in wire form (which sorts as
    the value for ordered fields and is compared for equality for the others)."""
    out, offset = [], 0
    for field in ktype.fields:
        out.append((first[offset : offset + field.size], last[offset : offset + field.size]))
        offset += _pad(field.size)
    return out
