# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: an nf_tables client over nfnetlink, knowing nothing of Ansible.

It reads tables, sets and elements (dumps), the ruleset generation (``NFT_MSG_GETGEN``) and
the sets rules reference, and applies a `Transaction`: new/deleted tables, sets and elements
as one nfnetlink batch, all or nothing, with the generation read before so that a change by
anyone else in between makes the kernel refuse the batch (``ERESTART``) instead of applying
it on stale state. A refused element is named, found through the extended-ACK offset.
"""

from __future__ import annotations

import errno
import struct
import time
from itertools import chain, repeat
from operator import itemgetter, ne
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec, nfnetlink
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import (
    Error,
    NetlinkError,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    NetlinkSocket,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NETLINK_NETFILTER,
    NLA_F_NESTED,
    NLM_F_CREATE,
    NLM_F_EXCL,
    NLMSG_HDRLEN,
)
from ansible_collections.linux.netlink.plugins.module_utils._nftables import types as T
from ansible_collections.linux.netlink.plugins.module_utils._nftables import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nftables import udata

FAMILIES = {
    "ip": nfnetlink.NFPROTO_IPV4,
    "ip6": nfnetlink.NFPROTO_IPV6,
    "inet": nfnetlink.NFPROTO_INET,
    "arp": nfnetlink.NFPROTO_ARP,
    "bridge": nfnetlink.NFPROTO_BRIDGE,
    "netdev": nfnetlink.NFPROTO_NETDEV,
}
FAMILY_NAMES = {value: name for name, value in FAMILIES.items()}

# set flags by the names nft uses
FLAGS = {
    "constant": u.NFT_SET_CONSTANT,
    "interval": u.NFT_SET_INTERVAL,
    "timeout": u.NFT_SET_TIMEOUT,
    "dynamic": u.NFT_SET_EVAL,
}
POLICIES = {"performance": u.NFT_SET_POL_PERFORMANCE, "memory": u.NFT_SET_POL_MEMORY}
POLICY_NAMES = {v: k for k, v in POLICIES.items()}

# One NEWSETELEM message holds elements up to this many bytes (NFTA_SET_ELEM_LIST_ELEMENTS's
# nla_len is a u16).
_ELEMENTS_ROOM = 0xFFFF - 4 - 64
_NEST = NLA_F_NESTED
_HDR = struct.Struct("=HH")
_VALUE = struct.Struct("=HH")  # NFTA_DATA_VALUE's header
_PLAIN = struct.Struct("=HHHHHH")  # the three headers of an element that is only a key


class NftError(Error):
    """The kernel refused a change; ``what`` names the object or element refused."""

    def __init__(self, message: str, cause: Optional[NetlinkError] = None) -> None:
        self.cause = cause
        super().__init__(message)


class SetSpec(NamedTuple):
    """A set or map: as declared (to create it) or as the kernel lists it."""

    family: str
    table: str
    name: str
    key: T.KeyType
    data: Optional[T.KeyType] = None  # a map's data type (verdict maps: T.KeyType(()))
    flags: Tuple[str, ...] = ()  # sorted names from FLAGS
    timeout: int = 0  # milliseconds, 0: none
    gc_interval: int = 0  # milliseconds, 0: the kernel's default
    size: int = 0  # 0: no limit given
    policy: str = "performance"
    auto_merge: bool = False
    counter: bool = False
    comment: str = ""
    handle: int = 0  # the kernel's, when listed

    @property
    def is_map(self) -> bool:
        return self.data is not None

    @property
    def kind(self) -> str:
        return "map" if self.is_map else "set"


class Element(NamedTuple):
    """One element: a key (or an interval of keys), and its extras."""

    key: bytes  # the key as stored; for intervals the first value
    last: Optional[bytes] = None  # intervals: the last value (inclusive); None: to the top
    data: Any = None  # map data: bytes, or (verdict code, chain) for verdict maps
    timeout: int = 0  # ms; 0: none or the set's default
    expires: int = 0  # ms left, as listed
    comment: str = ""
    counter: Optional[Tuple[int, int]] = None  # (packets, bytes), as listed


_new = tuple.__new__


def plain_element(key: bytes) -> Element:
    """Element(key=key), built without NamedTuple's keyword handling (large sets)."""
    return _new(Element, (key, None, None, 0, 0, "", None))


BARE_TAIL = plain_element(b"")[1:]  # what follows the key in an element that is only a key
_KEY = itemgetter(0)  # Element.key
_TAIL = itemgetter(slice(1, None))  # an element without its key
_KEY_FLAGS = itemgetter(0, 1)  # (key, flags) of a listed (key, flags, Element)


def any_extras(elements: Sequence[Element]) -> bool:
    """Whether any element is more than a key (compared in C, no Python call per element)."""
    return any(map(ne, map(_TAIL, elements), repeat(BARE_TAIL)))


class SetListing(NamedTuple):
    spec: SetSpec
    elements: List[Element]


def _flag_bits(spec: SetSpec) -> int:
    bits = 0
    for name in spec.flags:
        bits |= FLAGS[name]
    if spec.is_map:
        bits |= u.NFT_SET_MAP
    if spec.key.is_concat and "interval" in spec.flags:
        bits |= u.NFT_SET_CONCAT
    return bits


def set_attrs(spec: SetSpec, set_id: int = 0) -> Dict[str, Any]:
    """NFTA_SET_* of NFT_MSG_NEWSET, in the order nft 1.0.6 sends them."""
    items = [(u.NFTNL_UDATA_SET_KEYBYTEORDER, udata.u32(spec.key.byteorder))]
    if spec.data is not None:
        items.append((u.NFTNL_UDATA_SET_DATABYTEORDER, udata.u32(spec.data.byteorder)))
    if spec.auto_merge:
        items.append((u.NFTNL_UDATA_SET_MERGE_ELEMENTS, udata.u32(1)))
    if spec.data is not None:
        items.append((u.NFTNL_UDATA_SET_DATA_INTERVAL, udata.u32(0)))
    if spec.comment:
        items.append((u.NFTNL_UDATA_SET_COMMENT, udata.string(spec.comment)))
    attrs: Dict[str, Any] = {
        "table": spec.table,
        "name": spec.name,
        "flags": _flag_bits(spec),
        "key_type": spec.key.type_id,
        "key_len": spec.key.length,
    }
    if spec.data is not None:
        attrs["data_type"] = spec.data.type_id
        attrs["data_len"] = spec.data.length
    attrs["id"] = set_id or None
    if spec.policy != "performance":
        attrs["policy"] = POLICIES[spec.policy]
    desc: Dict[str, Any] = {}
    if spec.size:
        desc["size"] = spec.size
    if spec.key.is_concat and "interval" in spec.flags:
        desc["concat"] = {"elem": [{"len": f.size} for f in spec.key.fields]}
    attrs["desc"] = desc or None
    attrs["timeout"] = spec.timeout or None
    attrs["gc_interval"] = spec.gc_interval or None
    attrs["userdata"] = udata.pack(items)
    if spec.counter:
        attrs["expr"] = {"name": "counter", "data": {}}
    return attrs


def spec_from_attrs(family: str, attrs: Dict[str, Any]) -> Optional[SetSpec]:
    """The SetSpec of a GETSET reply; None for sets of types this client does not know."""
    key = T.type_from_id(attrs.get("key_type", 0), attrs.get("key_len", 0))
    if key is None or key.is_verdict:
        return None
    flags = attrs.get("flags", 0)
    data = None
    if flags & u.NFT_SET_MAP:
        data = T.type_from_id(attrs.get("data_type", 0), attrs.get("data_len", 0))
        if data is None:
            return None
    ud = udata.unpack(attrs.get("userdata", b""))
    expr = attrs.get("expr") or {}
    return SetSpec(
        family=family,
        table=attrs.get("table", ""),
        name=attrs.get("name", ""),
        key=key,
        data=data,
        flags=tuple(sorted(n for n, bit in FLAGS.items() if flags & bit)),
        timeout=attrs.get("timeout", 0),
        gc_interval=attrs.get("gc_interval", 0),
        size=(attrs.get("desc") or {}).get("size", 0),
        policy=POLICY_NAMES.get(attrs.get("policy", 0), "performance"),
        auto_merge=bool(udata.get_u32(ud.get(u.NFTNL_UDATA_SET_MERGE_ELEMENTS, b""))),
        counter=expr.get("name") == "counter",
        comment=udata.get_string(ud.get(u.NFTNL_UDATA_SET_COMMENT, b"")),
        handle=attrs.get("handle", 0),
    )


# --------------------------------------------------------------------------- elements


def _data_attr(attr_type: int, value: bytes) -> bytes:
    """NFTA_SET_ELEM_KEY (or _DATA, _KEY_END): a nest holding NFTA_DATA_VALUE."""
    return codec.pack_attr(attr_type | _NEST, codec.pack_attr(1, value))


def _verdict_attr(code: int, chain: Optional[str]) -> bytes:
    inner = codec.pack_attr(1, struct.pack("!i", code))
    if chain:
        inner += codec.pack_attr(2, chain.encode() + b"\0")
    verdict = codec.pack_attr(2 | _NEST, inner)  # NFTA_DATA_VERDICT
    return codec.pack_attr(2 | _NEST, verdict)  # NFTA_SET_ELEM_DATA


def _has_extras(spec: SetSpec, element: Optional[Element]) -> bool:
    return element is not None and bool(
        element.data is not None
        or element.comment
        or (element.timeout and element.timeout != spec.timeout)
        or (element.counter is not None and not spec.counter)
    )


# NFTA_SET_ELEM_EXPR: a counter of the element's own (the kernel gives every element of a set
# with NFTA_SET_EXPR a copy of the set's, so none is sent there), starting at zero as nft's.
_COUNTER_EXPR = codec.pack_attr(
    7 | _NEST, codec.encode(u.NFTA_EXPR, {"name": "counter", "data": {}})
)


def encode_element(
    spec: SetSpec, key: bytes, flags: int = 0, element: Optional[Element] = None,
    number: int = 1, key_end: Optional[bytes] = None,
) -> bytes:
    """One NFTA_LIST_ELEM (the ``number``-th of its message, as nft numbers them);
    ``element`` carries the extras (not for an interval's end), ``key_end`` the last key of
    a concatenated range (NFTA_SET_ELEM_KEY_END)."""
    if key_end is None and not _has_extras(spec, element):  # the common case, at once
        size = len(key)
        pad = -size & 3
        if not flags:  # NFTA_LIST_ELEM { NFTA_SET_ELEM_KEY { NFTA_DATA_VALUE } }
            return _PLAIN.pack(12 + size + pad, (number & 0x3FFF) | _NEST, 8 + size + pad,
                               1 | _NEST, 4 + size, 1) + key + b"\0" * pad
        value = _VALUE.pack(4 + size, 1) + key + b"\0" * pad
        key_attr = _HDR.pack(8, 3) + flags.to_bytes(4, "big")
        key_attr += _HDR.pack(4 + len(value), 1 | _NEST) + value
        return _HDR.pack(4 + len(key_attr), (number & 0x3FFF) | _NEST) + key_attr
    if element is None or not _has_extras(spec, element):
        element = plain_element(key)  # a concatenated range without extras (or a delete)
    parts = []
    if flags:
        parts.append(codec.pack_attr(3, struct.pack("!I", flags)))  # NFTA_SET_ELEM_FLAGS
    if element.timeout and element.timeout != spec.timeout:
        parts.append(codec.pack_attr(4, struct.pack("!Q", element.timeout)))
    parts.append(_data_attr(1, key))
    if key_end is not None:
        parts.append(_data_attr(u.NFTA_SET_ELEM_KEY_END, key_end))
    if element.data is not None:
        if isinstance(element.data, tuple):
            parts.append(_verdict_attr(*element.data))
        else:
            parts.append(_data_attr(2, element.data))
    if element.comment:
        ud = udata.pack([(u.NFTNL_UDATA_SET_ELEM_COMMENT, udata.string(element.comment))])
        parts.append(codec.pack_attr(6, ud))  # NFTA_SET_ELEM_USERDATA
    if element.counter is not None and not spec.counter:
        parts.append(_COUNTER_EXPR)
    return codec.pack_attr((number & 0x3FFF) | _NEST, b"".join(parts))


_Piece = Tuple[bytes, int, Optional[Element], Optional[bytes]]


def _pieces(spec: SetSpec, element: Element) -> List[_Piece]:
    """The kernel elements one element is stored as (key, flags, extras, last key): an
    interval is a start and, unless it runs to the top of the key space, an end (the rbtree
    and hash sets); a range of a concatenated key is one element from its first to its last
    key (NFTA_SET_ELEM_KEY_END, the pipapo set)."""
    if "interval" not in spec.flags:
        return [(element.key, 0, element, None)]
    last_key = element.last if element.last is not None else element.key
    if spec.key.is_concat:
        return [(element.key, 0, element, last_key)]
    out: List[_Piece] = [(element.key, 0, element, None)]
    size = len(element.key)
    last = T.to_int(last_key)
    if last + 1 < 1 << (8 * size):
        out.append((T.from_int(last + 1, size), u.NFT_SET_ELEM_INTERVAL_END, None, None))
    return out


def wire_elements(spec: SetSpec, element: Element) -> List[bytes]:
    """The NFTA_LIST_ELEMs of one element, numbered from 1."""
    return [encode_element(spec, key, flags, extra, n, end)
            for n, (key, flags, extra, end) in enumerate(_pieces(spec, element), 1)]


def decode_elements(payload: bytes) -> List[Tuple[bytes, int, Element]]:
    """(key, flags, Element) of each NFTA_LIST_ELEM in an NFTA_SET_ELEM_LIST_ELEMENTS nest.

    Elements that are only a key (and flags), most of a large set, are read by their fixed
    layout; `_decode_fast` is checked against the table-driven `_decode_element` in
    tests/unit/plugins/module_utils/_nftables/test_wire.py."""
    keys = _plain_keys(payload)
    if keys is not None:
        return [(key, 0, plain_element(key)) for key in keys]
    out = []
    for _type, item in codec.iter_attrs(payload):
        found = _decode_fast(item)
        if found is None:
            found = _decode_element(codec.decode(u.NFTA_SET_ELEM, item))
        out.append(found)
    return out


def _plain_keys(payload: bytes) -> Optional[List[bytes]]:
    """The keys of a list whose elements are all a bare key of one size (a plain set), read by
    their fixed stride; None when any element is otherwise."""
    if len(payload) < 16:
        return None
    size = _HDR.unpack_from(payload, 8)[0] - 4  # the first element's NFTA_DATA_VALUE
    step = 12 + codec.align(max(size, 0))
    if size <= 0 or len(payload) % step or _HDR.unpack_from(payload)[0] != step:
        return None
    key_len, key_type = _HDR.unpack_from(payload, 4)
    value_type = _HDR.unpack_from(payload, 8)[1]
    if key_type & 0x3FFF != 1 or value_type & 0x3FFF != 1 or key_len != step - 4:
        return None  # not NFTA_SET_ELEM_KEY { NFTA_DATA_VALUE } of matching lengths
    head = payload[4:12]  # NFTA_SET_ELEM_KEY and NFTA_DATA_VALUE headers, the same in each
    for at in range(0, len(payload), step):
        if payload[at + 4 : at + 12] != head or payload[at : at + 2] != payload[0:2]:
            return None
    return [payload[at + 12 : at + 12 + size] for at in range(0, len(payload), step)]


def _decode_fast(item: bytes) -> Optional[Tuple[bytes, int, Element]]:
    flags = 0
    at = 0
    if item[2:4] == b"\x03\x00" and item[0:2] == b"\x08\x00" and len(item) >= 8:
        flags = int.from_bytes(item[4:8], "big")
        at = 8
    if len(item) - at < 8:
        return None
    outer_len, outer_type = _HDR.unpack_from(item, at)
    if outer_type & 0x3FFF != 1 or at + codec.align(outer_len) != len(item):
        return None
    inner_len, inner_type = _HDR.unpack_from(item, at + 4)
    if inner_type & 0x3FFF != 1 or inner_len < 4 or 4 + codec.align(inner_len) != outer_len:
        return None
    key = item[at + 8 : at + 4 + inner_len]
    return key, flags, Element(key=key)


def _decode_element(raw: Dict[str, Any]) -> Tuple[bytes, int, Element]:
    key = (raw.get("key") or {}).get("value", b"")
    data: Any = None
    if "data" in raw:
        d = raw["data"]
        if "verdict" in d:
            data = (d["verdict"].get("code", 0), d["verdict"].get("chain"))
        else:
            data = d.get("value", b"")
    ud = udata.unpack(raw.get("userdata", b""))
    counter = None
    expr = raw.get("expr")
    if expr and expr.get("name") == "counter":
        c = expr.get("data") or {}
        counter = (c.get("packets", 0), c.get("bytes", 0))
    last = (raw.get("key_end") or {}).get("value")
    element = Element(
        key=key,
        last=last,
        data=data,
        timeout=raw.get("timeout", 0),
        expires=raw.get("expiration", 0),
        comment=udata.get_string(ud.get(u.NFTNL_UDATA_SET_ELEM_COMMENT, b"")),
        counter=counter,
    )
    return key, raw.get("flags", 0), element


# A set's elements come in a dump of many messages, and the kernel resumes each message by a
# count, not at a place (net/netfilter/nf_tables_api.c nf_tables_dump_set, Linux 6.1 and 6.18
# alike: iter.skip = cb->args[0], then cb->args[0] = iter.count). Each message starts a new
# walk of the set, counts every element it passes, and emits those counted at or after the
# skip until the message is full; the next message skips up to where this one stopped. The
# hash set (nft_set_hash.c nft_rhash_walk; nft_rhash_walk_ro in newer kernels) walks an
# rhashtable, which the kernel goes on resizing for a while after a large fill: a walk that
# meets a resize starts again at the top of the new table (lib/rhashtable.c
# rhashtable_walk_next, -EAGAIN), and two walks with a resize between them pass the elements
# in another order. Either way the dump misses some elements and emits others twice, and
# flags nothing (no NLM_F_DUMP_INTR).
# Seen on 6.18: 100k addresses filled, listed at once, 10k-16k elements missing.
#
# Why a listing with no element twice is complete when no element comes or goes meanwhile:
# every walk passes each of the n elements at least once (a resize only adds passes), so its
# length L is at least n. Message k emits the places skip_k .. stop_k - 1 of its own walk, with
# skip_1 = 0 and skip_k+1 = stop_k, and the dump ends with a message whose walk ends where it
# was to start (stop = skip = L). The places emitted add up to at least the sum of
# stop_k - skip_k = L >= n: a dump with no element twice emitted n different elements, all of
# them, and a dump that missed m elements emitted at least m of the others twice. Walks count
# without emitting the elements of another generation (a transaction under way) and expired
# ones: those are changes, which the generation sent with every batch catches, or timeouts.
# ipset is not exposed: its hash types keep a reference to the table the dump started on until
# the dump ends and resume at a bucket of that table (ip_set_hash_gen.h mtype_uref, mtype_list).
_REREAD_PAUSES = (0.05, 0.1, 0.2, 0.3, 0.4)  # seconds before each new listing


def repeats(spec: SetSpec, found: Sequence[Tuple[bytes, int, Element]]) -> int:
    """How many of a dump's (key, flags, Element) repeat a kernel element listed before it: by
    key, and in an interval set by key and flags (an interval's end element can share its key
    with the next one's start)."""
    same = _KEY_FLAGS if "interval" in spec.flags and not spec.key.is_concat else _KEY
    return len(found) - len(set(map(same, found)))


def join_intervals(spec: SetSpec, found: Sequence[Tuple[bytes, int, Element]]) -> List[Element]:
    """The kernel's interval elements (starts, and ends flagged INTERVAL_END) as intervals."""
    items = sorted(found, key=lambda x: (x[0], not x[1] & 1))
    out: List[Element] = []
    start: Optional[Element] = None
    for key, flags, element in items:
        if flags & u.NFT_SET_ELEM_INTERVAL_END:
            if start is not None:
                last = T.from_int(T.to_int(key) - 1, len(key))
                out.append(start._replace(last=last))
                start = None
            continue
        if start is not None:  # a start that runs into the next: ends just before it
            out.append(start._replace(last=T.from_int(T.to_int(key) - 1, len(key))))
        start = element
    if start is not None:
        top = T.from_int((1 << (8 * len(start.key))) - 1, len(start.key))
        out.append(start._replace(last=top))
    return out


# --------------------------------------------------------------------------- transactions


class _Message(NamedTuple):
    command: int
    flags: int
    payload: bytes
    what: str  # names the object, for errors
    elements: List[Element]  # the element of each NFTA_LIST_ELEM (NEWSETELEM / DELSETELEM)
    label: Optional[Callable[[Element], str]] = None  # names one in an error


class Transaction:
    """Changes applied together by `NftClient.commit`, in the order they were added."""

    def __init__(self) -> None:
        self.messages: List[_Message] = []
        self._set_id = 0

    def __len__(self) -> int:
        return len(self.messages)

    def _add(self, command: int, family: str, attrs: bytes, flags: int, what: str,
             elements: Optional[List[str]] = None) -> None:
        payload = nfnetlink.header(FAMILIES[family]) + attrs
        self.messages.append(_Message(command, flags, payload, what, elements or []))

    def add_table(self, family: str, table: str) -> None:
        attrs = codec.encode(u.NFTA_TABLE, {"name": table, "flags": 0})
        self._add(u.NFT_MSG_NEWTABLE, family, attrs, NLM_F_CREATE,
                  "table %s %s" % (family, table))

    def add_set(self, spec: SetSpec) -> None:
        self._set_id += 1
        attrs = codec.encode(u.NFTA_SET, set_attrs(spec, self._set_id))
        self._add(u.NFT_MSG_NEWSET, spec.family, attrs, NLM_F_CREATE | NLM_F_EXCL,
                  "%s %s %s %s" % (spec.kind, spec.family, spec.table, spec.name))

    def del_set(self, spec: SetSpec) -> None:
        attrs = codec.encode(u.NFTA_SET, {"table": spec.table, "name": spec.name})
        self._add(u.NFT_MSG_DELSET, spec.family, attrs, 0,
                  "%s %s %s %s" % (spec.kind, spec.family, spec.table, spec.name))

    def add_elements(self, spec: SetSpec, elements: Sequence[Element],
                     label: Callable[[Element], str]) -> None:
        """NEWSETELEM messages; ``label`` names an element in an error (called only then)."""
        self._elements(u.NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_EXCL, spec, elements, label)

    def del_elements(self, spec: SetSpec, elements: Sequence[Element],
                     label: Callable[[Element], str]) -> None:
        self._elements(u.NFT_MSG_DELSETELEM, 0, spec, elements, label)

    def _elements(self, command: int, flags: int, spec: SetSpec, elements: Sequence[Element],
                  label: Callable[[Element], str]) -> None:
        head = codec.encode(u.NFTA_SET_ELEM_LIST, {"table": spec.table, "set": spec.name})
        what = "%s %s %s %s" % (spec.kind, spec.family, spec.table, spec.name)
        delete = command == u.NFT_MSG_DELSETELEM
        for body, owners in element_bodies(spec, elements, delete):
            attrs = head + _HDR.pack(4 + len(body), u.NFTA_SET_ELEM_LIST_ELEMENTS | _NEST) + body
            payload = nfnetlink.header(FAMILIES[spec.family]) + attrs
            self.messages.append(_Message(command, flags, payload, what, owners, label))


def element_bodies(spec: SetSpec, elements: Sequence[Element],
                   delete: bool = False) -> List[Tuple[bytes, List[Element]]]:
    """The NFTA_SET_ELEM_LIST_ELEMENTS bodies of NEWSETELEM (DELSETELEM: ``delete``, no
    extras) messages, each with the element of each NFTA_LIST_ELEM in it; elements numbered
    from 1 in each message, a message holding up to _ELEMENTS_ROOM bytes of them.

    A batch of bare keys of one size (most large sets) is packed by `_uniform_bodies`."""
    fast = _uniform_bodies(spec, elements, delete)
    if fast is not None:
        return fast
    out: List[Tuple[bytes, List[Element]]] = []
    chunk: List[bytes] = []
    owners: List[Element] = []
    size = 0
    interval = "interval" in spec.flags
    for element in elements:
        pieces = _pieces(spec, element) if interval else ((element.key, 0, element, None),)
        for key, piece_flags, extra, end in pieces:
            wire = encode_element(spec, key, piece_flags, None if delete else extra,
                                  len(chunk) + 1, end)
            if chunk and size + len(wire) > _ELEMENTS_ROOM:
                out.append((b"".join(chunk), owners))
                chunk, owners, size = [], [], 0
                wire = _HDR.pack(len(wire) & 0xFFFF, 1 | _NEST) + wire[4:]
            chunk.append(wire)
            owners.append(element)
            size += len(wire)
    if chunk:
        out.append((b"".join(chunk), owners))
    return out


def _uniform_bodies(spec: SetSpec, elements: Sequence[Element],
                    delete: bool) -> Optional[List[Tuple[bytes, List[Element]]]]:
    """`element_bodies` for a non-interval set whose elements are all bare keys of one size
    (extras ignored when deleting): the headers of the n-th element of a message are the same
    in every message, so they are packed once and joined with the keys. None otherwise."""
    if not elements or "interval" in spec.flags:
        return None
    keys = list(map(_KEY, elements))
    size = len(keys[0])
    if not 0 < size <= 0xFFFF - 16 or any(map(size.__ne__, map(len, keys))):
        return None
    if not delete and any_extras(elements):
        for element in elements:  # not all bare: those with extras need the general path
            if _has_extras(spec, element):
                return None
    pad = b"\0" * (-size & 3)
    step = 12 + size + len(pad)
    per = max(1, _ELEMENTS_ROOM // step)
    heads = [_PLAIN.pack(step, (n & 0x3FFF) | _NEST, step - 4, 1 | _NEST, 4 + size, 1)
             for n in range(1, min(per, len(elements)) + 1)]
    out: List[Tuple[bytes, List[Element]]] = []
    for at in range(0, len(elements), per):
        part = keys[at : at + per]
        if pad:
            part = [key + pad for key in part]
        body = b"".join(chain.from_iterable(zip(heads, part)))
        out.append((body, list(elements[at : at + per])))
    return out


# --------------------------------------------------------------------------- errors

# (command, errno) -> what it means, worded once; the kernel's extended-ACK text wins.
_WORDS = {
    (u.NFT_MSG_DELSET, errno.EBUSY): "it is referenced by a rule (or a map) and cannot be "
    "deleted; remove the rules that use it first",
    (u.NFT_MSG_NEWSET, errno.EEXIST): "it already exists",
    (u.NFT_MSG_NEWSET, errno.ENOENT): "the table does not exist",
    (u.NFT_MSG_DELSET, errno.ENOENT): "it does not exist",
    (u.NFT_MSG_NEWSETELEM, errno.EEXIST): "the element is already in the set (or overlaps "
    "an interval in it)",
    (u.NFT_MSG_NEWSETELEM, errno.EBUSY): "the element is in the set with other data, or "
    "the set is constant and bound to a rule",
    (u.NFT_MSG_NEWSETELEM, errno.ENFILE): "the set is full (its size is reached)",
    (u.NFT_MSG_DELSETELEM, errno.ENOENT): "the element is not in the set",
    (u.NFT_MSG_NEWSETELEM, errno.ENOENT): "the set (or its table) does not exist",
    (u.NFT_MSG_NEWTABLE, errno.EEXIST): "it already exists",
}


def _element_of(msg: _Message, offset: Optional[int]) -> Optional[str]:
    if offset is None or not msg.elements:
        return None
    path = codec.locate(msg.payload, offset - NLMSG_HDRLEN, nfnetlink.NFGENMSG.size)
    if len(path) >= 2 and path[0][0] == u.NFTA_SET_ELEM_LIST_ELEMENTS:
        index = path[1][1]
        if 0 <= index < len(msg.elements) and msg.label is not None:
            return msg.label(msg.elements[index])
    return None


def describe(msg: _Message, exc: NetlinkError) -> NftError:
    """The kernel's refusal of one message, naming the object and the element."""
    reason = exc.message or _WORDS.get((msg.command, exc.errno)) or exc.reason
    element = _element_of(msg, exc.offset)
    where = "%s: element %s" % (msg.what, element) if element else msg.what
    name = errno.errorcode.get(exc.errno, str(exc.errno))
    return NftError("%s: %s: %s (%s)" % (u.COMMANDS.get(msg.command, msg.command), where,
                                         reason, name), exc)


# --------------------------------------------------------------------------- the client


class NftClient:
    """Talks nf_tables' nfnetlink protocol; one socket, optionally in another namespace."""

    def __init__(self, netns: Optional[str] = None, sock: Optional[NetlinkSocket] = None,
                 timeout: float = 30.0) -> None:
        self.sock = sock or NetlinkSocket(NETLINK_NETFILTER, netns=netns, timeout=timeout)

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> "NftClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _type(self, command: int) -> int:
        return nfnetlink.msg_type(nfnetlink.NFNL_SUBSYS_NFTABLES, command)

    def _dump(self, command: int, family: str = "", attrs: bytes = b"") -> List[Tuple[str, Dict[str, Any], bytes]]:  # noqa: E501
        fam = FAMILIES[family] if family else nfnetlink.NFPROTO_UNSPEC
        payload = nfnetlink.header(fam) + attrs
        msgs = self.sock.dump(self._type(command), payload, command=u.COMMANDS[command])
        out = []
        for msg in msgs:
            fam_id, offset = nfnetlink.split(msg.payload)
            out.append((FAMILY_NAMES.get(fam_id, str(fam_id)), msg.payload, offset))
        return out  # type: ignore[return-value]

    # ------------------------------------------------------------------ queries

    def genid(self) -> int:
        """The ruleset generation (NFT_MSG_GETGEN); every committed batch moves it on."""
        payload = nfnetlink.header(nfnetlink.NFPROTO_UNSPEC)
        replies = self.sock.request(self._type(u.NFT_MSG_GETGEN), payload,
                                    command="NFT_MSG_GETGEN")
        for msg in replies:
            _fam, offset = nfnetlink.split(msg.payload)
            return int(codec.decode(u.NFTA_GEN, msg.payload, offset).get("id", 0))
        raise NftError("NFT_MSG_GETGEN: the kernel sent no generation")

    def tables(self, family: str = "") -> List[Tuple[str, str]]:
        """(family, name) of every table."""
        out = []
        for fam, payload, offset in self._dump(u.NFT_MSG_GETTABLE, family):
            out.append((fam, codec.decode(u.NFTA_TABLE, payload, offset).get("name", "")))
        return out

    def sets(self, family: str = "", table: str = "") -> List[Tuple[SetSpec, Dict[str, Any]]]:
        """Every named set (of the family/table): its SetSpec (None when not of a type this
        client knows) and the raw attributes, with ``family`` the family it was listed in."""
        attrs = codec.encode(u.NFTA_SET, {"table": table}) if table else b""
        out = []
        for fam, payload, offset in self._dump(u.NFT_MSG_GETSET, family, attrs):
            raw = codec.decode(u.NFTA_SET, payload, offset)
            if raw.get("flags", 0) & u.NFT_SET_ANONYMOUS:
                continue
            if table and raw.get("table") != table:
                continue
            raw["family"] = fam
            out.append((spec_from_attrs(fam, raw), raw))
        return out  # type: ignore[return-value]

    def get_set(self, family: str, table: str, name: str) -> Optional[SetSpec]:
        """One set, None when it (or its table) does not exist."""
        for spec, raw in self.sets(family, table):
            if raw.get("name") == name:
                if spec is None:
                    raise NftError("set %s %s %s has a key or data type this module does not "
                                   "manage" % (family, table, name))
                return spec
        return None

    def has_table(self, family: str, table: str) -> bool:
        return (family, table) in self.tables(family)

    def elements(self, spec: SetSpec) -> List[Element]:
        """The set's elements; intervals joined back from their start and end elements.

        A listing that holds a kernel element twice may have missed others (`repeats`): it
        is read again, after a short pause, up to len(_REREAD_PAUSES) times, and NftError
        names the set when no clean listing came."""
        for pause in _REREAD_PAUSES + (None,):
            found = self._element_dump(spec)
            if not repeats(spec, found):
                break
            if pause is None:
                raise NftError(
                    "%s %s %s %s: the kernel's listing of its elements kept changing: %d "
                    "listings in a row held an element twice, so they may have missed others "
                    "(the kernel grows a large set's hash table for a while after a big fill, "
                    "or something else is changing the set). Run again in a moment."
                    % (spec.kind, spec.family, spec.table, spec.name, len(_REREAD_PAUSES) + 1)
                )
            time.sleep(pause)
        if "interval" in spec.flags and not spec.key.is_concat:
            return join_intervals(spec, found)
        return [element for _key, _flags, element in found]

    def _element_dump(self, spec: SetSpec) -> List[Tuple[bytes, int, Element]]:
        """(key, flags, Element) of every kernel element NFT_MSG_GETSETELEM lists, as listed."""
        attrs = codec.encode(u.NFTA_SET_ELEM_LIST, {"table": spec.table, "set": spec.name})
        found: List[Tuple[bytes, int, Element]] = []
        for _fam, payload, offset in self._dump(u.NFT_MSG_GETSETELEM, spec.family, attrs):
            for attr_type, value in codec.iter_attrs(payload, offset):
                if attr_type == u.NFTA_SET_ELEM_LIST_ELEMENTS:
                    found.extend(decode_elements(value))
        return found

    def references(self, family: str, table: str) -> Dict[str, List[str]]:
        """Set name -> the rules ("chain CHAIN handle N") that reference it."""
        attrs = codec.encode(u.NFTA_RULE, {"table": table})
        out: Dict[str, List[str]] = {}
        for _fam, payload, offset in self._dump(u.NFT_MSG_GETRULE, family, attrs):
            rule = codec.decode(u.NFTA_RULE, payload, offset)
            if rule.get("table") != table:
                continue
            where = "chain %s handle %d" % (rule.get("chain", "?"), rule.get("handle", 0))
            for expr in (rule.get("expressions") or {}).get("elem", []):
                attr_type = u.SET_REFERENCES.get(expr.get("name", ""))
                if attr_type is None:
                    continue
                for kind, value in codec.iter_attrs(expr.get("data", b"")):
                    if kind == attr_type:
                        out.setdefault(value.split(b"\0", 1)[0].decode(), []).append(where)
        return out

    # ------------------------------------------------------------------ changes

    def commit(self, txn: Transaction, genid: Optional[int] = None) -> None:
        """Apply every change of ``txn`` or none; raises NftError naming what was refused."""
        if not txn.messages:
            return
        requests = [(self._type(m.command), m.flags, m.payload) for m in txn.messages]
        try:
            outcomes = nfnetlink.batch(self.sock, nfnetlink.NFNL_SUBSYS_NFTABLES, requests,
                                       genid, command="nf_tables batch")
        except NetlinkError as exc:
            if exc.errno == errno.ERESTART:
                raise NftError(
                    "the ruleset changed since it was read (generation %s); nothing was "
                    "applied. Run again to plan against the current state." % genid, exc
                ) from None
            raise
        for msg, outcome in zip(txn.messages, outcomes):
            if outcome.error is not None:
                raise describe(msg, outcome.error) from None
