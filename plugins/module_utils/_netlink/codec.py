# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: netlink message headers and attributes, driven by tables.

An attribute set is data: a tuple of `Attr` rows (id, UAPI name, codec, flags, nested set).
One encoder and one decoder walk any such table. Decoding skips attribute types the table does
not know (a newer kernel may send more) and raises `ProtocolError` for anything truncated.
Decoded attribute sets are plain dicts keyed by the UAPI name lower-cased, without the
table's prefix: ``IPSET_ATTR_TIMEOUT`` in a table with prefix ``IPSET_ATTR_`` is ``timeout``.
"""

from __future__ import annotations

import gc
import struct
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._netlink import errors
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (  # hot loops
    NLA_F_NESTED,
    NLA_HDRLEN,
    NLA_TYPE_MASK,
    NLMSG_HDRLEN,
)

NLMSGHDR = struct.Struct("=IHHII")  # struct nlmsghdr: len, type, flags, seq, pid
NLATTR = struct.Struct("=HH")  # struct nlattr: nla_len, nla_type


def align(length: int) -> int:
    """NLMSG_ALIGN / NLA_ALIGN: round up to the next multiple of 4."""
    return (length + 3) & ~3


# --------------------------------------------------------------------------- messages


class Message(NamedTuple):
    """One netlink message: the header fields and the payload after the header."""

    type: int
    flags: int
    seq: int
    pid: int
    payload: bytes


def pack_message(msg_type: int, flags: int, seq: int, payload: bytes, pid: int = 0) -> bytes:
    """Serialise a netlink message; the payload is padded to the alignment."""
    length = NLMSG_HDRLEN + len(payload)
    pad = b"\0" * (align(length) - length)
    return NLMSGHDR.pack(length, msg_type, flags, seq, pid) + payload + pad


def iter_messages(data: bytes) -> Iterator[Message]:
    """Split one datagram into its messages; a header that runs past the end raises."""
    offset, end = 0, len(data)
    while offset < end:
        if end - offset < NLMSG_HDRLEN:
            raise errors.ProtocolError(
                "truncated netlink header: %d bytes left at offset %d" % (end - offset, offset)
            )
        length, msg_type, flags, seq, pid = NLMSGHDR.unpack_from(data, offset)
        if length < NLMSG_HDRLEN or offset + length > end:
            raise errors.ProtocolError(
                "netlink message at offset %d claims %d bytes, %d available"
                % (offset, length, end - offset)
            )
        yield Message(msg_type, flags, seq, pid, data[offset + NLMSG_HDRLEN : offset + length])
        offset += align(length)


# --------------------------------------------------------------------------- codecs


class Codec(NamedTuple):
    """How one attribute's payload maps to a Python value."""

    name: str
    encode: Callable[[Any], bytes]
    decode: Callable[[bytes], Any]
    size: Optional[int] = None  # exact payload size, or None when variable
    min_size: int = 0
    fmt: Optional[str] = None  # the struct format of a fixed-size value ("=B", ">I", "6s")


def _int_codec(name: str, fmt: str) -> Codec:
    s = struct.Struct(fmt)
    return Codec(name, s.pack, lambda b: s.unpack_from(b)[0], s.size, s.size, fmt)


def _strz_decode(b: bytes) -> str:
    return b.split(b"\0", 1)[0].decode("utf-8", "replace")


def _bytes_encode(value: Any, size: Optional[int] = None) -> bytes:
    if isinstance(value, int):  # bytes(4) would be four NUL bytes, not an error
        raise TypeError("an int is not bytes")
    data = bytes(value)
    if size is not None and len(data) != size:
        raise ValueError("%d bytes, not %d" % (len(data), size))
    return data


U8 = _int_codec("u8", "=B")
U16 = _int_codec("u16", "=H")
U32 = _int_codec("u32", "=I")
U64 = _int_codec("u64", "=Q")
S8 = _int_codec("s8", "=b")
S32 = _int_codec("s32", "=i")
S64 = _int_codec("s64", "=q")
BE16 = _int_codec("be16", ">H")
BE32 = _int_codec("be32", ">I")
BE64 = _int_codec("be64", ">Q")
STRZ = Codec("strz", lambda v: v.encode("utf-8") + b"\0", _strz_decode, None, 1)
STRING = Codec("string", lambda v: v.encode("utf-8"), lambda b: b.decode("utf-8", "replace"))
BINARY = Codec("binary", _bytes_encode, bytes)
FLAG = Codec("flag", lambda v: b"", lambda b: True, 0, 0)
NESTED = Codec("nested", None, None)  # type: ignore[arg-type]  # walked by encode/decode
ARRAY = Codec("array", None, None)  # type: ignore[arg-type]  # nested, one nest per element


def fixed(size: int) -> Codec:
    """Opaque bytes of exactly ``size`` (an IPv4 address, a MAC)."""
    return Codec(
        "binary[%d]" % size, lambda v: _bytes_encode(v, size), bytes, size, size, "%ds" % size
    )


# --------------------------------------------------------------------------- tables


class Attr(NamedTuple):
    """One row of an attribute table."""

    type: int
    name: str  # the UAPI name, e.g. IPSET_ATTR_TIMEOUT
    codec: Codec
    flags: int = 0  # NLA_F_NET_BYTEORDER where the family wants it
    nested: Optional["AttrSet"] = None  # for NESTED and ARRAY
    multi: bool = False  # the attribute may repeat: decoded into a list


class AttrSet:
    """An attribute table: rows looked up by type (decoding) and by key (encoding)."""

    def __init__(self, prefix: str, attrs: Tuple[Attr, ...]) -> None:
        self.prefix = prefix
        self.attrs = attrs
        self.by_type: Dict[int, Tuple[str, Attr]] = {}
        self.by_key: Dict[str, Attr] = {}
        for attr in attrs:
            if not attr.name.startswith(prefix):
                raise ValueError("%s does not start with %s" % (attr.name, prefix))
            if attr.codec in (NESTED, ARRAY) and attr.nested is None:
                raise ValueError("%s is %s but has no nested table" % (attr.name, attr.codec.name))
            key = attr.name[len(prefix) :].lower()
            self.by_type[attr.type] = (key, attr)
            self.by_key[key] = attr

    def __repr__(self) -> str:
        return "AttrSet(%s*, %d attributes)" % (self.prefix, len(self.attrs))


def pack_attr(attr_type: int, payload: bytes) -> bytes:
    """One attribute (header, payload, padding) from an already encoded payload."""
    length = NLA_HDRLEN + len(payload)
    return NLATTR.pack(length, attr_type) + payload + b"\0" * (align(length) - length)


def encode(table: AttrSet, values: Dict[str, Any]) -> bytes:
    """Encode ``values`` (keyed as the table's keys) into attributes; None values are skipped."""
    out: List[bytes] = []
    for key, value in values.items():
        if value is None:
            continue
        try:
            attr = table.by_key[key]
        except KeyError:
            raise ValueError("%s has no attribute %r" % (table.prefix, key)) from None
        for item in value if attr.multi else (value,):
            out.append(_encode_one(attr, item))
    return b"".join(out)


def _encode_one(attr: Attr, value: Any) -> bytes:
    if attr.codec is NESTED:
        return pack_attr(
            attr.type | attr.flags | NLA_F_NESTED, encode(attr.nested, value)  # type: ignore
        )
    if attr.codec is ARRAY:
        items = b"".join(
            pack_attr(index | NLA_F_NESTED, encode(attr.nested, item))  # type: ignore
            for index, item in enumerate(value, 1)
        )
        return pack_attr(attr.type | attr.flags | NLA_F_NESTED, items)
    if attr.codec is FLAG and not value:
        return b""
    try:
        payload = attr.codec.encode(value)
    except (struct.error, TypeError, ValueError, AttributeError, UnicodeError) as exc:
        raise ValueError(
            "%s: cannot encode %r as %s: %s" % (attr.name, value, attr.codec.name, exc)
        ) from None
    return pack_attr(attr.type | attr.flags, payload)


def iter_attrs(
    data: bytes, offset: int = 0, end: Optional[int] = None
) -> Iterator[Tuple[int, bytes]]:
    """Walk raw attributes: (type without flags, payload). Truncation raises ProtocolError."""
    end = len(data) if end is None else end
    while end - offset >= NLA_HDRLEN:
        length, attr_type = NLATTR.unpack_from(data, offset)
        if length < NLA_HDRLEN or offset + length > end:
            raise errors.ProtocolError(
                "attribute type %d at offset %d claims %d bytes, %d available"
                % (attr_type & NLA_TYPE_MASK, offset, length, end - offset)
            )
        yield attr_type & NLA_TYPE_MASK, data[offset + NLA_HDRLEN : offset + length]
        offset += align(length)


def locate(data: bytes, offset: int, start: int = 0) -> List[Tuple[int, int]]:
    """The attributes of ``data`` (from ``start``) that hold byte ``offset``, outermost first.

    Each is (type without flags, its index among its siblings); the walk goes down into
    attributes flagged ``NLA_F_NESTED``. This maps an extended-ACK offset
    (``NLMSGERR_ATTR_OFFS``, counted from the request's payload here) back to the attribute
    the kernel refused, such as the n-th element of a list. Empty when no attribute holds it.
    """
    path: List[Tuple[int, int]] = []
    end = len(data)
    while True:
        index, here = 0, start
        found = None
        while end - here >= NLA_HDRLEN:
            length, attr_type = NLATTR.unpack_from(data, here)
            if length < NLA_HDRLEN or here + length > end:
                return path
            if here <= offset < here + length:
                found = (here, length, attr_type)
                break
            here += align(length)
            index += 1
        if found is None:
            return path
        here, length, attr_type = found
        path.append((attr_type & NLA_TYPE_MASK, index))
        if not attr_type & NLA_F_NESTED or offset < here + NLA_HDRLEN:
            return path
        start, end = here + NLA_HDRLEN, here + length


def decode(table: AttrSet, data: bytes, offset: int = 0) -> Dict[str, Any]:
    """Decode attributes into a dict keyed by the table's keys; unknown types are skipped."""
    result: Dict[str, Any] = {}
    by_type = table.by_type
    for attr_type, payload in iter_attrs(data, offset):
        row = by_type.get(attr_type)
        if row is None:
            continue
        key, attr = row
        value = _decode_one(attr, payload)
        if attr.multi:
            result.setdefault(key, []).append(value)
        else:
            result[key] = value
    return result


def _decode_one(attr: Attr, payload: bytes) -> Any:
    codec = attr.codec
    if codec is NESTED:
        return decode(attr.nested, payload)  # type: ignore[arg-type]
    if codec is ARRAY:
        return [decode(attr.nested, item) for _type, item in iter_attrs(payload)]  # type: ignore
    size = len(payload)
    if size < codec.min_size:
        raise errors.ProtocolError(
            "%s: %d bytes, %s needs at least %d" % (attr.name, size, codec.name, codec.min_size)
        )
    if codec.size and size > codec.size:
        payload = payload[: codec.size]  # a newer kernel may send a longer value; keep its head
    return codec.decode(payload)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while building many small objects that are all kept.

    The collector would otherwise walk every object made so far, again and again: on a
    100k-member ipset dump that doubles the decoding time, and parsing 100k entries into `Entry`
    values loses about as much (measured on Python 3.11). Nothing here makes cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
