# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: fast encoding and decoding of large ipset element batches.

The generic codec (`codec.encode`/`codec.decode`) walks a table once per attribute, which is
most of the time spent on a 100k-element batch. The functions here give byte-for-byte the same
results, derived from the same table (`uapi.IPSET_ATTR_ELEM`):

- `pack_elements` encodes a batch *column by column* when every element has the same keys
  in the same order (the normal case: elements come from one parser for one set type).
  Each column is encoded with the codec's own function in one ``map``; one ``bytes.join``
  per message then interleaves the values with the attribute headers, which are constant
  when all values of a key have one length and looked up by length otherwise (comments,
  IPv4 mixed with IPv6). Other batches are encoded element by element with per-key packers
  compiled from the table.
- `decode_adt` decodes the ``IPSET_ATTR_ADT`` of a list dump: when all records share one
  layout (same attributes, same lengths) they are unpacked by one `struct` in C; otherwise
  each record is walked by hand.

Whatever the fast paths do not handle (unknown keys, None values, odd lengths, malformed
replies) is handed to the generic codec, so errors are exactly the generic ones.
"""

from __future__ import annotations

import struct
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, repeat
from operator import itemgetter
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
    overload,
)

from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec, errors, nfnetlink
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NLA_F_NESTED,
    NLA_HDRLEN,
    NLA_TYPE_MASK,
)

# IPSET_ATTR_ADT's length is a u16: the elements of one message fit in this many bytes.
ADT_ROOM = 0xFFFF - 4
_DATA = u.IPSET_ATTR_DATA
_DATA_TYPE = _DATA | NLA_F_NESTED
_LINENO_TYPE = u.IPSET_ATTR_LINENO  # u32 in host order (nla_get_u32)
_LINENO = codec.U32
_ELEM = u.IPSET_ATTR_ELEM
_NLATTR = codec.NLATTR
_ENCODE_ERRORS = (KeyError, TypeError, ValueError, AttributeError, struct.error)

Packer = Callable[[Any], bytes]


# --------------------------------------------------------------------------- encoding


def _pad(length: int) -> bytes:
    return b"\0" * (codec.align(length) - length)


def _is_ipaddr(attr: codec.Attr) -> bool:
    return attr.codec is u.IPADDR


def _ipaddr_head(attr: codec.Attr, size: int) -> bytes:
    """Everything the generic encoder writes before an address of ``size`` bytes."""
    return codec.pack_attr(attr.type | attr.flags, attr.codec.encode(b"\0" * size))[:-size]


def _packer(key: str, attr: codec.Attr) -> Packer:
    """value -> the attribute's bytes, as `codec.encode` writes them for ``{key: value}``."""
    kind = attr.codec
    attr_type = attr.type | attr.flags
    if _is_ipaddr(attr):
        heads = {4: _ipaddr_head(attr, 4), 16: _ipaddr_head(attr, 16)}
        return lambda value: heads[len(value)] + value
    if kind.fmt and kind.fmt[0] in "=<>" and not attr.multi:  # integers: fixed size
        head = _NLATTR.pack(NLA_HDRLEN + kind.size, attr_type)
        pad = _pad(NLA_HDRLEN + kind.size)
        encode = kind.encode
        return lambda value: head + encode(value) + pad
    if attr.multi or kind in (codec.FLAG, codec.NESTED, codec.ARRAY):
        table = codec.AttrSet(_ELEM.prefix, (attr,))
        return lambda value: codec.encode(table, {key: value})
    pack_attr, encode = codec.pack_attr, kind.encode  # variable size: strings, opaque bytes
    return lambda value: pack_attr(attr_type, encode(value))


@lru_cache(maxsize=None)
def _packers() -> Dict[str, Packer]:
    return {key: _packer(key, attr) for key, attr in _ELEM.by_key.items()}


@lru_cache(maxsize=None)
def _lineno_attrs(count: int) -> Tuple[bytes, ...]:
    """IPSET_ATTR_LINENO attributes for line numbers 0..count-1 (index = line number)."""
    head = _NLATTR.pack(NLA_HDRLEN + 4, _LINENO_TYPE)
    return tuple(head + _LINENO.encode(n) for n in range(count))


_MAX_PER_MESSAGE = ADT_ROOM // 12 + 1  # an empty element still takes 12 bytes


def encode_element(element: Dict[str, Any]) -> bytes:
    """One element's attributes; identical to ``codec.encode(IPSET_ATTR_ELEM, element)``."""
    packers = _packers()
    try:
        return b"".join([packers[k](v) for k, v in element.items() if v is not None])
    except _ENCODE_ERRORS:
        return codec.encode(_ELEM, element)  # raises the generic error (or agrees)


def pack_elements(elements: Sequence[Dict[str, Any]]) -> Iterator[Tuple[int, int, bytes]]:
    """Group encoded elements into IPSET_ATTR_ADT bodies: (first index, end index, bytes).

    Each element is an IPSET_ATTR_DATA nest followed by its line number within its message
    (1-based, IPSET_ATTR_LINENO), which the kernel echoes back when it refuses that element.
    A message holds as many elements as fit in `ADT_ROOM` bytes.
    """
    columns = _columns(elements)
    if columns is None:
        return _pack_rows(elements)
    return _pack_columns(len(elements), columns)


def _pack_rows(elements: Sequence[Dict[str, Any]]) -> Iterator[Tuple[int, int, bytes]]:
    """Element by element: any mix of keys and values."""
    linenos = _lineno_attrs(_MAX_PER_MESSAGE)
    head = _NLATTR.pack
    chunk: List[bytes] = []
    size = start = 0
    for index, element in enumerate(elements):
        body = encode_element(element)
        length = len(body) + 12  # IPSET_ATTR_DATA header, element, IPSET_ATTR_LINENO
        if chunk and size + length > ADT_ROOM:
            yield start, index, b"".join(chunk)
            chunk, size, start = [], 0, index
        chunk.append(head(length, _DATA_TYPE) + body + linenos[index - start + 1])
        size += length
    if chunk:
        yield start, len(elements), b"".join(chunk)


class _Column(NamedTuple):
    """One key's values across a batch, encoded, with the bytes around each value.

    ``head``/``tail`` are the constant header and padding when every value has one size;
    otherwise ``heads``/``tails``/``sizes`` give them (and the attribute's aligned size) per
    element.
    """

    values: List[bytes]
    head: bytes
    tail: bytes
    heads: Optional[List[bytes]] = None
    tails: Optional[List[bytes]] = None
    sizes: Optional[List[int]] = None


def _columns(elements: Sequence[Dict[str, Any]]) -> Optional[List[_Column]]:
    """Every element's values encoded, key by key; None unless all have the same keys."""
    if not elements:
        return None
    keys = tuple(elements[0])
    if not keys:
        return None
    if len(keys) == 1:
        if set(map(len, elements)) != {1}:
            return None
    elif set(map(tuple, elements)) != {keys}:
        return None
    columns: List[_Column] = []
    for key in keys:
        attr = _ELEM.by_key.get(key)
        if attr is None or attr.multi or attr.codec in (codec.FLAG, codec.NESTED, codec.ARRAY):
            return None
        try:
            values = list(map(itemgetter(key), elements))
            if _is_ipaddr(attr):
                if set(map(type, values)) != {bytes}:
                    return None
            else:
                values = list(map(attr.codec.encode, values))
            lengths = list(map(len, values))
        except _ENCODE_ERRORS:
            return None
        column = _column(attr, values, lengths)
        if column is None:
            return None
        columns.append(column)
    return columns


def _column(attr: codec.Attr, values: List[bytes], lengths: List[int]) -> Optional[_Column]:
    """The bytes around each value: the same for all, or looked up by the value's length."""
    heads: Dict[int, bytes] = {}
    tails: Dict[int, bytes] = {}
    for size in set(lengths):
        if _is_ipaddr(attr):
            if size not in (4, 16):
                return None
            heads[size], tails[size] = _ipaddr_head(attr, size), b""
        else:
            length = NLA_HDRLEN + size
            heads[size] = _NLATTR.pack(length, attr.type | attr.flags)
            tails[size] = _pad(length)
    if len(heads) == 1:
        size, head = next(iter(heads.items()))
        return _Column(values, head, tails[size])
    sizes = {size: len(heads[size]) + size + len(tails[size]) for size in heads}
    return _Column(
        values,
        b"",
        b"",
        list(map(heads.__getitem__, lengths)),
        list(map(tails.__getitem__, lengths)),
        list(map(sizes.__getitem__, lengths)),
    )


def _pack_columns(count: int, columns: List[_Column]) -> Iterator[Tuple[int, int, bytes]]:
    """Message bodies from columns whose values all have one size (else `_pack_varying`)."""
    if any(column.sizes is not None for column in columns):
        yield from _pack_varying(count, columns)
        return
    layout = tuple((c.head, c.tail) for c in columns)
    width = 12 + sum(len(c.head) + len(c.values[0]) + len(c.tail) for c in columns)
    per = max(1, ADT_ROOM // width)
    fields = len(columns)
    for start in range(0, count, per):
        end = min(count, start + per)
        parts: List[bytes] = [b""] * (2 * fields * (end - start) + 1)
        parts[0::2] = _separators(layout, width, end - start)
        for index, column in enumerate(columns):
            parts[1 + 2 * index :: 2 * fields] = column.values[start:end]
        yield start, end, b"".join(parts)


def _pack_varying(count: int, columns: List[_Column]) -> Iterator[Tuple[int, int, bytes]]:
    """Message bodies from columns some of whose values differ in size (strings, mixed
    address families): per element, DATA header, (header, value, padding) per key, LINENO."""
    fixed = 12 + sum(len(c.head) + len(c.values[0]) + len(c.tail) for c in columns if not c.sizes)
    varying = [c.sizes for c in columns if c.sizes]
    widths = list(map(fixed.__add__, map(sum, zip(*varying))))
    data_heads = list(map(_NLATTR.pack, widths, repeat(_DATA_TYPE)))
    ends = list(accumulate(widths))
    linenos = _lineno_attrs(_MAX_PER_MESSAGE)
    slots = 2 + 3 * len(columns)
    start = 0
    while start < count:
        base = ends[start - 1] if start else 0
        end = max(start + 1, bisect_right(ends, base + ADT_ROOM, start))
        size = end - start
        parts: List[bytes] = [b""] * (slots * size)
        parts[0::slots] = data_heads[start:end]
        for index, column in enumerate(columns):
            slot = 1 + 3 * index
            parts[slot::slots] = column.heads[start:end] if column.heads else [column.head] * size
            parts[slot + 1 :: slots] = column.values[start:end]
            parts[slot + 2 :: slots] = (
                column.tails[start:end] if column.tails else [column.tail] * size
            )
        parts[slots - 1 :: slots] = linenos[1 : size + 1]
        yield start, end, b"".join(parts)
        start = end


@lru_cache(maxsize=32)
def _separators(layout: Tuple[Tuple[bytes, bytes], ...], width: int, count: int) -> List[bytes]:
    """The constant bytes around the values of ``count`` uniform elements, in order."""
    linenos = _lineno_attrs(_MAX_PER_MESSAGE)
    first = _NLATTR.pack(width, _DATA_TYPE) + layout[0][0]
    inner = [layout[i][1] + layout[i + 1][0] for i in range(len(layout) - 1)]
    last = layout[-1][1]
    result = [first]
    for line in range(1, count + 1):
        result.extend(inner)
        result.append(last + linenos[line] + (first if line < count else b""))
    return result


# --------------------------------------------------------------------------- decoding

# IPSET_ATTR_CMD with IPSET_ATTR_ADT left as raw bytes, for `decode_adt` to take apart.
_CMD_RAW_ADT = codec.AttrSet(
    u.IPSET_ATTR_CMD.prefix,
    tuple(
        codec.Attr(a.type, a.name, codec.BINARY) if a.type == u.IPSET_ATTR_ADT else a
        for a in u.IPSET_ATTR_CMD.attrs
    ),
)


def decode_message(payload: bytes) -> Dict[str, Any]:
    """An IPSET_CMD_* reply (nfgenmsg and attributes) as the generic IPSET_ATTR_CMD decode."""
    try:
        _family, offset = nfnetlink.split(payload)
        attrs = codec.decode(_CMD_RAW_ADT, payload, offset)
        if "adt" in attrs:
            attrs["adt"] = decode_adt(attrs["adt"])
    except errors.ProtocolError:
        # Raise what the generic decoder raises for this message (its first complaint).
        _family, offset = nfnetlink.split(payload)
        attrs = codec.decode(u.IPSET_ATTR_CMD, payload, offset)
    attrs["family"] = attrs.get("family", payload[0])
    return attrs


class OneKey(Sequence[Dict[str, Any]]):
    """Records that all hold one attribute, kept as the column of its values.

    What `decode_adt` returns for a dump of bare entries (a plain hash:ip set): equal to the
    list of ``{key: value}`` dicts the generic decoder returns, each dict built only when
    asked for, so that a planner that needs the values alone (`column`, `words`) makes none.
    4-byte values (IPv4 addresses) are kept back to back in one bytes object (``packed``)
    until someone asks for them one by one.
    """

    __slots__ = ("key", "_values", "_packed")

    def __init__(
        self, key: str, values: Optional[List[Any]] = None, packed: Optional[bytes] = None
    ) -> None:
        self.key = key
        self._values = values
        self._packed = packed if values is None else None

    @property
    def values(self) -> List[Any]:
        if self._values is None:
            self._values = list(map(itemgetter(0), _FOUR.iter_unpack(self._packed or b"")))
        return self._values

    def __len__(self) -> int:
        if self._values is None:
            return len(self._packed or b"") // 4
        return len(self._values)

    @overload
    def __getitem__(self, index: int) -> Dict[str, Any]:
        ...

    @overload
    def __getitem__(self, index: slice) -> List[Dict[str, Any]]:
        ...

    def __getitem__(
        self, index: Union[int, slice]
    ) -> Union[Dict[str, Any], List[Dict[str, Any]]]:
        if isinstance(index, slice):
            return [{self.key: value} for value in self.values[index]]
        return {self.key: self.values[index]}

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        return map(dict, zip(zip(repeat(self.key), self.values)))  # {key: value}, in C

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OneKey):
            return self.key == other.key and self.values == other.values
        if isinstance(other, (list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return "OneKey(%r, %r)" % (self.key, self.values)


_FOUR = struct.Struct("4s")


def column(records: Sequence[Dict[str, Any]], key: str) -> List[Any]:
    """The values of ``key`` in every record (KeyError when one lacks it)."""
    if isinstance(records, OneKey) and records.key == key:
        return records.values
    return list(map(itemgetter(key), records))


def words(records: Sequence[Dict[str, Any]], key: str) -> Optional[List[int]]:
    """The 4-byte values of ``key`` in every record as big-endian integers (`word_bytes`
    turns one back), or None when a record lacks it or holds another size."""
    if isinstance(records, OneKey) and records.key == key and records._packed is not None:
        return words_of(records._packed)
    try:
        values = column(records, key)
        joined = b"".join(values)
    except (KeyError, TypeError):
        return None
    return words_of(joined) if len(joined) == 4 * len(values) else None


def words_of(packed: bytes) -> List[int]:
    """4-byte values back to back as big-endian integers (the low bits vary most in
    addresses, and a hash set indexes by them)."""
    return list(struct.unpack("!%dI" % (len(packed) // 4), packed))


word_bytes = struct.Struct("!I").pack  # an integer of `words` -> its 4 bytes


def joined(parts: Iterable[Sequence[Dict[str, Any]]]) -> Sequence[Dict[str, Any]]:
    """The records of several replies as one sequence (a dump comes in many messages)."""
    parts = list(parts)
    if parts and all(isinstance(p, OneKey) and p.key == parts[0].key for p in parts):
        key = parts[0].key  # type: ignore[attr-defined]
        if all(p._packed is not None for p in parts):  # type: ignore[attr-defined]
            return OneKey(key, packed=b"".join(p._packed for p in parts))  # type: ignore
        values: List[Any] = []
        for part in parts:
            values.extend(part.values)  # type: ignore[attr-defined]
        return OneKey(key, values)
    records: List[Dict[str, Any]] = []
    for part in parts:
        records.extend(part)
    return records


def decode_adt(data: bytes) -> Dict[str, Any]:
    """The payload of IPSET_ATTR_ADT as ``codec.decode(IPSET_ATTR_ADT, data)`` decodes it."""
    records: Optional[Sequence[Dict[str, Any]]] = _decode_uniform(data)
    if records is None:
        try:
            records = _decode_records(data)
        except errors.ProtocolError:
            return codec.decode(u.IPSET_ATTR_ADT_NEST, data)  # raises the generic decoder's error
    return {"data": records} if records else {}


class _Layout(NamedTuple):
    shape: struct.Struct  # skips the headers, yields the values
    keys: Tuple[str, ...]
    headers: Tuple[int, ...]  # offsets of the 4-byte attribute headers
    starts: Tuple[int, ...]  # offset of each key's value


def _layout(record: bytes) -> Optional[_Layout]:
    """How to unpack records shaped like ``record`` (one IPSET_ATTR_DATA) in one go.

    The attribute headers must be the same bytes in every record as in the first; None when
    records of this shape need the careful walk.
    """
    fields = ["4x"]  # IPSET_ATTR_DATA's header
    headers = [0]
    keys: List[str] = []
    starts: List[int] = []
    offset, end = NLA_HDRLEN, len(record)
    while offset < end:
        if end - offset < NLA_HDRLEN:
            return None
        length, attr_type = _NLATTR.unpack_from(record, offset)
        if length < NLA_HDRLEN or offset + codec.align(length) > end:
            return None
        headers.append(offset)
        row = _ELEM.by_type.get(attr_type & NLA_TYPE_MASK)
        if row is None:  # unknown to us: skipped, as the generic decoder does
            fields.append("%dx" % codec.align(length))
        else:
            key, attr = row
            value = _value_format(attr, record, offset, length - NLA_HDRLEN)
            if value is None or key in keys:  # repeated: the generic decoder keeps the last
                return None
            keys.append(key)
            fields.append("4x")
            start = offset + NLA_HDRLEN
            if _is_ipaddr(attr):
                headers.append(start)  # the nested IPSET_ATTR_IPADDR_*
                fields.append("4x")
                start += NLA_HDRLEN
            starts.append(start)
            fields.append("%s%dx" % (value, codec.align(length) - length))
        offset += codec.align(length)
    return _Layout(struct.Struct(">" + "".join(fields)), tuple(keys), tuple(headers), tuple(starts))


def _value_format(attr: codec.Attr, record: bytes, offset: int, size: int) -> Optional[str]:
    """The struct format of one attribute's value (the header excluded), or None."""
    if _is_ipaddr(attr):
        if size not in (8, 20):
            return None
        inner_len, inner_type = _NLATTR.unpack_from(record, offset + NLA_HDRLEN)
        if inner_len != size or inner_type & NLA_TYPE_MASK not in u.IPSET_ATTR_IPADDR.by_type:
            return None
        return "%ds" % (size - NLA_HDRLEN)
    kind = attr.codec
    fmt = kind.fmt
    if fmt is None or size != kind.size:
        return None  # variable, short (an error) or longer (truncated): the careful walk
    if fmt[0] == "=" and size > 1:
        return None  # host byte order: the careful walk (the layout is unpacked big-endian)
    return fmt.lstrip("=>")


def _decode_uniform(data: bytes) -> Optional[Sequence[Dict[str, Any]]]:
    """All records at once, when they share the first one's layout; else None."""
    if len(data) < NLA_HDRLEN:
        return None
    length, attr_type = _NLATTR.unpack_from(data)
    width = codec.align(length)
    if attr_type & NLA_TYPE_MASK != _DATA or length < NLA_HDRLEN or width > len(data):
        return None
    if len(data) % width or length != width:
        return None
    layout = _layout(data[:width])
    if layout is None:
        return None
    shape, keys, headers, starts = layout
    count = len(data) // width
    for start in headers:  # byte by byte down the column of records, in C
        for at in range(start, start + NLA_HDRLEN):
            if data[at::width] != data[at : at + 1] * count:
                return None
    if not keys:
        return [{} for _i in range(count)]
    rows = shape.iter_unpack(data)
    if len(keys) == 1:
        if shape.format.endswith("4s0x") and starts[0] % 4 == 0 and width % 4 == 0:
            # IPv4 addresses: copied out by one strided slice, made bytes objects if asked
            words = memoryview(data).cast("I")[starts[0] // 4 :: width // 4]
            return OneKey(keys[0], packed=words.tobytes())
        return OneKey(keys[0], list(map(itemgetter(0), rows)))
    return [dict(zip(keys, row)) for row in rows]


def _decode_records(data: bytes) -> List[Dict[str, Any]]:
    """Record by record: any mix of attributes. Raises ProtocolError on anything odd."""
    decoders = _decoders()
    unpack = _NLATTR.unpack_from
    records: List[Dict[str, Any]] = []
    offset, end = 0, len(data)
    while end - offset >= 4:
        length, attr_type = unpack(data, offset)
        if length < 4 or offset + length > end:
            raise errors.ProtocolError("truncated IPSET_ATTR_ADT at offset %d" % offset)
        if attr_type & NLA_TYPE_MASK == _DATA:
            element: Dict[str, Any] = {}
            inner, stop = offset + 4, offset + length
            while stop - inner >= 4:
                size, inner_type = unpack(data, inner)
                if size < 4 or inner + size > stop:
                    raise errors.ProtocolError("truncated IPSET_ATTR_DATA at offset %d" % inner)
                row = decoders.get(inner_type & NLA_TYPE_MASK)
                if row is not None:
                    element[row[0]] = row[1](data[inner + 4 : inner + size])
                inner += (size + 3) & ~3
            records.append(element)
        offset += (length + 3) & ~3
    return records


Decoder = Callable[[bytes], Any]


@lru_cache(maxsize=None)
def _decoders() -> Dict[int, Tuple[str, Decoder]]:
    """attribute type -> (key, payload -> value), as the generic decoder reads each one."""
    return {attr_type: (key, _decoder(attr)) for attr_type, (key, attr) in _ELEM.by_type.items()}


def _decoder(attr: codec.Attr) -> Decoder:
    kind = attr.codec
    if kind in (codec.NESTED, codec.ARRAY) or attr.multi:
        table = codec.AttrSet(_ELEM.prefix, (attr,))
        key = table.by_type[attr.type][0]
        return lambda payload: codec.decode(table, codec.pack_attr(attr.type, payload))[key]
    if _is_ipaddr(attr):
        v4, v6 = _ipaddr_head(attr, 4)[4:], _ipaddr_head(attr, 16)[4:]
        return lambda payload: (
            payload[4:]
            if (len(payload) == 8 and payload[:4] == v4)
            or (len(payload) == 20 and payload[:4] == v6)
            else _checked(kind, attr.name, payload)
        )
    return lambda payload: _checked(kind, attr.name, payload)


def _checked(kind: codec.Codec, name: str, payload: bytes) -> Any:
    """The generic decoder's rules for a plain attribute: a minimum size, a longer one cut."""
    if len(payload) < kind.min_size:
        raise errors.ProtocolError(
            "%s: %d bytes, %s needs %d" % (name, len(payload), kind.name, kind.min_size)
        )
    if kind.size and len(payload) > kind.size:
        payload = payload[: kind.size]
    return kind.decode(payload)
